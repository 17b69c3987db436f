import { readStageTimingsJsonl, STAGE_TIMINGS_FORMAT_ID, STAGE_TIMINGS_JSONL_FORMAT } from '../canonical/stage-timings.js';
import type { StageTimingsFormat } from './format.js';

const KEYS = ['iteration', 'stages_s'];

export const stageTimingsJsonlFormat: StageTimingsFormat = {
  name: STAGE_TIMINGS_JSONL_FORMAT,
  kind: 'stage-timings',
  container: 'jsonl',
  description: "the project's canonical stage-timing trace, one iteration per JSON line (traces/README.md)",
  keys: KEYS,
  signature: `JSON lines with keys ${KEYS.join(', ')}, optionally after a {"$meta": {"format": "${STAGE_TIMINGS_FORMAT_ID}", …}} line`,
  detect: (probe) =>
    !probe.isDirectory &&
    (probe.metaFormat === STAGE_TIMINGS_FORMAT_ID || (probe.jsonKeys !== undefined && KEYS.every((key) => probe.jsonKeys!.includes(key)))),
  read: readStageTimingsJsonl,
};
