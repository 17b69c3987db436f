import { describe, expect, it } from 'vitest';
import { GPU_CATALOG, gpuById } from '../../../harness/cost/catalog/index.js';

describe('GPU catalog', () => {
  it('has the GPUs of the issues plus the power-capped H100 of the Splitwise rows', () => {
    expect(GPU_CATALOG.map((g) => g.id)).toEqual(['a100-80gb', 'a800', 'h100-sxm', 'h100-sxm-powercapped', 'h800', 'h20', 'l40s', 'mi300x', 'h200', 'gb200']);
  });

  it('MI300X, H200 and GB200 from their vendors\' figures, each cited', () => {
    const mi300x = gpuById('mi300x');
    expect(mi300x.bf16FlopsPerS).toBe(1307.4e12);
    expect(mi300x.hbmBytesPerS).toBe(5.3e12);
    expect(mi300x.memoryBytes).toBe(192 * 1024 ** 3);
    // 7 Infinity Fabric links × 64 GB/s per direction
    expect(mi300x.intraNodeLink).toEqual({ kind: 'infinity-fabric', bytesPerSPerDirection: 448e9 });
    expect(mi300x.sources.join(' ')).toMatch(/ROCm.*1307\.4.*5\.3 TB/);
    expect(mi300x.sources.join(' ')).toMatch(/"AMD MI300".*treated as the MI300X/);
    const h200 = gpuById('h200');
    expect([h200.bf16FlopsPerS, h200.hbmBytesPerS, h200.memoryBytes]).toEqual([989e12, 4.8e12, 141 * 1024 ** 3]);
    const gb200 = gpuById('gb200');
    expect([gb200.bf16FlopsPerS, gb200.hbmBytesPerS, gb200.intraNodeLink.bytesPerSPerDirection, gb200.gpusPerNode]).toEqual([2.5e15, 8e12, 900e9, 72]);
    // H20 stays flagged: no NVIDIA-published figure to cite
    expect(gpuById('h20').sources.join(' ')).toMatch(/⚠ still unverified/);
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
      if (gpu.calibrationAlias) {
        expect(['a100-80gb', 'h100-sxm']).toContain(gpu.calibrationAlias);
        // borrowing is explicit: every catalog alias says whether it crosses a family
        expect(['same-silicon', 'other-family']).toContain(gpu.calibrationAliasKind);
      }
    }
  });
});
