import type { DriftModel } from './epoch-drift.js';
import { RLHFLESS_LENGTH_STABILITY } from './epoch-drift.js';

/** A value the harness had to assume, in the shape reports list them. */
export interface Assumption {
  readonly name: string;
  readonly value: number | string | boolean;
  readonly unit: string;
  readonly why: string;
}

/** Length of a prompt's reference answer: lognormal, coupled to the prompt's latent difficulty. */
export interface ReferenceAnswerModel {
  readonly medianTokens: number;
  /** σ of ln(tokens). */
  readonly sigma: number;
  /** Correlation of the reference answer's normal score with the prompt's latent difficulty score. */
  readonly latentCorrelation: number;
}

export const DEFAULT_REFERENCE_ANSWER_MODEL: ReferenceAnswerModel = { medianTokens: 100, sigma: 0.5, latentCorrelation: 0.5 };

const stability = RLHFLESS_LENGTH_STABILITY.map((t) => `${Math.round(t.fraction * 100)}% ≤ ${t.tokens} tokens`).join(', ');

/** The assumptions behind synthesised epochs (issue 6), with the drift model in force. */
export function epochDriftAssumptions(drift: DriftModel): Assumption[] {
  return [
    {
      name: 'epochDrift.scaleTokens',
      value: Number(drift.scaleTokens.toFixed(4)),
      unit: 'tokens',
      why: `scale of the generalised-normal per-prompt drift, solved so that between consecutive epochs ${stability} (RLHFless §3.2, PPO GSM8K Qwen2.5-3B, max 2048)`,
    },
    {
      name: 'epochDrift.shape',
      value: Number(drift.shape.toFixed(4)),
      unit: '1',
      why: 'shape of the drift law (1 = Laplace, 2 = normal), solved together with the scale to meet both stability figures',
    },
    {
      name: 'epochDrift.perPrompt',
      value: 'common shift of all samples of a prompt',
      unit: '-',
      why: 'the paper does not say how a GRPO group reduces to one per-prompt length; a common shift makes the stability figures hold for the mean, the max or any one sample alike',
    },
    {
      name: 'epochDrift.process',
      value: 'random walk: independent drift each epoch',
      unit: '-',
      why: 'the paper finds lengths trend and older epochs go stale (window 1 beats windows 2-4); a random walk has that property',
    },
    {
      name: 'epochDrift.absoluteTokens',
      value: true,
      unit: '-',
      why: 'the figures are absolute token changes measured on short GSM8K responses; applied unchanged to longer traces they make long responses relatively more stable',
    },
    {
      name: 'epochDrift.cappedLatentTokens',
      value: 'the cap',
      unit: 'tokens',
      why: 'a recorded sample that hit the cap has an unknown uncapped length; the drift starts from the cap',
    },
    {
      name: 'epochOrder.reshuffle',
      value: true,
      unit: '-',
      why: 'data loaders reshuffle prompts every epoch (veRL shuffles its dataset by default), so a prompt lands in a different iteration each epoch',
    },
  ];
}

/** The assumptions of the generator itself (beyond the fitted parameters). */
export function generatorAssumptions(options: {
  readonly referenceAnswers?: ReferenceAnswerModel;
  readonly sharedPrefixTokens?: number;
  readonly drift?: DriftModel;
}): Assumption[] {
  const list: Assumption[] = [
    {
      name: 'generator.promptResponseIndependence',
      value: 0,
      unit: 'correlation',
      why: 'prompt and response lengths are drawn independently; the fit file records the source\'s Spearman correlation so the gap is visible',
    },
    {
      name: 'generator.promptTokensRange',
      value: 'the source\'s observed [min, max]',
      unit: 'tokens',
      why: 'sources bound prompt length (max_prompt_length, video frame limits); the fitted law is truncated to the range the source showed',
    },
  ];
  if (options.referenceAnswers) {
    const r = options.referenceAnswers;
    list.push(
      {
        name: 'referenceAnswer.medianTokens',
        value: r.medianTokens,
        unit: 'tokens',
        why: 'no public trace records reference-answer lengths; assumed order of magnitude of a short worked answer. Only the ranking matters to the first-epoch predictor (RLHFless §3.2)',
      },
      { name: 'referenceAnswer.sigma', value: r.sigma, unit: 'ln tokens', why: 'assumed spread of reference-answer lengths' },
      {
        name: 'referenceAnswer.latentCorrelation',
        value: r.latentCorrelation,
        unit: 'correlation',
        why: 'assumed link between a prompt\'s reference answer length and its responses\' lengths; it sets how good the first-epoch fallback is — sweep it',
      },
    );
  }
  if (options.sharedPrefixTokens !== undefined) {
    list.push({
      name: 'generator.sharedPrefixTokens',
      value: options.sharedPrefixTokens,
      unit: 'tokens',
      why: 'the leading tokens every prompt shares (chat template, system prompt); no public length trace records it',
    });
  }
  // The generator knows every draw's uncapped length, so the capped-latent assumption does not apply.
  if (options.drift) list.push(...epochDriftAssumptions(options.drift).filter((a) => a.name !== 'epochDrift.cappedLatentTokens'));
  return list;
}

export function assumptionNote(a: Assumption): string {
  return `assumption ${a.name} = ${a.value}${a.unit === '-' || a.unit === '1' ? '' : ` ${a.unit}`}: ${a.why}`;
}
