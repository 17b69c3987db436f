/**
 * Cost-aware actor scaling (RLHFless §3.5): over the candidate actor counts, min–max normalise
 * the estimated step time and decode cost and pick argmin λ·T̃ + (1 − λ)·C̃ among the candidates
 * the locality constraint allows.
 */
export interface ScalingCandidate {
  readonly actors: number;
  /** Estimated generation time: the slowest actor's end, seconds. */
  readonly timeS: number;
  /** Estimated decode cost: Σ actor lifetime × GPUs, GPU-seconds (ρ cancels in the normalisation). */
  readonly costGpuS: number;
  /** Locality constraint met (§3.6). */
  readonly feasible: boolean;
  /** Worst violation of the locality constraint over the actors, seconds (0 when feasible). */
  readonly violationS: number;
}

export interface ScalingChoice {
  /** Index into the candidates. */
  readonly index: number;
  /** λ·T̃ + (1 − λ)·C̃ per candidate (NaN for those not considered). */
  readonly scores: readonly number[];
  /** True when no candidate met the locality constraint and the least violating one was taken [X]. */
  readonly noneFeasible: boolean;
}

/**
 * Normalisation runs over the feasible candidates. A term whose max equals its min is 0 for all
 * (the paper's formula divides by zero there) [X]; ties go to the fewer actors [X]. When no
 * candidate is feasible, the one with the smallest worst violation is chosen [X].
 */
export function chooseActorCount(candidates: readonly ScalingCandidate[], lambda: number): ScalingChoice {
  if (candidates.length === 0) throw new Error('chooseActorCount: no candidates');
  const considered = candidates.map((c) => c.feasible);
  if (!considered.some(Boolean)) {
    let best = 0;
    for (let i = 1; i < candidates.length; i++) {
      const a = candidates[i]!;
      const b = candidates[best]!;
      if (a.violationS < b.violationS || (a.violationS === b.violationS && a.actors < b.actors)) best = i;
    }
    return { index: best, scores: candidates.map(() => Number.NaN), noneFeasible: true };
  }
  let tMin = Infinity;
  let tMax = -Infinity;
  let cMin = Infinity;
  let cMax = -Infinity;
  candidates.forEach((c, i) => {
    if (!considered[i]) return;
    tMin = Math.min(tMin, c.timeS);
    tMax = Math.max(tMax, c.timeS);
    cMin = Math.min(cMin, c.costGpuS);
    cMax = Math.max(cMax, c.costGpuS);
  });
  const normalise = (value: number, min: number, max: number) => (max > min ? (value - min) / (max - min) : 0);
  const scores = candidates.map((c, i) => (considered[i] ? lambda * normalise(c.timeS, tMin, tMax) + (1 - lambda) * normalise(c.costGpuS, cMin, cMax) : Number.NaN));
  let index = -1;
  scores.forEach((score, i) => {
    if (Number.isNaN(score)) return;
    if (index < 0 || score < scores[index]! || (score === scores[index]! && candidates[i]!.actors < candidates[index]!.actors)) index = i;
  });
  return { index, scores, noneFeasible: false };
}
