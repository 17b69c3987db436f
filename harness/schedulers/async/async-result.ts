import { summarizeIteration } from '../../sim/metrics.js';
import type { IterationResult, PoolRef, Span } from '../../sim/types.js';
import type { AsyncPools } from './pools.js';

/** What the trainer trained inside the measured window. */
export interface TrainedInWindow {
  readonly prompts: number;
  readonly samples: number;
  readonly promptTokens: number;
  readonly responseTokens: number;
}

export interface WindowResultInput {
  readonly scheduler: string;
  readonly iteration: number;
  readonly pools: AsyncPools;
  readonly priceUsdPerGpuHour: number;
  /** Every span of the simulated window, absolute times. */
  readonly spans: readonly Span[];
  readonly windowStartS: number;
  readonly windowEndS: number;
  readonly trained: TrainedInWindow;
  readonly counters: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
}

/** A span cut to [fromS, toS] and moved to start at 0, or undefined when nothing of it is inside. */
function clip(span: Span, fromS: number, toS: number): Span | undefined {
  const startS = Math.max(span.startS, fromS);
  const endS = Math.min(span.endS, toS);
  if (!(endS > startS)) return undefined;
  const share = (endS - startS) / (span.endS - span.startS);
  return { ...span, startS: startS - fromS, endS: endS - fromS, ...(span.idleS !== undefined ? { idleS: span.idleS * share } : {}) };
}

/** Seconds during which some GPU of `pool` runs a span, over the pool's GPU count: the pool's busy GPU·s. */
function busyGpuSeconds(spans: readonly Span[], pool: PoolRef): number {
  let total = 0;
  for (const span of spans) {
    const first = Math.max(span.firstGpu, pool.firstGpu);
    const last = Math.min(span.firstGpu + span.gpus, pool.firstGpu + pool.gpus);
    if (last > first) total += (last - first) * (span.endS - span.startS);
  }
  return total;
}

/**
 * The measured window as one IterationResult: spans cut to the window and moved to start at 0,
 * both pools held for the whole window, the batch being what the trainer trained in it (so
 * samples/s and tokens/s are trained throughput), and the pools' idle time among the counters:
 * `rollouter_idle_frac` and `trainer_idle_frac` (GPU·s with no span over GPU·s held) beside
 * what the scheduler counted.
 */
export function windowResult(input: WindowResultInput): IterationResult {
  const lengthS = input.windowEndS - input.windowStartS;
  const spans: Span[] = [];
  for (const span of input.spans) {
    const cut = clip(span, input.windowStartS, input.windowEndS);
    if (cut) spans.push(cut);
  }
  spans.sort((a, b) => a.startS - b.startS || a.firstGpu - b.firstGpu || (a.task < b.task ? -1 : a.task > b.task ? 1 : 0));
  const { rollout, trainer } = input.pools;
  const idle = (pool: PoolRef) => (lengthS > 0 ? Math.max(0, 1 - busyGpuSeconds(spans, pool) / (pool.gpus * lengthS)) : 0);
  const counters: Record<string, number> = { ...input.counters, rollouter_idle_frac: idle(rollout), trainer_idle_frac: idle(trainer) };
  if (lengthS > 0) counters['trained_tokens_per_s'] = (input.trained.promptTokens + input.trained.responseTokens) / lengthS;
  return summarizeIteration({
    scheduler: input.scheduler,
    iteration: input.iteration,
    prompts: input.trained.prompts,
    samples: input.trained.samples,
    promptTokens: input.trained.promptTokens,
    responseTokens: input.trained.responseTokens,
    spans,
    allocations: [
      { pool: rollout.name, firstGpu: rollout.firstGpu, gpus: rollout.gpus, fromS: 0, toS: lengthS },
      { pool: trainer.name, firstGpu: trainer.firstGpu, gpus: trainer.gpus, fromS: 0, toS: lengthS },
    ],
    priceUsdPerGpuHour: input.priceUsdPerGpuHour,
    startS: 0,
    endS: lengthS,
    counters,
    notes: input.notes,
  });
}
