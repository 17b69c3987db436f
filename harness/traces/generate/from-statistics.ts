import { logNormal, mixtureQuantile, type LogNormalMixture } from './distributions.js';
import { normalCdf, normalQuantile, normalSf } from './special-functions.js';
import type { SampleGroup, Workload } from '../types.js';
import { createRng } from '../../util/rng.js';

/**
 * A workload for one recorded step that matches the step's own length statistics. Real RL logs
 * publish a step's response-length mean, max and clip ratio (the share of responses that hit the
 * cap) and its prompt-length mean, never the lengths themselves; a simulation needs every sample.
 * The response law is a lognormal capped at the run's maximum response length whose two
 * parameters are solved so that, after capping, it has the row's mean and
 *  - its clip ratio (P(X ≥ cap) = clip ratio), when the row gives a positive one, or else
 *  - its max (the longest of the N samples, drawn at the 1 − ½/N quantile, is the max), when the row gives one;
 * with neither, the response law is the given fallback shape (a recorded distribution),
 * rescaled to the mean when there is one. Samples are the law's quantiles at (i + ½)/N, dealt to
 * prompts in a seeded order: the workload has the law's shape exactly, and the same inputs give
 * the same workload. Prompts all have the row's mean prompt length (the rows give no more).
 */
export interface LengthStatistics {
  readonly prompts: number;
  readonly samplesPerPrompt: number;
  /** The run's response length cap (max_response_length), tokens. */
  readonly responseCapTokens: number;
  readonly responseMeanTokens?: number;
  readonly responseMaxTokens?: number;
  /** Share of responses that stopped at the cap, 0–1. */
  readonly responseClipRatio?: number;
  readonly promptMeanTokens?: number;
  /** Prompt + response mean, where a source gives only that. */
  readonly sequenceMeanTokens?: number;
}

export interface LengthWorkloadOptions {
  readonly seed: number;
  /** The response law when the row gives neither a mean nor a max/clip ratio (e.g. a recorded run's fitted mixture). */
  readonly fallbackResponseLaw?: { readonly law: LogNormalMixture; readonly what: string };
  /** Prompt length when the row gives none, and why that value. */
  readonly fallbackPromptTokens?: { readonly tokens: number; readonly what: string };
  /** Shape used when the row gives a mean but no max or clip ratio: σ of ln(length), and why. */
  readonly defaultSigma?: { readonly sigma: number; readonly what: string };
}

/**
 * Which statistics the response law matches: the mean with the clip ratio, with the max (the
 * longest sample), with the cap reached about once (max = cap, clip ratio 0 or not given), with a
 * given default σ; or a given fallback law (no mean at all).
 */
export type ResponseLawMethod = 'mean-and-clip-ratio' | 'mean-and-max' | 'mean-and-cap-reached-once' | 'mean-and-default-sigma' | 'fallback-law';

export interface LengthWorkload {
  readonly workload: Workload;
  /** Which statistics the response law was solved for. */
  readonly method: ResponseLawMethod;
  /** How each statistic was matched or inferred, in words for the report. */
  readonly inferences: readonly string[];
  /** True when some length statistic the simulation uses was not in the row (assumed or taken from elsewhere). */
  readonly inferred: boolean;
  readonly achieved: { readonly responseMeanTokens: number; readonly responseMaxTokens: number; readonly clipRatio: number; readonly promptMeanTokens: number };
}

/** Mean of min(X, cap) for X lognormal(μ, σ): E[X; X < cap] + cap · P(X ≥ cap). */
export function cappedLogNormalMean(mu: number, sigma: number, cap: number): number {
  const z = (Math.log(cap) - mu) / sigma;
  const below = Math.exp(mu + (sigma * sigma) / 2) * normalCdf(z - sigma);
  return below + cap * normalSf(z);
}

/** Bisection for the σ at which f(σ) crosses the target (f monotone on [lo, hi]). */
function solveSigma(f: (sigma: number) => number, target: number, lo = 0.01, hi = 4): number | undefined {
  const flo = f(lo) - target;
  const fhi = f(hi) - target;
  if (!Number.isFinite(flo) || !Number.isFinite(fhi) || flo * fhi > 0) return undefined;
  let a = lo;
  let b = hi;
  for (let i = 0; i < 200; i++) {
    const m = 0.5 * (a + b);
    const fm = f(m) - target;
    if ((fm < 0) === (flo < 0)) a = m;
    else b = m;
  }
  return 0.5 * (a + b);
}

export interface ResponseLaw {
  readonly law: LogNormalMixture;
  readonly method: ResponseLawMethod;
  readonly inferences: string[];
  readonly inferred: boolean;
}

/**
 * The response law of `samples` samples with these statistics (the first half of
 * workloadFromLengthStatistics, without drawing them): throws a RangeError when the statistics
 * fit no capped lognormal and the options give no default σ or fallback law.
 */
export function solveResponseLaw(stats: LengthStatistics, samples: number, options: Omit<LengthWorkloadOptions, 'seed'>): ResponseLaw {
  const cap = stats.responseCapTokens;
  const inferences: string[] = [];
  let mean = stats.responseMeanTokens;
  let inferred = false;
  if (mean === undefined && stats.sequenceMeanTokens !== undefined && stats.promptMeanTokens !== undefined) {
    mean = stats.sequenceMeanTokens - stats.promptMeanTokens;
    inferences.push(`response mean ${mean.toFixed(1)} tokens = sequence mean − prompt mean`);
  }
  if (mean === undefined) {
    const fallback = options.fallbackResponseLaw;
    if (!fallback) throw new RangeError('the row gives no response-length statistics and no fallback law was given');
    inferences.push(`response lengths: ${fallback.what} (the row gives no response-length statistics)`);
    return { law: fallback.law, method: 'fallback-law', inferences, inferred: true };
  }
  const clip = stats.responseClipRatio;
  if (clip !== undefined && clip > 0 && clip < 1) {
    // P(X ≥ cap) = clip fixes μ for each σ; the capped mean then picks σ.
    const zc = normalQuantile(clip, true);
    const muOf = (sigma: number) => Math.log(cap) - sigma * zc;
    const sigma = solveSigma((s) => cappedLogNormalMean(muOf(s), s, cap), mean);
    if (sigma !== undefined) {
      inferences.push(`response lengths: lognormal (σ ${sigma.toFixed(3)}) capped at ${cap}, solved for the row's mean ${round(mean)} and clip ratio ${clip}`);
      return { law: logNormal(muOf(sigma), sigma), method: 'mean-and-clip-ratio', inferences, inferred };
    }
    inferences.push(`the row's mean ${round(mean)} and clip ratio ${clip} fit no capped lognormal; matched on the mean and max instead`);
  }
  const max = stats.responseMaxTokens;
  if (max !== undefined && max < cap && max > mean) {
    // The longest of the N stratified samples is drawn at the 1 − ½/N quantile: put the max there.
    const zm = normalQuantile(0.5 / samples, true);
    const muOf = (sigma: number) => Math.log(max) - sigma * zm;
    const sigma = solveSigma((s) => cappedLogNormalMean(muOf(s), s, cap), mean);
    if (sigma !== undefined) {
      inferences.push(`response lengths: lognormal (σ ${sigma.toFixed(3)}) capped at ${cap}, solved for the row's mean ${round(mean)} and max ${max} (the longest of ${samples} samples)`);
      return { law: logNormal(muOf(sigma), sigma), method: 'mean-and-max', inferences, inferred };
    }
  }
  if (max !== undefined && max >= cap) {
    // The max is the cap but the clip ratio is unknown, rounds to 0 (logged to 3 decimals) or is unusable: the cap is reached about once.
    const zm = normalQuantile(0.5 / samples, true);
    const muOf = (sigma: number) => Math.log(cap) - sigma * zm;
    const sigma = solveSigma((s) => cappedLogNormalMean(muOf(s), s, cap), mean);
    if (sigma !== undefined) {
      inferences.push(`response lengths: lognormal (σ ${sigma.toFixed(3)}) capped at ${cap}, solved for the row's mean ${round(mean)} with the cap reached about once (max = cap, clip ratio ${clip === undefined ? 'not given' : clip})`);
      return { law: logNormal(muOf(sigma), sigma), method: 'mean-and-cap-reached-once', inferences, inferred };
    }
  }
  const fallbackSigma = options.defaultSigma;
  if (!fallbackSigma) throw new RangeError('the row gives a response mean but no usable max or clip ratio, and no default σ was given');
  const sigma = fallbackSigma.sigma;
  const mu = solveMu(mean, sigma, cap);
  inferences.push(`response lengths: lognormal with σ ${sigma} (${fallbackSigma.what}) capped at ${cap}, matched on the row's mean ${round(mean)}`);
  return { law: logNormal(mu, sigma), method: 'mean-and-default-sigma', inferences, inferred: true };
}

function solveMu(mean: number, sigma: number, cap: number): number {
  let lo = Math.log(1) - 10;
  let hi = Math.log(cap) + 10;
  for (let i = 0; i < 200; i++) {
    const m = 0.5 * (lo + hi);
    if (cappedLogNormalMean(m, sigma, cap) < mean) lo = m;
    else hi = m;
  }
  return 0.5 * (lo + hi);
}

const round = (x: number) => Math.round(x * 10) / 10;

export function workloadFromLengthStatistics(stats: LengthStatistics, options: LengthWorkloadOptions): LengthWorkload {
  if (!(Number.isInteger(stats.prompts) && stats.prompts >= 1)) throw new RangeError(`prompts must be a positive integer, got ${stats.prompts}`);
  if (!(Number.isInteger(stats.samplesPerPrompt) && stats.samplesPerPrompt >= 1)) throw new RangeError(`samples per prompt must be a positive integer, got ${stats.samplesPerPrompt}`);
  const samples = stats.prompts * stats.samplesPerPrompt;
  const cap = stats.responseCapTokens;
  const { law, method, inferences, inferred: lawInferred } = solveResponseLaw(stats, samples, options);
  let inferred = lawInferred;
  // Stratified quantiles: the workload has the law's shape exactly (no sampling noise), capped.
  const lengths = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    const p = (i + 0.5) / samples;
    const x = p < 0.5 ? mixtureQuantile(law, p) : mixtureQuantile(law, 1 - p, true);
    lengths[i] = Math.max(1, Math.min(cap, Math.round(x)));
  }
  // Deal the sorted lengths to samples in a seeded random order.
  const rng = createRng(options.seed).fork('length-workload');
  for (let i = samples - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = lengths[i]!;
    lengths[i] = lengths[j]!;
    lengths[j] = t;
  }
  let promptTokens = stats.promptMeanTokens;
  if (promptTokens === undefined) {
    const fallback = options.fallbackPromptTokens;
    if (!fallback) throw new RangeError('the row gives no prompt length and no fallback was given');
    promptTokens = fallback.tokens;
    inferences.push(`prompts: ${fallback.tokens} tokens each (${fallback.what})`);
    inferred = true;
  } else inferences.push(`prompts: ${round(promptTokens)} tokens each (the row's mean; it gives no spread)`);
  const prompt = Math.max(1, Math.round(promptTokens));
  const groups: SampleGroup[] = [];
  let total = 0;
  let longest = 0;
  let atCap = 0;
  for (let g = 0; g < stats.prompts; g++) {
    const responseTokens: number[] = [];
    const truncated: boolean[] = [];
    for (let k = 0; k < stats.samplesPerPrompt; k++) {
      const length = lengths[g * stats.samplesPerPrompt + k]!;
      responseTokens.push(length);
      truncated.push(length >= cap);
      total += length;
      longest = Math.max(longest, length);
      if (length >= cap) atCap++;
    }
    groups.push({ iteration: 0, groupId: String(g), promptId: String(g), promptTokens: prompt, responseTokens, truncated });
  }
  return {
    workload: {
      meta: {
        format: 'length-statistics',
        sources: [],
        synthetic: true,
        description: 'one step synthesised from a recorded step’s length statistics',
        maxResponseTokens: cap,
        maxResponseTokensSource: 'given',
        notes: [...inferences],
      },
      iterations: [{ iteration: 0, groups }],
    },
    method,
    inferences,
    inferred,
    achieved: { responseMeanTokens: total / samples, responseMaxTokens: longest, clipRatio: atCap / samples, promptMeanTokens: prompt },
  };
}
