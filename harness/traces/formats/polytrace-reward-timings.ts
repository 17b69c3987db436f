import { readPolyTraceRewardTimings } from '../adapters/polytrace-tables.js';
import type { TableFormat } from './format.js';

const KEYS = ['step', 'rank', 'batch_size', 'reward_time_s', 'response_sum'];

export const polytraceRewardTimingsFormat: TableFormat = {
  name: 'polytrace-reward-timings',
  kind: 'table',
  container: 'jsonl',
  description: "PolyTrace reward_timings_step_N.jsonl: reward (sandbox) time per DP rank's batch; attached to groups when its directory is read as 'polytrace'",
  keys: KEYS,
  signature: `JSON lines with keys ${KEYS.join(', ')}`,
  read: async (path, problems) => {
    const rows = await readPolyTraceRewardTimings(path, problems);
    return { rows: rows.length, notes: [] };
  },
};
