import type { Allocation, PoolRef } from './types.js';

export interface ClusterShape {
  readonly nodes: number;
  readonly gpusPerNode: number;
}

export function clusterGpus(shape: ClusterShape): number {
  return shape.nodes * shape.gpusPerNode;
}

/** Whether the pool's GPUs span more than one node. */
export function spansNodes(pool: Pick<PoolRef, 'firstGpu' | 'gpus'>, gpusPerNode: number): boolean {
  if (pool.gpus <= 0) return false;
  return Math.floor(pool.firstGpu / gpusPerNode) !== Math.floor((pool.firstGpu + pool.gpus - 1) / gpusPerNode);
}

/** The node index holding a GPU. */
export function nodeOf(gpu: number, gpusPerNode: number): number {
  return Math.floor(gpu / gpusPerNode);
}

/**
 * Splits a pool into `count` consecutive sub-pools of `gpusEach` GPUs (TP groups, DP replicas,
 * generation instances), named `${prefix}${index}`. Sub-pools are names for spans, not new
 * allocations: whoever holds the parent pays for them.
 */
export function splitPool(pool: PoolRef, gpusEach: number, count: number, prefix: string): PoolRef[] {
  if (!Number.isInteger(gpusEach) || gpusEach <= 0) throw new Error(`splitPool: gpusEach must be a positive integer, got ${gpusEach}`);
  if (gpusEach * count > pool.gpus) {
    throw new Error(`splitPool: ${count} × ${gpusEach} GPUs do not fit in pool '${pool.name}' of ${pool.gpus}`);
  }
  return Array.from({ length: count }, (_, index) => ({ name: `${prefix}${index}`, firstGpu: pool.firstGpu + index * gpusEach, gpus: gpusEach }));
}

/** The first `gpus` GPUs of a pool, under another name. */
export function subPool(pool: PoolRef, offset: number, gpus: number, name: string): PoolRef {
  if (offset < 0 || offset + gpus > pool.gpus) throw new Error(`subPool: [${offset}, ${offset + gpus}) is outside pool '${pool.name}' of ${pool.gpus} GPUs`);
  return { name, firstGpu: pool.firstGpu + offset, gpus };
}

export interface AllocateOptions {
  /** Take exactly these GPUs (must be free). */
  readonly firstGpu?: number;
  /** Refuse placements that straddle a node boundary (TP groups). */
  readonly withinNode?: boolean;
}

/**
 * Explicit GPU allocation over time. Serverful schedulers allocate the whole cluster for the whole
 * iteration; serverless ones (RLHFless) allocate each function's GPUs at invocation and release
 * them when it ends, so GPU-seconds are billed from allocation to release.
 *
 * Allocation is first-fit over contiguous GPU ranges free at the requested time. Calls may come
 * in any time order as long as an allocation never overlaps a held range: a GPU is free at t when
 * its last allocation was released at or before t.
 */
export class GpuAllocator {
  readonly totalGpus: number;
  private readonly heldUntilS: Float64Array;
  private readonly open = new Map<string, { pool: PoolRef; fromS: number }>();
  private readonly closed: Allocation[] = [];

  constructor(readonly shape: ClusterShape) {
    this.totalGpus = clusterGpus(shape);
    this.heldUntilS = new Float64Array(this.totalGpus).fill(-Infinity);
  }

  private isFree(gpu: number, atS: number): boolean {
    // Only the latest allocation per GPU is tracked: free once it was released at or before atS.
    return this.heldUntilS[gpu]! <= atS;
  }

  /** Allocates `gpus` GPUs at `atS` under a name unique among open allocations. */
  allocate(name: string, gpus: number, atS: number, options: AllocateOptions = {}): PoolRef {
    if (this.open.has(name)) throw new Error(`GpuAllocator: '${name}' is already allocated`);
    if (!Number.isInteger(gpus) || gpus <= 0) throw new Error(`GpuAllocator: '${name}' asks for ${gpus} GPUs`);
    const first = options.firstGpu ?? this.findRun(gpus, atS, options.withinNode ?? false);
    if (first < 0 || first + gpus > this.totalGpus) {
      throw new Error(`GpuAllocator: no ${gpus} free GPUs for '${name}' at ${atS}s (cluster of ${this.totalGpus})`);
    }
    for (let gpu = first; gpu < first + gpus; gpu++) {
      if (!this.isFree(gpu, atS)) throw new Error(`GpuAllocator: GPU ${gpu} is held at ${atS}s; cannot allocate '${name}'`);
    }
    for (let gpu = first; gpu < first + gpus; gpu++) this.heldUntilS[gpu] = Infinity;
    const pool: PoolRef = { name, firstGpu: first, gpus };
    this.open.set(name, { pool, fromS: atS });
    return pool;
  }

  private findRun(gpus: number, atS: number, withinNode: boolean): number {
    let runStart = 0;
    let runLength = 0;
    for (let gpu = 0; gpu < this.totalGpus; gpu++) {
      const nodeStart = gpu % this.shape.gpusPerNode === 0;
      if (withinNode && nodeStart) runLength = 0;
      if (this.isFree(gpu, atS)) {
        if (runLength === 0) runStart = gpu;
        runLength++;
        if (runLength === gpus) return runStart;
      } else {
        runLength = 0;
      }
    }
    return -1;
  }

  /** Ends an allocation at `atS`; its GPU-seconds are counted from allocation to here. */
  release(name: string, atS: number): Allocation {
    const entry = this.open.get(name);
    if (!entry) throw new Error(`GpuAllocator: '${name}' is not allocated`);
    if (atS < entry.fromS) throw new Error(`GpuAllocator: '${name}' released at ${atS}s before its allocation at ${entry.fromS}s`);
    this.open.delete(name);
    for (let gpu = entry.pool.firstGpu; gpu < entry.pool.firstGpu + entry.pool.gpus; gpu++) this.heldUntilS[gpu] = atS;
    const allocation: Allocation = { ...entry.pool, pool: name, fromS: entry.fromS, toS: atS };
    this.closed.push(allocation);
    return allocation;
  }

  isOpen(name: string): boolean {
    return this.open.has(name);
  }

  /** Releases every open allocation at `atS` (the end of a serverful iteration). */
  releaseAll(atS: number): void {
    for (const name of [...this.open.keys()].sort()) this.release(name, Math.max(atS, this.open.get(name)!.fromS));
  }

  /** Closed allocations, plus open ones as if released at `untilS`, in a stable order. */
  allocations(untilS?: number): Allocation[] {
    const all = [...this.closed];
    for (const { pool, fromS } of this.open.values()) {
      const toS = untilS === undefined ? fromS : Math.max(untilS, fromS);
      all.push({ pool: pool.name, firstGpu: pool.firstGpu, gpus: pool.gpus, fromS, toS });
    }
    return all.sort((a, b) => a.fromS - b.fromS || a.firstGpu - b.firstGpu || (a.pool < b.pool ? -1 : a.pool > b.pool ? 1 : 0));
  }
}
