import { openShareGptStats, SHAREGPT_COLUMNS, SHAREGPT_FORMAT } from '../adapters/sharegpt.js';
import type { LengthsFormat } from './format.js';

export const shareGptStatsFormat: LengthsFormat = {
  name: SHAREGPT_FORMAT,
  kind: 'lengths',
  container: 'csv',
  description: "sarathi-serve's ShareGPT length statistics (Llama-2 tokenizer): one assistant turn per row",
  keys: SHAREGPT_COLUMNS,
  signature: `CSV with columns ${SHAREGPT_COLUMNS.join(', ')}`,
  open: openShareGptStats,
};
