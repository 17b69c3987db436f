import { readVidurCollective, VIDUR_COLLECTIVE_FORMAT } from '../adapters/vidur.js';
import type { GpuProfileFormat } from './format.js';

const KEYS = ['size', 'num_workers', 'devices_per_node', 'collective'];

export const vidurCollectiveFormat: GpuProfileFormat = {
  name: VIDUR_COLLECTIVE_FORMAT,
  kind: 'gpu-profile',
  container: 'csv',
  description: 'Vidur NCCL profile network/<node>/all_reduce.csv or send_recv.csv',
  keys: KEYS,
  signature: `CSV with columns ${KEYS.join(', ')} and a time_stats.<collective>.median column`,
  read: readVidurCollective,
};
