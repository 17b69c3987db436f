import type { ReplicaCost } from '../../cost/types.js';

/**
 * Constraint (a) of RLHFuse's migration (papers/rlhfuse.md §2.3): the survivors' running batch
 * must stay where a decode step is still roughly flat in batch size. Named criterion: the largest
 * batch B ≤ `maxBatch` whose decode step, every sequence holding `contextPerSequence` tokens,
 * costs at most (1 + tolerance) × the step of one such sequence. The step time grows with B
 * (weights are read once, KV and per-sequence work grow), so a binary search finds it.
 */
export function flatBatchLimit(replica: Pick<ReplicaCost, 'decodeStepS'>, contextPerSequence: number, tolerance: number, maxBatch: number): number {
  if (!(maxBatch >= 1)) throw new RangeError(`flatBatchLimit: maxBatch must be ≥ 1, got ${maxBatch}`);
  const context = Math.max(1, contextPerSequence);
  const limitS = (1 + tolerance) * replica.decodeStepS(1, context);
  let lo = 1;
  let hi = Math.floor(maxBatch);
  if (replica.decodeStepS(hi, hi * context) <= limitS) return hi;
  // Invariant: lo is flat, hi is not.
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (replica.decodeStepS(mid, mid * context) <= limitS) lo = mid;
    else hi = mid;
  }
  return lo;
}
