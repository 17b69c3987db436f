import { readVidurMlp, VIDUR_MLP_FORMAT, vidurOperators } from '../adapters/vidur.js';
import { matchesKeys } from './match.js';
import type { GpuProfileFormat } from './format.js';

const KEYS = ['num_tokens', 'num_tensor_parallel_workers'];

export const vidurMlpFormat: GpuProfileFormat = {
  name: VIDUR_MLP_FORMAT,
  kind: 'gpu-profile',
  container: 'csv',
  description: "Vidur (MLSys'24) per-operator profile compute/<sku>/<org>/<model>/mlp.csv",
  keys: KEYS,
  signature: `CSV with columns ${KEYS.join(', ')} and time_stats.<op>.median columns`,
  detect: (probe) => matchesKeys(probe, 'csv', KEYS) && vidurOperators(probe.csvHeader!).length > 0,
  read: readVidurMlp,
};
