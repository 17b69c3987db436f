import { RECORDED_RUNS_FORMAT, readRecordedRuns } from '../recorded-runs/read.js';
import type { TableFormat } from './format.js';

/** Columns only the recorded-runs table has together (all 49 are required by the reader). */
const KEYS = ['run_id', 'source_url', 'step_index', 'timing_gen_s', 'timing_step_s', 'mfu_actor'];

export const recordedRunsCsvFormat: TableFormat = {
  name: RECORDED_RUNS_FORMAT,
  kind: 'table',
  container: 'csv',
  description: 'a recorded-runs table (runs.csv): measured RL training steps or per-step averages with their configuration (traces/README.md)',
  keys: KEYS,
  signature: `CSV with columns ${KEYS.join(', ')}, … (traces/README.md "Recorded runs")`,
  read: async (path, problems) => {
    const table = await readRecordedRuns(path, problems);
    return { rows: table.rows.length, notes: table.notes };
  },
};
