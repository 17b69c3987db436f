import { describe, expect, it } from 'vitest';
import { GpuAllocator, spansNodes, splitPool, subPool } from '../../harness/sim/gpu-pools.js';

describe('GpuAllocator', () => {
  it('allocates first-fit contiguous ranges and bills each from allocation to release', () => {
    const allocator = new GpuAllocator({ nodes: 2, gpusPerNode: 4 });
    const a = allocator.allocate('a', 3, 0);
    const b = allocator.allocate('b', 2, 1);
    expect([a.firstGpu, b.firstGpu]).toEqual([0, 3]);
    allocator.release('a', 10);
    const c = allocator.allocate('c', 2, 10);
    expect(c.firstGpu).toBe(0);
    allocator.releaseAll(12);
    const allocations = allocator.allocations();
    const gpuSeconds = allocations.reduce((sum, x) => sum + x.gpus * (x.toS - x.fromS), 0);
    expect(gpuSeconds).toBe(3 * 10 + 2 * 11 + 2 * 2);
  });

  it('keeps TP groups inside a node when asked', () => {
    const allocator = new GpuAllocator({ nodes: 2, gpusPerNode: 4 });
    allocator.allocate('x', 2, 0);
    expect(allocator.allocate('tp4', 4, 0, { withinNode: true }).firstGpu).toBe(4);
  });

  it('refuses held GPUs, unknown releases and over-subscription', () => {
    const allocator = new GpuAllocator({ nodes: 1, gpusPerNode: 4 });
    allocator.allocate('a', 4, 0);
    expect(() => allocator.allocate('b', 1, 5)).toThrow(/no 1 free GPUs/);
    expect(() => allocator.allocate('b', 1, 5, { firstGpu: 2 })).toThrow(/GPU 2 is held/);
    expect(() => allocator.release('nope', 1)).toThrow(/not allocated/);
    expect(() => allocator.allocate('a', 1, 0)).toThrow(/already allocated/);
    allocator.release('a', 3);
    // Released at 3: free from 3 on, not before.
    expect(() => allocator.allocate('early', 1, 2)).toThrow();
    expect(allocator.allocate('late', 1, 3).firstGpu).toBe(0);
  });

  it('closes open allocations at the given end when listing them', () => {
    const allocator = new GpuAllocator({ nodes: 1, gpusPerNode: 2 });
    allocator.allocate('a', 2, 1);
    expect(allocator.allocations(5)).toEqual([{ pool: 'a', firstGpu: 0, gpus: 2, fromS: 1, toS: 5 }]);
  });
});

describe('pool helpers', () => {
  it('split a pool into named sub-pools and tell whether a range spans nodes', () => {
    const pool = { name: 'p', firstGpu: 8, gpus: 8 };
    expect(splitPool(pool, 2, 3, 'gen/')).toEqual([
      { name: 'gen/0', firstGpu: 8, gpus: 2 },
      { name: 'gen/1', firstGpu: 10, gpus: 2 },
      { name: 'gen/2', firstGpu: 12, gpus: 2 },
    ]);
    expect(() => splitPool(pool, 4, 3, 'x')).toThrow(/do not fit/);
    expect(subPool(pool, 2, 4, 's')).toEqual({ name: 's', firstGpu: 10, gpus: 4 });
    expect(spansNodes({ firstGpu: 6, gpus: 2 }, 8)).toBe(false);
    expect(spansNodes({ firstGpu: 6, gpus: 3 }, 8)).toBe(true);
  });
});
