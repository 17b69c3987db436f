import type { ReplicaCost } from '../../cost/types.js';

/**
 * The planner's T(X_i, G_i) (RLHFless §3.5): the paper profiles TPOT with dummy batches at
 * start-up; here the "profile" is read off the cost model per batch size — a decode step as
 * A(b) + S(b)·(total context) — once per batch size and plan. An actor's decode time is then
 *
 *   T ≈ L·A(b̄) + S(b̄)·Σ_j (p_j·l_j + l_j(l_j − 1)/2)
 *
 * with L its longest predicted response, b̄ = Σ l_j / L its mean running batch (the batch shrinks
 * as responses end) and the sum the context every step reads [X: the paper does not fix the form].
 */
export class DecodeProfile {
  /** A(b) and S(b) per integer batch, NaN until first asked (one plan asks for a few hundred). */
  private base = new Float64Array(0);
  private slope = new Float64Array(0);
  private static readonly probeContextPerSequence = 1024;

  constructor(private readonly replica: Pick<ReplicaCost, 'decodeStepS'>) {}

  /** Fills A(b), S(b) for an integer batch b ≥ 1. */
  private ensure(batch: number): void {
    if (batch >= this.base.length) {
      const size = Math.max(batch + 1, 2 * this.base.length, 64);
      const base = new Float64Array(size).fill(Number.NaN);
      const slope = new Float64Array(size).fill(Number.NaN);
      base.set(this.base);
      slope.set(this.slope);
      this.base = base;
      this.slope = slope;
    }
    if (!Number.isNaN(this.base[batch]!)) return;
    const context = batch * DecodeProfile.probeContextPerSequence;
    const at0 = this.replica.decodeStepS(batch, 0);
    this.base[batch] = at0;
    this.slope[batch] = (this.replica.decodeStepS(batch, context) - at0) / context;
  }

  /** Decode seconds for responses totalling `sequenceSteps` tokens, the longest `longestTokens`, reading `contextSteps` KV tokens over all steps. */
  decodeS(longestTokens: number, sequenceSteps: number, contextSteps: number): number {
    if (longestTokens <= 0 || sequenceSteps <= 0) return 0;
    const meanBatch = Math.max(1, sequenceSteps / longestTokens);
    const low = Math.floor(meanBatch);
    const high = Math.ceil(meanBatch);
    this.ensure(high);
    this.ensure(low);
    let a = this.base[low]!;
    let s = this.slope[low]!;
    if (high !== low) {
      const w = meanBatch - low;
      a += w * (this.base[high]! - a);
      s += w * (this.slope[high]! - s);
    }
    return longestTokens * a + s * contextSteps;
  }
}

/** Σ over a response's decode steps of its context (prompt + tokens so far): p·l + l(l − 1)/2. */
export function contextSteps(promptTokens: number, responseTokens: number): number {
  return promptTokens * responseTokens + (responseTokens * (responseTokens - 1)) / 2;
}
