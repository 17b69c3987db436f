import { createRng, type Rng } from '../../util/rng.js';
import type { SampleGroup, Workload, WorkloadIteration } from '../types.js';
import { assumptionNote, generatorAssumptions, type ReferenceAnswerModel } from './assumptions.js';
import { mixtureQuantileOfNormalScore } from './distributions.js';
import { calibrateDrift, driftGroupLengths, sampleDriftTokens, type DriftModel } from './epoch-drift.js';
import { mixtureOf, type LengthModel } from './length-model.js';

export const GENERATOR_NAME = 'rlhf-replay.lognormal-groups/v1';

export interface GenerateOptions {
  readonly seed: number;
  /** Iterations per epoch. */
  readonly iterations: number;
  readonly promptsPerIteration: number;
  readonly samplesPerPrompt: number;
  /** Each epoch visits the same prompts again (default 1). */
  readonly epochs?: number;
  /** Length cap, tokens; defaults to the model's source cap. Draws at or above it are recorded at it, truncated. */
  readonly maxResponseTokens?: number;
  /** Leading tokens of every prompt shared with every other prompt (a named assumption). */
  readonly sharedPrefixTokens?: number;
  /** Attach reference-answer lengths (the first-epoch fallback of length predictors). */
  readonly referenceAnswers?: ReferenceAnswerModel;
  /** Between-epoch drift; defaults to the law calibrated to RLHFless's stability figures. */
  readonly drift?: DriftModel;
  /** What meta.generator.parameters names (e.g. the parameter file's path). */
  readonly parametersName: string;
  readonly description?: string;
}

interface PromptDraw {
  readonly promptId: string;
  readonly promptTokens: number;
  readonly referenceAnswerTokens?: number;
  /** Uncapped lengths of the prompt's samples in the current epoch. */
  latentTokens: number[];
}

function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function checkShape(options: GenerateOptions): void {
  const positive = (name: string, value: number | undefined): void => {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  };
  positive('iterations', options.iterations);
  positive('promptsPerIteration', options.promptsPerIteration);
  positive('samplesPerPrompt', options.samplesPerPrompt);
  positive('epochs', options.epochs);
  positive('maxResponseTokens', options.maxResponseTokens);
  if (options.sharedPrefixTokens !== undefined && !(Number.isInteger(options.sharedPrefixTokens) && options.sharedPrefixTokens >= 0)) {
    throw new RangeError(`sharedPrefixTokens must be a non-negative integer, got ${options.sharedPrefixTokens}`);
  }
}

/**
 * Draws a workload from a fitted length model. Per prompt: a prompt length, a latent difficulty
 * b, and n sibling lengths through the Gaussian copula (score √ρ·b + √(1−ρ)·ε, mapped through
 * the fitted response law). Later epochs revisit every prompt, in a fresh order, with each
 * prompt's lengths shifted by the calibrated drift. Every random stream is a fork named after
 * what it draws, so e.g. prompt 7's lengths do not change when more prompts are requested.
 */
export function generateWorkload(model: LengthModel, options: GenerateOptions): Workload {
  checkShape(options);
  const rng = createRng(options.seed);
  const epochs = options.epochs ?? 1;
  const promptCount = options.iterations * options.promptsPerIteration;
  const cap = options.maxResponseTokens ?? model.responseTokens.capTokens;
  const responseLaw = mixtureOf(model.responseTokens);
  const promptLaw = mixtureOf(model.promptTokens);
  const rho = model.groupCorrelation?.rho ?? 0;
  const upperBound = model.responseTokens.upperTruncationTokens === undefined ? undefined : model.responseTokens.upperTruncationTokens + 0.5;
  const drift = epochs > 1 ? (options.drift ?? calibrateDrift()) : undefined;
  const idWidth = String(promptCount - 1).length;

  const prompts: PromptDraw[] = [];
  for (let i = 0; i < promptCount; i++) {
    const promptRng = rng.fork(`prompt:${i}`);
    const drawnPromptTokens = Math.round(
      mixtureQuantileOfNormalScore(promptLaw, promptRng.normal(), { lower: model.promptTokens.minTokens - 0.5, upper: model.promptTokens.maxTokens + 0.5 }),
    );
    const promptTokens = Math.max(drawnPromptTokens, (options.sharedPrefixTokens ?? 0) + 1, 1);
    const latent = promptRng.normal();
    const latentTokens: number[] = [];
    for (let j = 0; j < options.samplesPerPrompt; j++) {
      const score = Math.sqrt(rho) * latent + Math.sqrt(1 - rho) * promptRng.normal();
      const bounds = upperBound === undefined ? {} : { upper: upperBound };
      latentTokens.push(Math.max(1, Math.round(mixtureQuantileOfNormalScore(responseLaw, score, bounds))));
    }
    let referenceAnswerTokens: number | undefined;
    if (options.referenceAnswers) {
      const r = options.referenceAnswers;
      const referenceRng = rng.fork(`reference:${i}`);
      const score = r.latentCorrelation * latent + Math.sqrt(1 - r.latentCorrelation ** 2) * referenceRng.normal();
      referenceAnswerTokens = Math.max(1, Math.round(r.medianTokens * Math.exp(r.sigma * score)));
    }
    prompts.push({
      promptId: `p${String(i).padStart(idWidth, '0')}`,
      promptTokens,
      ...(referenceAnswerTokens !== undefined ? { referenceAnswerTokens } : {}),
      latentTokens,
    });
  }

  const iterations: WorkloadIteration[] = [];
  let groupSerial = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (epoch > 0) {
      for (const prompt of prompts) {
        const shift = sampleDriftTokens(drift!, rng.fork(`drift:${epoch}:${prompt.promptId}`));
        prompt.latentTokens = driftGroupLengths(prompt.latentTokens, shift);
      }
    }
    const order = epoch === 0 ? prompts : shuffled(prompts, rng.fork(`order:${epoch}`));
    for (let k = 0; k < options.iterations; k++) {
      const iteration = epoch * options.iterations + k;
      const groups: SampleGroup[] = order.slice(k * options.promptsPerIteration, (k + 1) * options.promptsPerIteration).map((prompt) => {
        const responseTokens = prompt.latentTokens.map((x) => (cap !== undefined && x >= cap ? cap : x));
        const truncated = prompt.latentTokens.map((x) => cap !== undefined && x >= cap);
        return {
          iteration,
          groupId: `g${groupSerial++}`,
          promptId: prompt.promptId,
          promptTokens: prompt.promptTokens,
          ...(options.sharedPrefixTokens !== undefined ? { sharedPrefixTokens: options.sharedPrefixTokens } : {}),
          responseTokens,
          truncated,
          ...(prompt.referenceAnswerTokens !== undefined ? { referenceAnswerTokens: prompt.referenceAnswerTokens } : {}),
        };
      });
      iterations.push(epochs > 1 ? { iteration, epoch, groups } : { iteration, groups });
    }
  }

  const assumptions = generatorAssumptions({
    ...(options.referenceAnswers ? { referenceAnswers: options.referenceAnswers } : {}),
    ...(options.sharedPrefixTokens !== undefined ? { sharedPrefixTokens: options.sharedPrefixTokens } : {}),
    ...(drift ? { drift } : {}),
  });
  const shape = `${epochs > 1 ? `${epochs} epochs × ` : ''}${options.iterations} iterations × ${options.promptsPerIteration} prompts × ${options.samplesPerPrompt} samples`;
  return {
    meta: {
      format: 'synthetic',
      sources: [],
      synthetic: true,
      description: options.description ?? `synthetic ${shape} drawn from length model '${model.name}'`,
      generator: { name: GENERATOR_NAME, seed: rng.seed, parameters: options.parametersName },
      ...(cap !== undefined
        ? { maxResponseTokens: cap, maxResponseTokensSource: options.maxResponseTokens !== undefined ? ('given' as const) : ('recorded' as const) }
        : {}),
      ...(options.samplesPerPrompt === 1 ? { singleResponseGroups: true } : {}),
      notes: [`shape: ${shape}`, ...assumptions.map(assumptionNote)],
    },
    iterations,
  };
}
