import type { Rng } from '../../util/rng.js';
import { regularizedGammaP } from './special-functions.js';

/**
 * Between-epoch drift of a prompt's response length. A prompt's lengths move by a whole-token
 * shift d each epoch (a random walk over epochs), with d drawn from a zero-centred generalised
 * normal law: density ∝ exp(−|d/scale|^shape). shape 2 is a normal, 1 a Laplace; two parameters
 * are what it takes to hit both stability figures the RLHFless paper reports.
 */
export interface DriftModel {
  readonly kind: 'generalized-normal';
  readonly scaleTokens: number;
  readonly shape: number;
}

/** "About `fraction` of per-prompt lengths change by at most `tokens` between consecutive epochs." */
export interface StabilityTarget {
  readonly tokens: number;
  readonly fraction: number;
}

/**
 * RLHFless §3.2 (PPO, GSM8K, Qwen2.5-3B, max response 2048): between consecutive epochs about 70%
 * of per-prompt lengths change by ≤ 50 tokens and about 90% by ≤ 100 tokens.
 */
export const RLHFLESS_LENGTH_STABILITY: readonly StabilityTarget[] = [
  { tokens: 50, fraction: 0.7 },
  { tokens: 100, fraction: 0.9 },
];

/** P(|round(d)| ≤ t) = P(|d| < t + ½) = P(1/shape, ((t + ½)/scale)^shape). */
export function driftWithinProbability(model: DriftModel, tokens: number): number {
  return regularizedGammaP(1 / model.shape, ((tokens + 0.5) / model.scaleTokens) ** model.shape);
}

function bisect(f: (x: number) => number, low: number, high: number, iterations = 200): number {
  let fLow = f(low);
  for (let i = 0; i < iterations; i++) {
    const middle = 0.5 * (low + high);
    const fMiddle = f(middle);
    if (fMiddle === 0) return middle;
    if (Math.sign(fMiddle) === Math.sign(fLow)) {
      low = middle;
      fLow = fMiddle;
    } else {
      high = middle;
    }
  }
  return 0.5 * (low + high);
}

/**
 * Solves for the drift law that meets two stability targets exactly: for each shape, the scale
 * that meets the first target; then the shape whose scale also meets the second.
 */
export function calibrateDrift(targets: readonly StabilityTarget[] = RLHFLESS_LENGTH_STABILITY): DriftModel {
  if (targets.length !== 2) throw new Error('drift calibration takes exactly two stability targets');
  const [near, far] = [...targets].sort((a, b) => a.tokens - b.tokens) as [StabilityTarget, StabilityTarget];
  if (!(near.fraction < far.fraction && near.fraction > 0 && far.fraction < 1)) {
    throw new Error('stability targets must grow with the token bound and lie in (0, 1)');
  }
  const scaleFor = (shape: number): number =>
    bisect((scale) => driftWithinProbability({ kind: 'generalized-normal', scaleTokens: scale, shape }, near.tokens) - near.fraction, 1e-6, 1e6);
  const farError = (shape: number): number =>
    driftWithinProbability({ kind: 'generalized-normal', scaleTokens: scaleFor(shape), shape }, far.tokens) - far.fraction;
  const shape = bisect(farError, 0.2, 8, 100);
  return { kind: 'generalized-normal', scaleTokens: scaleFor(shape), shape };
}

/** Gamma(shape, 1) by Marsaglia–Tsang (boosted by U^{1/a} for a < 1). */
export function sampleGamma(shape: number, rng: Rng): number {
  if (shape < 1) return sampleGamma(shape + 1, rng) * rng.next() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** One drift draw, whole tokens: sign · scale · G^{1/shape}, G ~ Gamma(1/shape). */
export function sampleDriftTokens(model: DriftModel, rng: Rng): number {
  const magnitude = model.scaleTokens * sampleGamma(1 / model.shape, rng) ** (1 / model.shape);
  const sign = rng.next() < 0.5 ? -1 : 1;
  return Math.round(sign * magnitude) + 0; // + 0 turns −0 into 0
}

/** A group's next-epoch latent lengths: every sample shifted by the same drift, never below 1 token. */
export function driftGroupLengths(latentTokens: readonly number[], driftTokens: number): number[] {
  return latentTokens.map((x) => Math.max(1, x + driftTokens));
}
