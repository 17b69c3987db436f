import { describe, expect, it } from 'vitest';
import { GPU_CATALOG, gpuById } from '../../../harness/cost/catalog/index.js';

describe('GPU catalog', () => {
  it('has the six GPUs of the issue plus the power-capped H100 of the Splitwise rows', () => {
    expect(GPU_CATALOG.map((g) => g.id)).toEqual(['a100-80gb', 'a800', 'h100-sxm', 'h100-sxm-powercapped', 'h800', 'h20', 'l40s']);
  });

  it('stores figures in base units (FLOP/s, bytes/s, bytes) from the reference table', () => {
    const h100 = gpuById('h100-sxm');
    expect(h100.bf16FlopsPerS).toBe(989e12);
    expect(h100.hbmBytesPerS).toBe(3.35e12);
    expect(h100.memoryBytes).toBe(80 * 1024 ** 3);
    // NVLink 4: 900 GB/s bidirectional = 450 per direction
    expect(h100.intraNodeLink).toEqual({ kind: 'nvlink', bytesPerSPerDirection: 450e9 });
    // 8 × 400 Gb/s = 3,200 Gb/s = 400 GB/s per node
    expect(h100.interNodeBytesPerSPerNode).toBe(400e9);
    // p5.48xlarge $55.04 / 8 GPUs
    expect(h100.priceUsdPerGpuHour).toBeCloseTo(55.04 / 8, 2);
    const l40s = gpuById('l40s');
    expect(l40s.intraNodeLink).toEqual({ kind: 'pcie', bytesPerSPerDirection: 32e9 });
    expect(l40s.priceUsdPerGpuHour).toBeCloseTo(30.131 / 8, 2);
    // H800: the RLHFuse cluster's 8 × 200 Gbps RoCE = 200 GB/s per node; NVLink cut to 200 per direction
    expect(gpuById('h800').interNodeBytesPerSPerNode).toBe(200e9);
    expect(gpuById('h800').intraNodeLink.bytesPerSPerDirection).toBe(200e9);
    // ridge point of the reference: A100 153, H100 295, H20 37, L40S 419 FLOP/byte
    const ridge = (id: string) => Math.round(gpuById(id).bf16FlopsPerS / gpuById(id).hbmBytesPerS);
    expect([ridge('a100-80gb'), ridge('h100-sxm'), ridge('h20'), ridge('l40s')]).toEqual([153, 295, 37, 419]);
  });

  it('gives every GPU sources, a dated price, and an alias only to a GPU with a calibration of its own', () => {
    for (const gpu of GPU_CATALOG) {
      expect(gpu.sources.length).toBeGreaterThan(0);
      expect(gpu.priceDate).toMatch(/^\d{4}/);
      if (gpu.calibrationAlias) expect(['a100-80gb', 'h100-sxm']).toContain(gpu.calibrationAlias);
    }
  });
});
