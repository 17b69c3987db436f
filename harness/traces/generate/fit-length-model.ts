import type { Workload } from '../types.js';
import type { LengthFamily } from './distributions.js';
import { fitLengthMixture, type MixtureFit } from './fit-mixture.js';
import { generateWorkload } from './generate-workload.js';
import { lengthGoodnessOfFit, spearmanCorrelation } from './goodness-of-fit.js';
import { fitGroupCorrelation, logLengthVarianceSplit, type GroupLengths } from './group-correlation.js';
import { LENGTH_MODEL_SCHEMA, type FitSummary, type LengthModel, type LengthModelProvenance } from './length-model.js';

export interface LengthModelFitOptions {
  readonly name: string;
  readonly description: string;
  readonly family: LengthFamily;
  /** Components of the response-length mixture (family `mixture`). */
  readonly components?: number;
  /** Family and components of the prompt-length law (default: lognormal). */
  readonly promptFamily?: LengthFamily;
  readonly promptComponents?: number;
  /** The source dropped responses longer than this (a filter, not a cap). */
  readonly upperTruncationTokens?: number;
  /** Seed of the replica drawn to check the group structure. */
  readonly replicaSeed?: number;
  readonly provenance: LengthModelProvenance;
}

export const FIT_METHOD =
  'maximum likelihood by EM: lengths as whole-token intervals [L-1/2, L+1/2), capped samples right-censored at cap-1/2, ' +
  'an upper filter as truncation (missing-data EM); start = equal-count split of the sorted data; stop when an accelerated EM cycle gains < 1e-8 log-likelihood per observation. ' +
  'Group correlation: Gaussian-copula rho by maximum likelihood given the fitted marginal, censored scores integrated over the latent prompt difficulty.';

function summaryOf(fit: MixtureFit): FitSummary {
  return { logLikelihood: fit.logLikelihood, iterations: fit.iterations, converged: fit.converged, aic: fit.aic, bic: fit.bic };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function modelNotes(options: LengthModelFitOptions, cap: number | undefined): string[] {
  const notes: string[] = [];
  if (options.upperTruncationTokens !== undefined) {
    notes.push(
      `no response above ${options.upperTruncationTokens} tokens is in the source: read as a filter, so the likelihood is conditioned on length <= ${options.upperTruncationTokens}. ` +
        'Only the law below the bound is identified; the components may put much of their mass above it, which the generator never draws.',
    );
  }
  if (cap !== undefined) notes.push(`samples at the cap (${cap} tokens) were fitted as right-censored: only "at least the cap" is known of them`);
  notes.push('prompt lengths are drawn independently of response lengths (see goodnessOfFit.promptResponseSpearman for the source\'s rank correlation)');
  return notes;
}

/**
 * Fits a length model to a recorded workload: the response-length law (censored at the cap), the
 * prompt-length law, the sibling correlation, and the goodness of fit of each, beside the
 * parameters. Pure: file provenance comes in through the options.
 */
export function fitLengthModel(workload: Workload, options: LengthModelFitOptions): LengthModel {
  const groups = workload.iterations.flatMap((it) => it.groups);
  if (groups.length === 0) throw new RangeError('the workload has no groups to fit');
  const lengths = groups.flatMap((g) => g.responseTokens);
  const truncated = groups.flatMap((g) => g.truncated);
  const censoredLengths = lengths.filter((_, i) => truncated[i]);
  const cap = workload.meta.maxResponseTokens ?? (censoredLengths.length > 0 ? Math.max(...censoredLengths) : undefined);
  const responseFit = fitLengthMixture(
    {
      values: lengths.filter((_, i) => !truncated[i]),
      censoredCount: censoredLengths.length,
      ...(cap !== undefined ? { capTokens: cap } : {}),
      ...(options.upperTruncationTokens !== undefined ? { upperTruncationTokens: options.upperTruncationTokens } : {}),
    },
    { family: options.family, ...(options.components !== undefined ? { components: options.components } : {}) },
  );
  const promptLengths = groups.map((g) => g.promptTokens);
  const promptFamily = options.promptFamily ?? 'lognormal';
  const promptFit = fitLengthMixture(
    { values: promptLengths, censoredCount: 0 },
    { family: promptFamily, ...(options.promptComponents !== undefined ? { components: options.promptComponents } : {}) },
  );
  const recordingBounds = {
    ...(cap !== undefined ? { capTokens: cap } : {}),
    ...(options.upperTruncationTokens !== undefined ? { upperTruncationTokens: options.upperTruncationTokens } : {}),
  };
  const groupLengths: GroupLengths[] = groups.map((g) => ({ responseTokens: g.responseTokens, truncated: g.truncated }));
  const correlation = fitGroupCorrelation(groupLengths, responseFit.mixture, recordingBounds);
  const samplesPerPrompt = median(groups.map((g) => g.responseTokens.length));
  const promptsPerIteration = median(workload.iterations.map((it) => it.groups.length));
  const minPrompt = Math.max(1, Math.min(...promptLengths));
  const maxPrompt = Math.max(...promptLengths);

  const model: LengthModel = {
    schema: LENGTH_MODEL_SCHEMA,
    name: options.name,
    description: options.description,
    responseTokens: { ...responseFit.mixture, ...recordingBounds },
    promptTokens: { ...promptFit.mixture, minTokens: minPrompt, maxTokens: maxPrompt },
    groupCorrelation: correlation ? { rho: correlation.rho, method: correlation.method, groups: correlation.groups } : null,
    samplesPerPrompt,
    promptsPerIteration,
    fit: { responseTokens: summaryOf(responseFit), promptTokens: summaryOf(promptFit) },
    goodnessOfFit: {
      responseTokens: lengthGoodnessOfFit(lengths, truncated, responseFit.mixture, recordingBounds),
      promptTokens: lengthGoodnessOfFit(promptLengths, undefined, promptFit.mixture, {}),
      promptResponseSpearman:
        groups.length > 2
          ? spearmanCorrelation(promptLengths, groups.map((g) => g.responseTokens.reduce((a, b) => a + b, 0) / g.responseTokens.length))
          : null,
      groupStructure: null,
    },
    notes: modelNotes(options, cap),
    provenance: options.provenance,
  };

  const dataSplit = logLengthVarianceSplit(groupLengths);
  if (!dataSplit || !correlation) return model;
  // Draw a replica of the source's shape from the fitted model and compare the group structure.
  const replicaSeed = options.replicaSeed ?? 1;
  const replica = generateWorkload(model, {
    seed: replicaSeed,
    iterations: 1,
    promptsPerIteration: groups.length,
    samplesPerPrompt,
    parametersName: options.name,
  });
  const replicaSplit = logLengthVarianceSplit(replica.iterations.flatMap((it) => it.groups))!;
  return {
    ...model,
    goodnessOfFit: { ...model.goodnessOfFit, groupStructure: { data: dataSplit, replica: { ...replicaSplit, seed: replicaSeed } } },
  };
}
