import { describe, expect, it } from 'vitest';
import { catalogIdForGpuName } from '../../../harness/traces/gpu/device-names.js';

describe('GPU names to catalog ids', () => {
  const cases: [string, number | undefined, string | undefined][] = [
    ['NVIDIA A100-SXM4-80GB', undefined, 'a100-80gb'],
    ['NVIDIA A100 80GB PCIe', undefined, undefined], // other bandwidth than the SXM entry
    ['NVIDIA A100-SXM4-40GB', undefined, undefined],
    ['NVIDIA A100-SXM4', 85_899_345_920, 'a100-80gb'], // memory says which A100
    ['NVIDIA A100-PG509-200', 42_297_524_224, undefined], // the 40 GB board in HTA's trace
    ['NVIDIA A800-SXM4-80GB', undefined, 'a800'],
    ['NVIDIA H100 80GB HBM3', undefined, 'h100-sxm'],
    ['NVIDIA H100 PCIe', undefined, undefined],
    ['NVIDIA H100 NVL', undefined, undefined],
    ['NVIDIA H800', undefined, 'h800'],
    ['NVIDIA H20', undefined, 'h20'],
    ['NVIDIA H200', undefined, undefined],
    ['NVIDIA L40S', undefined, 'l40s'],
    ['Tesla V100-SXM2-32GB', undefined, undefined],
    ['AMD Radeon Graphics', undefined, undefined],
  ];
  for (const [name, memory, id] of cases) {
    it(`${name}${memory ? ` (${memory} B)` : ''} → ${id ?? 'raw name'}`, () => expect(catalogIdForGpuName(name, memory)).toBe(id));
  }
});
