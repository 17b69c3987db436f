import type { LengthFamily, LogNormalComponent, LogNormalMixture } from './distributions.js';
import { logNormalPdf, normalCdf, normalPdf, normalSf } from './special-functions.js';

/**
 * Token lengths as a fitter sees them. Lengths are integers, so a recorded length L is read as
 * the event X ∈ [L − ½, L + ½) of a continuous X (and L ≤ 1 as X < 1.5): that is exactly what the
 * generator's rounding produces, and it keeps a mixture component from collapsing onto one
 * repeated value. Samples stopped by a length cap are right-censored: only X ≥ cap − ½ is known.
 * When a source dropped every sample longer than some bound (a filter, not a cap), the
 * likelihood is conditioned on X < bound + ½ instead.
 */
export interface LengthObservations {
  /** Lengths of samples that ended by themselves, tokens. */
  readonly values: readonly number[];
  /** How many samples hit the cap (recorded at the cap, marked truncated). */
  readonly censoredCount: number;
  /** The cap, tokens; required when censoredCount > 0. */
  readonly capTokens?: number;
  /** The source kept only lengths ≤ this bound (samples above were dropped, not capped). */
  readonly upperTruncationTokens?: number;
}

export interface MixtureFitOptions {
  readonly family: LengthFamily;
  /** Components for `mixture` (ignored for `lognormal`, which has one). */
  readonly components?: number;
  readonly maxIterations?: number;
  /** Stop when the log-likelihood gains less than this per observation. */
  readonly tolerancePerObservation?: number;
}

export interface MixtureFit {
  readonly mixture: LogNormalMixture;
  readonly logLikelihood: number;
  readonly observations: number;
  readonly censored: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly parameterCount: number;
  readonly aic: number;
  readonly bic: number;
}

/** One distinct interval of ln X and how many observations fell in it. */
interface Cell {
  readonly logLower: number; // −Infinity for "below"
  readonly logUpper: number; // +Infinity for "above"
  readonly count: number;
}

const MIN_SIGMA = 1e-3;

function intervalOfLength(length: number): { logLower: number; logUpper: number } {
  if (length <= 1) return { logLower: -Infinity, logUpper: Math.log(1.5) };
  return { logLower: Math.log(length - 0.5), logUpper: Math.log(length + 0.5) };
}

/** Cells of the observed data: one per distinct length, plus the censored cell. */
function cellsOf(data: LengthObservations): Cell[] {
  const counts = new Map<number, number>();
  for (const value of data.values) counts.set(value <= 1 ? 1 : value, (counts.get(value <= 1 ? 1 : value) ?? 0) + 1);
  const cells: Cell[] = [...counts.keys()]
    .sort((a, b) => a - b)
    .map((length) => ({ ...intervalOfLength(length), count: counts.get(length)! }));
  if (data.censoredCount > 0) {
    if (data.capTokens === undefined) throw new Error('censored observations need capTokens');
    cells.push({ logLower: Math.log(data.capTokens - 0.5), logUpper: Infinity, count: data.censoredCount });
  }
  return cells;
}

interface CellMoments {
  /** ln P(X in cell | component). */
  readonly logProbability: number;
  /** E[ln X | cell, component] and E[(ln X)² | cell, component]. */
  readonly mean: number;
  readonly secondMoment: number;
}

/** Probability and first two moments of a normal restricted to [lower, upper). */
function cellMoments(logLower: number, logUpper: number, c: LogNormalComponent): CellMoments {
  const alpha = (logLower - c.mu) / c.sigma;
  const beta = (logUpper - c.mu) / c.sigma;
  const probability = alpha > 0 ? normalSf(alpha) - normalSf(beta) : normalCdf(beta) - normalCdf(alpha);
  if (!(probability > 1e-290)) {
    // Far out in this component's tail: the cell is effectively a point (or its nearer edge).
    const point = Number.isFinite(alpha) && Number.isFinite(beta) ? 0.5 * (alpha + beta) : Number.isFinite(alpha) ? alpha : beta;
    const width = Number.isFinite(alpha) && Number.isFinite(beta) ? beta - alpha : 1;
    const y = c.mu + c.sigma * point;
    return { logProbability: logNormalPdf(point) + Math.log(width), mean: y, secondMoment: y * y };
  }
  const pdfAlpha = Number.isFinite(alpha) ? normalPdf(alpha) : 0;
  const pdfBeta = Number.isFinite(beta) ? normalPdf(beta) : 0;
  const alphaPdfAlpha = Number.isFinite(alpha) ? alpha * pdfAlpha : 0;
  const betaPdfBeta = Number.isFinite(beta) ? beta * pdfBeta : 0;
  const m1 = (pdfAlpha - pdfBeta) / probability;
  const m2 = (alphaPdfAlpha - betaPdfBeta) / probability;
  return {
    logProbability: Math.log(probability),
    mean: c.mu + c.sigma * m1,
    secondMoment: c.mu * c.mu + 2 * c.mu * c.sigma * m1 + c.sigma * c.sigma * (1 + m2),
  };
}

function logSumExp(values: readonly number[]): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

/** Equal-count bins over the sorted data give each component a starting mean and spread. */
function initialComponents(cells: readonly Cell[], k: number): LogNormalComponent[] {
  const total = cells.reduce((sum, cell) => sum + cell.count, 0);
  const representative = (cell: Cell): number =>
    Number.isFinite(cell.logLower) && Number.isFinite(cell.logUpper)
      ? 0.5 * (cell.logLower + cell.logUpper)
      : Number.isFinite(cell.logLower) ? cell.logLower : cell.logUpper;
  const sums = Array.from({ length: k }, () => ({ n: 0, s1: 0, s2: 0 }));
  let seen = 0;
  for (const cell of cells) {
    const y = representative(cell);
    for (let i = 0; i < cell.count; i++) {
      const bin = sums[Math.min(k - 1, Math.floor((seen * k) / total))]!;
      bin.n += 1;
      bin.s1 += y;
      bin.s2 += y * y;
      seen += 1;
    }
  }
  const overall = sums.reduce((acc, b) => ({ n: acc.n + b.n, s1: acc.s1 + b.s1, s2: acc.s2 + b.s2 }), { n: 0, s1: 0, s2: 0 });
  const overallSd = Math.sqrt(Math.max(overall.s2 / overall.n - (overall.s1 / overall.n) ** 2, MIN_SIGMA ** 2));
  return sums.map((b) => {
    const mean = b.n > 0 ? b.s1 / b.n : overall.s1 / overall.n;
    const variance = b.n > 1 ? b.s2 / b.n - mean * mean : overallSd ** 2;
    return { weight: 1 / k, mu: mean, sigma: Math.max(Math.sqrt(Math.max(variance, 0)), overallSd / (2 * k), MIN_SIGMA) };
  });
}

interface EStep {
  readonly logLikelihood: number;
  readonly next: LogNormalComponent[];
}

function emStep(cells: readonly Cell[], components: readonly LogNormalComponent[], truncationCell: Cell | undefined, n: number): EStep {
  const k = components.length;
  const sumWeight = new Float64Array(k);
  const sumMean = new Float64Array(k);
  const sumSecond = new Float64Array(k);
  let logLikelihood = 0;
  const accumulate = (cell: Cell, count: number): number => {
    const moments = components.map((c) => cellMoments(cell.logLower, cell.logUpper, c));
    const logJoint = moments.map((m, i) => Math.log(components[i]!.weight) + m.logProbability);
    const logTotal = logSumExp(logJoint);
    for (let i = 0; i < k; i++) {
      const responsibility = Math.exp(logJoint[i]! - logTotal);
      const w = count * responsibility;
      sumWeight[i] = sumWeight[i]! + w;
      sumMean[i] = sumMean[i]! + w * moments[i]!.mean;
      sumSecond[i] = sumSecond[i]! + w * moments[i]!.secondMoment;
    }
    return logTotal;
  };
  for (const cell of cells) logLikelihood += cell.count * accumulate(cell, cell.count);
  let effectiveN = n;
  if (truncationCell) {
    // Missing-data EM for a truncated sample: the dropped samples are phantom observations in
    // the region above the bound, m = n·P(above)/P(below) of them in expectation.
    const logAbove = logSumExp(components.map((c) => Math.log(c.weight) + cellMoments(truncationCell.logLower, Infinity, c).logProbability));
    const above = Math.exp(logAbove);
    const below = Math.max(1 - above, 1e-300);
    logLikelihood -= n * Math.log(below);
    const phantom = (n * above) / below;
    accumulate(truncationCell, phantom);
    effectiveN += phantom;
  }
  const next = components.map((c, i) => {
    const w = sumWeight[i]!;
    if (!(w > 1e-9)) return c;
    const mu = sumMean[i]! / w;
    const variance = sumSecond[i]! / w - mu * mu;
    return { weight: w / effectiveN, mu, sigma: Math.max(Math.sqrt(Math.max(variance, 0)), MIN_SIGMA) };
  });
  return { logLikelihood, next };
}

/** Flattened parameters (weight, mu, ln sigma per component) for the extrapolation step. */
function toVector(components: readonly LogNormalComponent[]): number[] {
  return components.flatMap((c) => [c.weight, c.mu, Math.log(c.sigma)]);
}

function fromVector(vector: readonly number[]): LogNormalComponent[] | undefined {
  const components: LogNormalComponent[] = [];
  for (let i = 0; i < vector.length; i += 3) {
    const weight = vector[i]!;
    if (!(weight > 1e-12) || !Number.isFinite(vector[i + 1]!) || !Number.isFinite(vector[i + 2]!)) return undefined;
    components.push({ weight, mu: vector[i + 1]!, sigma: Math.max(Math.exp(vector[i + 2]!), MIN_SIGMA) });
  }
  const total = components.reduce((sum, c) => sum + c.weight, 0);
  return components.map((c) => ({ ...c, weight: c.weight / total }));
}

/** SQUAREM's S3 step θ' = θ₀ − 2αr + α²v with α = −‖r‖/‖v‖ (capped at −1, the plain double step). */
function extrapolate(
  start: readonly LogNormalComponent[],
  once: readonly LogNormalComponent[],
  twice: readonly LogNormalComponent[],
): LogNormalComponent[] | undefined {
  const x0 = toVector(start);
  const x1 = toVector(once);
  const x2 = toVector(twice);
  const r = x1.map((v, i) => v - x0[i]!);
  const v = x2.map((value, i) => value - 2 * x1[i]! + x0[i]!);
  const normR = Math.hypot(...r);
  const normV = Math.hypot(...v);
  if (!(normV > 0)) return undefined;
  const alpha = Math.min(-1, -normR / normV);
  return fromVector(x0.map((value, i) => value - 2 * alpha * r[i]! + alpha * alpha * v[i]!));
}

/**
 * Maximum-likelihood fit of a lognormal or a K-component lognormal mixture by EM, with integer
 * lengths as intervals, capped samples right-censored and an optional upper truncation.
 * Deterministic: the start is the equal-count split of the sorted data, not a random draw.
 */
export function fitLengthMixture(data: LengthObservations, options: MixtureFitOptions): MixtureFit {
  const k = options.family === 'lognormal' ? 1 : (options.components ?? 3);
  if (!Number.isInteger(k) || k < 1) throw new Error(`components must be a positive integer, got ${k}`);
  const cells = cellsOf(data);
  const n = cells.reduce((sum, cell) => sum + cell.count, 0);
  if (n === 0) throw new Error('no lengths to fit');
  const truncationCell =
    data.upperTruncationTokens === undefined ? undefined : { logLower: Math.log(data.upperTruncationTokens + 0.5), logUpper: Infinity, count: 0 };
  const maxIterations = options.maxIterations ?? 5000;
  const tolerance = (options.tolerancePerObservation ?? 1e-8) * n;
  let components = initialComponents(cells, k);
  let previous = -Infinity;
  let iterations = 0;
  let converged = false;
  let logLikelihood = -Infinity;
  // SQUAREM (Varadhan & Roland 2008): two EM steps, an extrapolation along their direction, and
  // one stabilising EM step; fall back to the plain steps whenever the likelihood would drop.
  // EM for censored and truncated mixtures otherwise crawls for thousands of iterations.
  const step = (c: readonly LogNormalComponent[]): EStep => emStep(cells, c, truncationCell, n);
  while (iterations < maxIterations) {
    const first = step(components);
    const second = step(first.next);
    iterations += 2;
    logLikelihood = first.logLikelihood;
    if (Math.abs(logLikelihood - previous) < tolerance) {
      converged = true;
      break;
    }
    previous = logLikelihood;
    const plain = second.next;
    let candidate = plain;
    const extrapolated = extrapolate(components, first.next, plain);
    if (extrapolated) {
      const stabilised = step(extrapolated);
      iterations += 1;
      const plainLogLikelihood = step(plain).logLikelihood;
      if (stabilised.logLikelihood >= plainLogLikelihood) candidate = stabilised.next;
    }
    components = candidate;
  }
  // Report the likelihood of exactly the parameters returned.
  logLikelihood = emStep(cells, components, truncationCell, n).logLikelihood;
  const sorted = [...components].sort((a, b) => a.mu - b.mu);
  const parameterCount = 3 * k - 1;
  return {
    mixture: { family: options.family, components: sorted },
    logLikelihood,
    observations: n,
    censored: data.censoredCount,
    iterations,
    converged,
    parameterCount,
    aic: 2 * parameterCount - 2 * logLikelihood,
    bic: parameterCount * Math.log(n) - 2 * logLikelihood,
  };
}
