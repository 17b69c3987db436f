import { readStageTimingsCsv, STAGE_TIMINGS_CSV_FORMAT } from '../canonical/stage-timings.js';
import type { StageTimingsFormat } from './format.js';

const KEYS = ['iteration', 'stage', 'duration_s'];

export const stageTimingsCsvFormat: StageTimingsFormat = {
  name: STAGE_TIMINGS_CSV_FORMAT,
  kind: 'stage-timings',
  container: 'csv',
  description: "the project's canonical stage timings in long CSV form: one row per iteration and stage (traces/README.md)",
  keys: KEYS,
  signature: `CSV with columns ${KEYS.join(', ')} (and optionally gpus)`,
  read: readStageTimingsCsv,
};
