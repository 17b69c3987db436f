import type { IterationResult, Span } from '../sim/types.js';
import { DERIVED_METRIC_NAMES, type ResultMetricName } from './catalog.js';

/** The result's own figures the reproduction keeps (tokens/s and the bubble ratio are not among its figures). */
const REPRODUCED_RESULT_METRICS = ['iterationTimeS', 'samplesPerS', 'gpuSecondsAllocated', 'gpuSecondsBusy', 'costUsd', 'utilization'] as const satisfies readonly ResultMetricName[];

/**
 * The figures derived from one simulated iteration's spans, allocations and ledger, the same way
 * for every scheduler (so no figure depends on a counter one scheduler happens to set): the
 * catalog's derived metrics (harness/metrics/catalog.ts) plus the result's own.
 */
export const ITERATION_METRIC_NAMES = [...REPRODUCED_RESULT_METRICS, ...DERIVED_METRIC_NAMES] as const;

export type MetricName = (typeof ITERATION_METRIC_NAMES)[number];
export type IterationMetrics = Readonly<Record<MetricName, number>>;

const OVERHEAD_STAGES = new Set(['kv-migration', 'weight-sync', 'reallocation', 'model-load']);
const GENERATION_WINDOW_STAGES = new Set(['generation', 'kv-migration', 'model-load', 'reallocation', 'inference']);

function generationEndS(spans: readonly Span[]): number {
  let end = 0;
  for (const span of spans) if (span.stage === 'generation' || span.stage === 'kv-migration') end = Math.max(end, span.endS);
  return end;
}

/** The generation + inference window: first generation start to the last pre-training span of those stages. */
export function generationInferenceWindowS(spans: readonly Span[]): number {
  let start = Infinity;
  for (const span of spans) if (span.stage === 'generation') start = Math.min(start, span.startS);
  if (!Number.isFinite(start)) return 0;
  let trainingStart = Infinity;
  for (const span of spans) if (span.stage === 'training') trainingStart = Math.min(trainingStart, span.startS);
  let end = start;
  for (const span of spans) if (GENERATION_WINDOW_STAGES.has(span.stage) && span.startS < trainingStart && span.endS > end) end = span.endS;
  return end - start;
}

/** GPU-seconds allocated over [0, end of generation]. */
export function generationGpuSeconds(result: IterationResult): number {
  const end = generationEndS(result.spans);
  let total = 0;
  for (const allocation of result.allocations) total += allocation.gpus * Math.max(0, Math.min(allocation.toS, end) - Math.max(allocation.fromS, 0));
  return total;
}

/**
 * The generation phase's decode cost as RLHFless defines it (§3.5, C_Decode = Σ_i T_i·G_i over the
 * decode actors, billed as allocated GPUs × time, §2): for every GPU that runs a generation span,
 * the time it is held — by the allocations it generates in — from the iteration start to the end
 * of generation. GPUs of the pool that never generate (a serverful pool's idle GPUs, functions of
 * later phases started early) are not decode cost; overlapping allocations count once.
 */
export function decodeGpuSeconds(result: IterationResult): number {
  const end = generationEndS(result.spans);
  const generation = result.spans.filter((span) => span.stage === 'generation');
  let total = 0;
  const gpus = new Set<number>();
  for (const span of generation) for (let gpu = span.firstGpu; gpu < span.firstGpu + span.gpus; gpu++) gpus.add(gpu);
  for (const gpu of [...gpus].sort((a, b) => a - b)) {
    const covers = (x: { firstGpu: number; gpus: number }) => gpu >= x.firstGpu && gpu < x.firstGpu + x.gpus;
    const intervals = result.allocations
      .filter((a) => covers(a) && generation.some((s) => covers(s) && s.startS < a.toS && s.endS > a.fromS))
      .map((a) => [Math.max(0, a.fromS), Math.min(a.toS, end)] as const)
      .filter(([from, to]) => to > from)
      .sort((a, b) => a[0] - b[0]);
    let coveredUntil = -Infinity;
    for (const [from, to] of intervals) {
      if (to <= coveredUntil) continue;
      total += to - Math.max(from, coveredUntil);
      coveredUntil = to;
    }
  }
  return total;
}

export function overheadSharePct(result: IterationResult, totalGpus: number): number {
  const capacity = totalGpus * result.iterationTimeS;
  if (!(capacity > 0)) return 0;
  let overhead = 0;
  for (const span of result.spans) if (OVERHEAD_STAGES.has(span.stage)) overhead += span.gpus * (span.endS - span.startS);
  return (100 * overhead) / capacity;
}

/**
 * Share of the generation stage (first generate start → last generate end, from the per-sample
 * ledger) spent after the ⌈0.99·n⌉-th sample finished. NaN without a ledger.
 */
export function generationTailSharePct(result: IterationResult): number {
  const ledger = result.ledger;
  if (!ledger || !ledger.phases().includes('generate') || ledger.samples === 0) return Number.NaN;
  const ends = new Float64Array(ledger.samples);
  let start = Infinity;
  for (let id = 0; id < ledger.samples; id++) {
    ends[id] = ledger.endS('generate', id);
    start = Math.min(start, ledger.startS('generate', id));
  }
  ends.sort();
  const last = ends[ends.length - 1]!;
  const at99 = ends[Math.ceil(0.99 * ends.length) - 1]!;
  const span = last - start;
  return span > 0 ? (100 * (last - at99)) / span : 0;
}

export function iterationMetrics(result: IterationResult, totalGpus: number): IterationMetrics {
  const counters = result.counters;
  return {
    iterationTimeS: result.iterationTimeS,
    samplesPerS: result.samplesPerS,
    gpuSecondsAllocated: result.gpuSecondsAllocated,
    gpuSecondsBusy: result.gpuSecondsBusy,
    costUsd: result.costUsd,
    utilization: result.utilization,
    generationS: result.stagesS['generation'] ?? 0,
    inferenceS: result.stagesS['inference'] ?? 0,
    trainingS: result.stagesS['training'] ?? 0,
    generationInferenceS: generationInferenceWindowS(result.spans),
    generationGpuSeconds: generationGpuSeconds(result),
    decodeGpuSeconds: decodeGpuSeconds(result),
    overheadSharePct: overheadSharePct(result, totalGpus),
    generationTailSharePct: generationTailSharePct(result),
    prefillTokens: (counters['prefill_tokens'] ?? 0) + (counters['prefill_actor_tokens'] ?? 0),
  };
}
