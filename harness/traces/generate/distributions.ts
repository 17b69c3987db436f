import { logNormalPdf, normalCdf, normalPdf, normalQuantile, normalSf } from './special-functions.js';

/**
 * Length distributions: a mixture of lognormals (a single lognormal is the one-component case).
 * Component k has weight `weight`, and ln X ~ Normal(`mu`, `sigma`²) (natural log of tokens).
 */
export interface LogNormalComponent {
  readonly weight: number;
  readonly mu: number;
  readonly sigma: number;
}

export type LengthFamily = 'lognormal' | 'mixture';

export interface LogNormalMixture {
  readonly family: LengthFamily;
  readonly components: readonly LogNormalComponent[];
}

export function logNormal(mu: number, sigma: number): LogNormalMixture {
  return { family: 'lognormal', components: [{ weight: 1, mu, sigma }] };
}

export function mixtureCdf(mixture: LogNormalMixture, x: number): number {
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  const y = Math.log(x);
  let total = 0;
  for (const c of mixture.components) total += c.weight * normalCdf((y - c.mu) / c.sigma);
  return total;
}

/** P(X > x), kept precise in the far tail. */
export function mixtureSf(mixture: LogNormalMixture, x: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  const y = Math.log(x);
  let total = 0;
  for (const c of mixture.components) total += c.weight * normalSf((y - c.mu) / c.sigma);
  return total;
}

export function mixturePdf(mixture: LogNormalMixture, x: number): number {
  if (x <= 0) return 0;
  const y = Math.log(x);
  let total = 0;
  for (const c of mixture.components) total += (c.weight * normalPdf((y - c.mu) / c.sigma)) / (c.sigma * x);
  return total;
}

/** ln of the density of ln X at y (used by likelihoods). */
export function mixtureLogDensityOfLog(mixture: LogNormalMixture, y: number): number {
  let total = 0;
  for (const c of mixture.components) total += (c.weight * Math.exp(logNormalPdf((y - c.mu) / c.sigma))) / c.sigma;
  return Math.log(total);
}

/** E[X] = Σ wₖ exp(μₖ + σₖ²/2). */
export function mixtureMean(mixture: LogNormalMixture): number {
  return mixture.components.reduce((sum, c) => sum + c.weight * Math.exp(c.mu + (c.sigma * c.sigma) / 2), 0);
}

/** E[X²] = Σ wₖ exp(2μₖ + 2σₖ²). */
export function mixtureSecondMoment(mixture: LogNormalMixture): number {
  return mixture.components.reduce((sum, c) => sum + c.weight * Math.exp(2 * c.mu + 2 * c.sigma * c.sigma), 0);
}

export function mixtureVariance(mixture: LogNormalMixture): number {
  const mean = mixtureMean(mixture);
  return mixtureSecondMoment(mixture) - mean * mean;
}

/**
 * The x with P(X ≤ x) = p, or with P(X > x) = p when `upperTail` (for precision near 1).
 * Bisection on ln x: the mixture quantile lies between its components' quantiles.
 */
export function mixtureQuantile(mixture: LogNormalMixture, p: number, upperTail = false): number {
  if (p <= 0) return upperTail ? Infinity : 0;
  if (p >= 1) return upperTail ? 0 : Infinity;
  const zs = normalQuantile(p, upperTail);
  let low = Infinity;
  let high = -Infinity;
  for (const c of mixture.components) {
    const y = c.mu + c.sigma * zs;
    low = Math.min(low, y);
    high = Math.max(high, y);
  }
  if (mixture.components.length === 1) return Math.exp(low);
  const excess = (y: number): number => {
    const x = Math.exp(y);
    return upperTail ? p - mixtureSf(mixture, x) : mixtureCdf(mixture, x) - p;
  };
  for (let i = 0; i < 200 && high - low > 1e-13 * Math.max(1, Math.abs(low)); i++) {
    const middle = 0.5 * (low + high);
    if (excess(middle) < 0) low = middle;
    else high = middle;
  }
  return Math.exp(0.5 * (low + high));
}

/**
 * Maps a standard-normal score to a length through the mixture's quantile function (the Gaussian
 * copula step of the generator), optionally restricted to [lowerBound, upperBound): the score's
 * probability is rescaled into [F(lower), F(upper)], so the draw follows the truncated law exactly.
 */
export function mixtureQuantileOfNormalScore(
  mixture: LogNormalMixture,
  z: number,
  bounds: { readonly lower?: number; readonly upper?: number } = {},
): number {
  if (bounds.lower === undefined && bounds.upper === undefined) {
    return z <= 0 ? mixtureQuantile(mixture, normalCdf(z)) : mixtureQuantile(mixture, normalSf(z), true);
  }
  const lowCdf = bounds.lower === undefined ? 0 : mixtureCdf(mixture, bounds.lower);
  if (bounds.upper === undefined && z > 0) return mixtureQuantile(mixture, (1 - lowCdf) * normalSf(z), true);
  const highCdf = bounds.upper === undefined ? 1 : mixtureCdf(mixture, bounds.upper);
  const p = lowCdf + normalCdf(z) * (highCdf - lowCdf);
  return mixtureQuantile(mixture, p);
}
