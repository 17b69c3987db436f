import { readDapoFilterIndices } from '../adapters/polytrace-tables.js';
import type { TableFormat } from './format.js';

const KEYS = ['workload_step', 'trainer_step', 'prompt_count', 'kept_prompt_indices', 'used_prompt_indices'];

export const polytraceDapoFilterFormat: TableFormat = {
  name: 'polytrace-dapo-filter',
  kind: 'table',
  container: 'jsonl',
  description: "PolyTrace dapo_filter_indices.jsonl: which prompt groups DAPO's dynamic sampling kept and trained on; attached to groups when its directory is read as 'polytrace'",
  keys: KEYS,
  signature: `JSON lines with keys ${KEYS.join(', ')}`,
  read: async (path, problems) => {
    const rows = await readDapoFilterIndices(path, problems);
    return { rows: rows.length, notes: [] };
  },
};
