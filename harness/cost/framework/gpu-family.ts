import type { GpuSpec } from '../types.js';
import type { GpuFamily } from './types.js';

/**
 * The family a GPU's kernels belong to, from its catalog id: efficiencies as fractions of peak
 * carry over within a family (H800 and H20 are Hopper like H100), not across (MI300X is not).
 */
const FAMILY_BY_ID: Readonly<Record<string, GpuFamily>> = {
  'a100-80gb': 'nvidia-ampere',
  'a100-40gb': 'nvidia-ampere',
  a800: 'nvidia-ampere',
  l20: 'nvidia-ada',
  l40s: 'nvidia-ada',
  'h100-sxm': 'nvidia-hopper',
  'h100-sxm-powercapped': 'nvidia-hopper',
  h800: 'nvidia-hopper',
  h20: 'nvidia-hopper',
  h200: 'nvidia-hopper',
  gb200: 'nvidia-blackwell',
  b200: 'nvidia-blackwell',
  mi300x: 'amd-cdna3',
};

export function gpuFamily(gpu: Pick<GpuSpec, 'id'>): GpuFamily | undefined {
  return FAMILY_BY_ID[gpu.id];
}
