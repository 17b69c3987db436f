import { readSplitwisePerfModel, SPLITWISE_COLUMNS, SPLITWISE_FORMAT } from '../adapters/splitwise.js';
import type { GpuProfileFormat } from './format.js';

export const splitwisePerfModelFormat: GpuProfileFormat = {
  name: SPLITWISE_FORMAT,
  kind: 'gpu-profile',
  container: 'csv',
  description: 'SplitwiseSim data/perf_model.csv: measured prefill and per-token decode latency on DGX-A100/H100',
  keys: SPLITWISE_COLUMNS,
  signature: `CSV with columns ${SPLITWISE_COLUMNS.join(', ')}`,
  read: readSplitwisePerfModel,
};
