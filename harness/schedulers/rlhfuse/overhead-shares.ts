import { unionLengthS } from '../../sim/metrics.js';
import type { IterationResult } from '../../sim/types.js';

/** Span stages that are overheads, by the counter they feed. */
const OVERHEAD_STAGES = {
  kv_migration: ['kv-migration'],
  weight_redistribution: ['weight-sync', 'reallocation'],
  model_load: ['model-load'],
} as const;

/**
 * RLHFuse reports its residual overheads — data transfer and weight redistribution — as under 3 %
 * of an iteration (papers/rlhfuse.md §4). Added to each iteration's counters, in percent:
 * - `<kind>_share_pct`: the overhead's GPU-seconds over the cluster's GPU-seconds in the
 *   iteration (GPUs × iteration time) — what the overhead takes from the iteration, wherever it
 *   runs; kinds: kv_migration (KV cache sent at the migration), weight_redistribution (actor into
 *   the generation layout, critic into its inference layout), model_load (frozen ref / reward
 *   weights from host memory);
 * - `overhead_share_pct`: their sum;
 * - `overhead_wall_share_pct`: the wall time during which any overhead runs somewhere, over the
 *   iteration time (pessimistic: overheads on some GPUs while others compute count in full).
 */
export function withOverheadShares(result: IterationResult, totalGpus: number): IterationResult {
  const t = result.iterationTimeS;
  const capacity = t * totalGpus;
  const pct = (part: number, whole: number) => (whole > 0 ? (100 * part) / whole : 0);
  const shares: Record<string, number> = {};
  let sum = 0;
  for (const [kind, stages] of Object.entries(OVERHEAD_STAGES)) {
    let gpuSeconds = 0;
    for (const span of result.spans) if ((stages as readonly string[]).includes(span.stage)) gpuSeconds += span.gpus * (span.endS - span.startS);
    shares[`${kind}_share_pct`] = pct(gpuSeconds, capacity);
    sum += gpuSeconds;
  }
  shares.overhead_share_pct = pct(sum, capacity);
  const intervals = result.spans.filter((s) => Object.values(OVERHEAD_STAGES).some((stages) => (stages as readonly string[]).includes(s.stage)));
  shares.overhead_wall_share_pct = pct(unionLengthS(intervals.map((s) => [s.startS, s.endS] as const)), t);
  const merged: Record<string, number> = { ...result.counters, ...shares };
  const counters: Record<string, number> = {};
  for (const key of Object.keys(merged).sort()) counters[key] = merged[key]!;
  return { ...result, counters };
}
