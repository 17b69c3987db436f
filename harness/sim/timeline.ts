import type { PoolRef, Span } from './types.js';

export interface TaskRun {
  readonly task: string;
  readonly stage: string;
  readonly durationS: number;
  /** The task may not start before its inputs exist. */
  readonly readyS?: number;
  readonly model?: string;
  /** Per-GPU idle seconds inside the task (pipeline bubbles). */
  readonly idleS?: number;
  readonly detail?: Readonly<Record<string, number | string>>;
}

/** Where a task ran; `startS`/`endS` even for zero-length tasks, which are not recorded as spans. */
export interface Placed {
  readonly startS: number;
  readonly endS: number;
}

/**
 * The spans of one iteration, with per-GPU "free at" times so a task placed with `run` starts
 * when both its inputs and its GPUs are ready: a GPU never runs two tasks at once.
 */
export class Timeline {
  private readonly gpuFreeAtS: Float64Array;
  private readonly list: Span[] = [];

  constructor(
    readonly iteration: number,
    readonly totalGpus: number,
    readonly originS = 0,
  ) {
    this.gpuFreeAtS = new Float64Array(totalGpus).fill(originS);
  }

  /** The time every GPU of the pool is free. */
  freeAtS(pool: PoolRef): number {
    let free = this.originS;
    for (let gpu = pool.firstGpu; gpu < pool.firstGpu + pool.gpus; gpu++) free = Math.max(free, this.gpuFreeAtS[gpu]!);
    return free;
  }

  /** Runs a task on a pool as early as its inputs and the pool allow, and records it. */
  run(pool: PoolRef, task: TaskRun): Placed {
    if (!(task.durationS >= 0)) throw new Error(`Timeline.run: task '${task.task}' has duration ${task.durationS}`);
    const startS = Math.max(task.readyS ?? this.originS, this.freeAtS(pool));
    const endS = startS + task.durationS;
    this.put(pool, task, startS, endS);
    return { startS, endS };
  }

  /** Records a task at explicit times (e.g. a generation instance's busy period from the engine). */
  record(pool: PoolRef, task: Omit<TaskRun, 'durationS' | 'readyS'>, startS: number, endS: number): Placed {
    if (!(endS >= startS)) throw new Error(`Timeline.record: task '${task.task}' ends (${endS}) before it starts (${startS})`);
    this.put(pool, task, startS, endS);
    return { startS, endS };
  }

  private put(pool: PoolRef, task: Omit<TaskRun, 'durationS' | 'readyS'>, startS: number, endS: number): void {
    for (let gpu = pool.firstGpu; gpu < pool.firstGpu + pool.gpus; gpu++) {
      if (this.gpuFreeAtS[gpu]! < endS) this.gpuFreeAtS[gpu] = endS;
    }
    // Zero-GPU spans are CPU work on the driver (rule-based reward): on the critical path, no GPU time.
    if (endS <= startS) return;
    const span: Span = {
      pool: pool.name,
      firstGpu: pool.firstGpu,
      gpus: pool.gpus,
      task: task.task,
      stage: task.stage,
      iteration: this.iteration,
      startS,
      endS,
      ...(task.model !== undefined ? { model: task.model } : {}),
      ...(task.idleS !== undefined && task.idleS > 0 ? { idleS: task.idleS } : {}),
      ...(task.detail !== undefined ? { detail: task.detail } : {}),
    };
    this.list.push(span);
  }

  /** Latest time any GPU is busy until. */
  endS(): number {
    let end = this.originS;
    for (const span of this.list) if (span.endS > end) end = span.endS;
    return end;
  }

  spans(): Span[] {
    return [...this.list].sort((a, b) => a.startS - b.startS || a.firstGpu - b.firstGpu || compareText(a.task, b.task));
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
