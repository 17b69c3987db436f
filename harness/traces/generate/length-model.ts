import { InputError, type InputProblem } from '../../util/input-error.js';
import type { LengthFamily, LogNormalMixture } from './distributions.js';
import type { LengthGoodnessOfFit } from './goodness-of-fit.js';

/**
 * A fitted length model: what `traces fit` writes to traces/fitted/*.json and what
 * `traces generate --params` reads. Only derived figures are stored, with their provenance;
 * never the source data.
 */
export const LENGTH_MODEL_SCHEMA = 'rlhf-replay.length-model/v1';

export interface MixtureParams {
  readonly family: LengthFamily;
  /** ln(tokens) ~ Σ weight · Normal(mu, sigma²). */
  readonly components: readonly { readonly weight: number; readonly mu: number; readonly sigma: number }[];
}

export interface ResponseLengthParams extends MixtureParams {
  /** The source's length cap, tokens (capped samples were fitted as right-censored). */
  readonly capTokens?: number;
  /** The source kept only lengths ≤ this (a filter, not a cap); the generator draws below it. */
  readonly upperTruncationTokens?: number;
}

export interface PromptLengthParams extends MixtureParams {
  /** Generated prompt lengths stay within the source's observed range. */
  readonly minTokens: number;
  readonly maxTokens: number;
}

export interface GroupCorrelationParams {
  /** Gaussian-copula correlation of sibling samples' normal scores (share of variance between prompts). */
  readonly rho: number;
  readonly method: string;
  readonly groups: number;
}

export interface FitSummary {
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly aic: number;
  readonly bic: number;
}

export interface LengthModelProvenance {
  /** Source files, relative to the shared folder (`research/data/...`). */
  readonly sources: readonly string[];
  /** The commit the shared copy was taken from, as its SOURCE.md records it. */
  readonly sourceCommit?: string;
  /** The SOURCE.md that records it, relative to the shared folder. */
  readonly sourceDoc?: string;
  /** What the reader had to assume (cap inference, skipped lines), verbatim. */
  readonly readerNotes: readonly string[];
  readonly rows: { readonly iterations: number; readonly groups: number; readonly samples: number; readonly censoredSamples: number };
  readonly method: string;
  /** The command that produced this file. */
  readonly command: string;
  /** When the fit was run (YYYY-MM-DD). */
  readonly date: string;
}

export interface LengthModel {
  readonly schema: typeof LENGTH_MODEL_SCHEMA;
  readonly name: string;
  readonly description: string;
  readonly responseTokens: ResponseLengthParams;
  readonly promptTokens: PromptLengthParams;
  /** Undefined (null in JSON) for sources with groups of one. */
  readonly groupCorrelation: GroupCorrelationParams | null;
  /** The source's shape, used as the generator's defaults. */
  readonly samplesPerPrompt: number;
  readonly promptsPerIteration: number;
  readonly fit: { readonly responseTokens: FitSummary; readonly promptTokens: FitSummary };
  readonly goodnessOfFit: {
    readonly responseTokens: LengthGoodnessOfFit;
    readonly promptTokens: LengthGoodnessOfFit;
    /** Spearman correlation of prompt tokens with the group's mean response tokens (the generator assumes 0). */
    readonly promptResponseSpearman: number | null;
    readonly groupStructure: GroupStructureCheck | null;
  };
  /** What a reader of the parameters must know (e.g. which part of the law the data identify). */
  readonly notes: readonly string[];
  readonly provenance: LengthModelProvenance;
}

/** Within/between split of ln(length), in the data and in a seeded replica drawn from the model. */
export interface GroupStructureCheck {
  readonly data: { readonly betweenGroupMeans: number; readonly withinGroups: number; readonly anovaIntraclassCorrelation: number };
  readonly replica: { readonly betweenGroupMeans: number; readonly withinGroups: number; readonly anovaIntraclassCorrelation: number; readonly seed: number };
}

export function mixtureOf(params: MixtureParams): LogNormalMixture {
  return { family: params.family, components: params.components.map((c) => ({ weight: c.weight, mu: c.mu, sigma: c.sigma })) };
}

// ---------------------------------------------------------------------------------------------
// Reading a model file
// ---------------------------------------------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and checks a length-model file; every problem names the field and value. */
export function parseLengthModel(text: string, file: string): LengthModel {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError({ file, line: 1, column: 1, message: `not valid JSON (${(error as Error).message})` });
  }
  const problems: InputProblem[] = [];
  const fail = (field: string, fieldValue: unknown, message: string): void => {
    problems.push({ file, field, value: fieldValue, message });
  };
  if (!isObject(value)) throw new InputError({ file, message: 'a length model must be a JSON object' });
  if (value.schema !== LENGTH_MODEL_SCHEMA) fail('schema', value.schema, `must be '${LENGTH_MODEL_SCHEMA}'`);
  const checkMixture = (field: string, mixture: unknown): void => {
    if (!isObject(mixture)) return fail(field, mixture, 'must be an object');
    if (mixture.family !== 'lognormal' && mixture.family !== 'mixture') fail(`${field}.family`, mixture.family, "must be 'lognormal' or 'mixture'");
    const components = mixture.components;
    if (!Array.isArray(components) || components.length === 0) return fail(`${field}.components`, components, 'must be a non-empty array');
    let total = 0;
    components.forEach((c: unknown, i) => {
      const at = `${field}.components[${i}]`;
      if (!isObject(c)) return fail(at, c, 'must be an object {weight, mu, sigma}');
      if (typeof c.weight !== 'number' || !(c.weight >= 0 && c.weight <= 1)) fail(`${at}.weight`, c.weight, 'must be a number in [0, 1]');
      else total += c.weight;
      if (typeof c.mu !== 'number' || !Number.isFinite(c.mu)) fail(`${at}.mu`, c.mu, 'must be a finite number (ln tokens)');
      if (typeof c.sigma !== 'number' || !(c.sigma > 0) || !Number.isFinite(c.sigma)) fail(`${at}.sigma`, c.sigma, 'must be a positive number');
    });
    if (Math.abs(total - 1) > 1e-6) fail(`${field}.components`, total, 'weights must sum to 1');
  };
  const optionalPositiveInteger = (field: string, fieldValue: unknown): void => {
    if (fieldValue !== undefined && !(typeof fieldValue === 'number' && Number.isInteger(fieldValue) && fieldValue > 0)) fail(field, fieldValue, 'must be a positive integer');
  };
  checkMixture('responseTokens', value.responseTokens);
  if (isObject(value.responseTokens)) {
    optionalPositiveInteger('responseTokens.capTokens', value.responseTokens.capTokens);
    optionalPositiveInteger('responseTokens.upperTruncationTokens', value.responseTokens.upperTruncationTokens);
  }
  checkMixture('promptTokens', value.promptTokens);
  if (isObject(value.promptTokens)) {
    optionalPositiveInteger('promptTokens.minTokens', value.promptTokens.minTokens ?? 0);
    optionalPositiveInteger('promptTokens.maxTokens', value.promptTokens.maxTokens ?? 0);
    if (typeof value.promptTokens.minTokens === 'number' && typeof value.promptTokens.maxTokens === 'number' && value.promptTokens.minTokens > value.promptTokens.maxTokens) {
      fail('promptTokens.minTokens', value.promptTokens.minTokens, 'must not exceed promptTokens.maxTokens');
    }
  }
  const correlation = value.groupCorrelation;
  if (correlation !== null) {
    if (!isObject(correlation)) fail('groupCorrelation', correlation, 'must be an object {rho, ...} or null');
    else if (typeof correlation.rho !== 'number' || !(correlation.rho >= 0 && correlation.rho < 1)) fail('groupCorrelation.rho', correlation.rho, 'must be a number in [0, 1)');
  }
  optionalPositiveInteger('samplesPerPrompt', value.samplesPerPrompt ?? 0);
  optionalPositiveInteger('promptsPerIteration', value.promptsPerIteration ?? 0);
  if (typeof value.name !== 'string' || value.name === '') fail('name', value.name, 'must be a non-empty string');
  if (problems.length > 0) throw new InputError(problems);
  return value as unknown as LengthModel;
}
