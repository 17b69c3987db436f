/**
 * A split-conformal prediction band from held-out residuals: with n residuals sorted ascending,
 * the band for a new residual at coverage c runs from the ⌊(n + 1)(1 − c)/2⌋-th to the
 * ⌈(n + 1)(1 + c)/2⌉-th smallest (1-based), which holds a new exchangeable residual with
 * probability at least c (Vovk et al. 2005; Lei et al. 2018, §2). When n is too small for an
 * order statistic to exist (the index falls outside 1…n), the band is the sample's range and
 * `guaranteed` is false.
 */
export interface ConformalBand {
  readonly low: number;
  readonly high: number;
  readonly guaranteed: boolean;
}

export function conformalBand(sortedResiduals: ArrayLike<number>, coverage: number): ConformalBand {
  const n = sortedResiduals.length;
  if (n === 0) throw new RangeError('conformal band of an empty sample');
  if (!(coverage > 0 && coverage < 1)) throw new RangeError(`conformal band: coverage must be in (0, 1), got ${coverage}`);
  // A small tolerance keeps (n + 1)(1 − c)/2 = 2 from flooring to 1 through 1 − 0.8 = 0.19999…
  const tolerance = 1e-9;
  const lowIndex = Math.floor(((n + 1) * (1 - coverage)) / 2 + tolerance);
  const highIndex = Math.ceil(((n + 1) * (1 + coverage)) / 2 - tolerance);
  const guaranteed = lowIndex >= 1 && highIndex <= n;
  return {
    low: sortedResiduals[Math.min(n, Math.max(1, lowIndex)) - 1]!,
    high: sortedResiduals[Math.min(n, Math.max(1, highIndex)) - 1]!,
    guaranteed,
  };
}
