import { ABLATION_CONFIG, ASSIGNMENT_CONFIG, LEAVE_ONE_OUT, SIM_PROBE_CONFIG } from '../experiments/rlhfless.js';
import type { DecompositionSpec } from './decomposition.js';
import type { MetricName } from '../../metrics/iteration.js';
import type { FigureData } from './data.js';
import { averageOver, bestOf } from '../../stats/estimate.js';
import type { EstimateBook } from './book.js';
import { fmt, meanOf, missing, perConfig, stageSummary, type Comparison } from './helpers.js';
import type { FigureComputation, FigureOutcome } from './types.js';

const GRID = 'rlhfless-grid';
const SIM = 'rlhfless-sim';
const KV = ['rlhfless/kv/3b-grpo-gsm8k', 'rlhfless/kv/3b-grpo-gsm8k-shared'] as const;
const DEDUP = 'rlhfless/dedup/3b-grpo-n3-gsm8k';

/** The split of a figure of `candidate` against veRL: billing (rlhfless-naive), then each technique's leave-one-out ablation where the candidate has them. */
function decomposition(candidate: string, metric: MetricName, compare: Comparison, over: DecompositionSpec['over'], group: string): DecompositionSpec {
  return { baseline: 'verl', candidate, metric, compare, over, group, billing: 'rlhfless-naive', techniques: candidate === 'rlhfless' ? LEAVE_ONE_OUT : [] };
}

function actorsContext(data: FigureData, config: string, schedulers: readonly string[]): string {
  return schedulers.map((s) => stageSummary(data, config, s)).join('; ');
}

/** A paper's "up to" figure: the best configuration of the testbed grid. */
function bestOnGrid(id: string, candidate: string, metric: MetricName, compare: Comparison, what: string, headline: boolean): FigureComputation {
  return {
    id,
    paper: 'rlhfless',
    headline,
    scope: 'system',
    how: `${what} of ${candidate} against veRL (3 fixed decode actors) per model × algorithm × dataset on 16 L40S, over 3 epochs; reported for the best configuration (the paper's "up to")`,
    probe: { configs: [ABLATION_CONFIG], schedulers: ['verl', candidate] },
    decomposition: decomposition(candidate, metric, compare, 'best', GRID),
    compute(book): FigureOutcome {
      const { data } = book;
      const estimates = perConfig(book, data.configs(GRID), 'verl', candidate, metric, compare);
      const best = bestOf(estimates);
      if (!best) return missing(`veRL and ${candidate} on the testbed grid`);
      return { ok: true, estimate: best, perConfig: estimates, selected: best.config, context: `best in ${best.label}: ${actorsContext(data, best.config, ['verl', candidate])}` };
    },
  };
}

/** The simulation's "averaged over settings" figure. */
function averageOnSim(id: string, metric: MetricName, compare: Comparison, what: string): FigureComputation {
  return {
    id,
    paper: 'rlhfless',
    headline: true,
    scope: 'system',
    how: `${what} of RLHFless against the veRL-style generation baseline (every GPU pair decoding), Llama2-70B generation only, per response cap (2k/4k/8k) × node count (5/10/20); the average over these settings`,
    probe: { configs: [SIM_PROBE_CONFIG], schedulers: ['verl', 'rlhfless'] },
    decomposition: decomposition('rlhfless', metric, compare, 'average', SIM),
    compute(book): FigureOutcome {
      const { data } = book;
      const estimates = perConfig(book, data.configs(SIM), 'verl', 'rlhfless', metric, compare);
      if (estimates.length === 0) return missing('the 70B simulation settings');
      const config = data.config(SIM_PROBE_CONFIG) ?? data.configs(SIM)[0]!;
      const held = (scheduler: string) => fmt(meanOf(data, config.id, scheduler, 'gpuSecondsAllocated') / meanOf(data, config.id, scheduler, 'iterationTimeS'), 1);
      const gpus = `verl holds ${held('verl')} GPUs for the whole phase (every GPU pair decodes; the paper does not give its baseline's actor count, §8 item 13), rlhfless ${held('rlhfless')} on average (actors released when drained or cut); either way generation cannot end before the longest response is decoded`;
      return { ok: true, estimate: averageOver(estimates, book.options), perConfig: estimates, context: `${config.label}: ${actorsContext(data, config.id, ['verl', 'rlhfless'])}; ${gpus}` };
    },
  };
}

function kvRecomputeShare(book: EstimateBook): FigureOutcome {
  const { data } = book;
  const estimate = book.reductionPct({ config: KV[0], scheduler: 'verl' }, { config: KV[1], scheduler: 'verl' }, 'gpuSecondsAllocated');
  if (estimate.n === 0) return missing('veRL with and without shared prompt KV');
  const prefill = [meanOf(data, KV[0], 'verl', 'prefillTokens'), meanOf(data, KV[1], 'verl', 'prefillTokens')];
  return {
    ok: true,
    estimate,
    perConfig: [],
    context: `prefilled tokens per step ${fmt(prefill[0]!, 0)} → ${fmt(prefill[1]!, 0)}; ${actorsContext(data, KV[0], ['verl'])}`,
  };
}

function dedupSaving(book: EstimateBook): FigureOutcome {
  const { data } = book;
  const estimate = book.reductionPct({ config: DEDUP, scheduler: 'rlhfless-no-dedup' }, { config: DEDUP, scheduler: 'rlhfless' }, 'prefillTokens');
  if (estimate.n === 0) return missing('RLHFless with and without deduplicated prefill');
  return {
    ok: true,
    estimate,
    perConfig: [],
    context: `prefilled tokens per step ${fmt(meanOf(data, DEDUP, 'rlhfless-no-dedup', 'prefillTokens'), 0)} without, ${fmt(meanOf(data, DEDUP, 'rlhfless', 'prefillTokens'), 0)} with deduplication`,
  };
}

function assignmentVsRlhfuse(book: EstimateBook): FigureOutcome {
  const { data } = book;
  const estimate = book.reductionPct({ config: ASSIGNMENT_CONFIG, scheduler: 'rlhfuse-global-migrate' }, { config: ASSIGNMENT_CONFIG, scheduler: 'rlhfless-no-scale' }, 'gpuSecondsAllocated');
  if (estimate.n === 0) return missing('the prompt-assignment study');
  return {
    ok: true,
    estimate,
    perConfig: [],
    context: actorsContext(data, ASSIGNMENT_CONFIG, ['rlhfuse-global-migrate', 'rlhfless-no-scale']),
  };
}

export const rlhflessFigures: readonly FigureComputation[] = [
  bestOnGrid('rlhfless.testbed-best-speedup', 'rlhfless', 'iterationTimeS', 'speedup', 'per-step speedup', true),
  bestOnGrid('rlhfless.testbed-best-cost-reduction', 'rlhfless', 'gpuSecondsAllocated', 'reductionPct', 'per-step cost reduction (GPU-seconds allocated)', true),
  averageOnSim('rlhfless.sim-average-speedup', 'iterationTimeS', 'speedup', 'generation-time speedup'),
  averageOnSim('rlhfless.sim-average-cost-reduction', 'gpuSecondsAllocated', 'reductionPct', 'generation cost reduction (GPU-seconds allocated)'),
  bestOnGrid('rlhfless.weak-predictor-speedup', 'rlhfless-weak-predictor', 'iterationTimeS', 'speedup', 'per-step speedup', false),
  bestOnGrid('rlhfless.weak-predictor-cost-reduction', 'rlhfless-weak-predictor', 'decodeGpuSeconds', 'reductionPct', 'generation cost reduction (decode cost, §3.5: GPU-seconds the generating GPUs are held until generation ends; veRL’s 3 actors, not its idle GPUs)', false),
  {
    id: 'rlhfless.assignment-vs-rlhfuse-cost',
    paper: 'rlhfless',
    headline: false,
    scope: 'system',
    how: 'per-step cost (GPU-seconds) of RLHFless with the fixed 3 actors (sorted chunks, cut-and-migrate) against RLHFless’s model of RLHFuse (global cut to one actor), Qwen2.5-3B, PPO, gsm8k-like lengths',
    probe: { configs: [ASSIGNMENT_CONFIG], schedulers: ['rlhfless-no-scale', 'rlhfuse-global-migrate'] },
    decomposition: { none: 'both sides are serverless and billed alike (RLHFless with fixed actors against RLHFless’s model of RLHFuse): billing adds nothing, the figure is prompt assignment’s own' },
    compute: assignmentVsRlhfuse,
  },
  {
    id: 'rlhfless.kv-recompute-share',
    paper: 'rlhfless',
    headline: false,
    scope: 'system',
    how: 'GPU-seconds of veRL (GRPO, 4 responses per prompt, Qwen2.5-3B, gsm8k-like) that disappear when the group shares its prompt KV instead of each sample prefilling it, over the same prompts',
    probe: { configs: [...KV], schedulers: ['verl'] },
    decomposition: { none: 'both sides are veRL (each sample prefilling its prompt, or the group sharing it): no serverless billing on either side' },
    compute: kvRecomputeShare,
  },
  {
    id: 'rlhfless.dedup-prefill-saving',
    paper: 'rlhfless',
    headline: false,
    scope: 'system',
    how: 'prefilled tokens of RLHFless with deduplicated prefill against RLHFless without it, GRPO with 3 responses per prompt, over the same prompts',
    probe: { configs: [DEDUP], schedulers: ['rlhfless', 'rlhfless-no-dedup'] },
    decomposition: { none: 'prefilled tokens of RLHFless with and without deduplicated prefill: a count of tokens, which billing does not enter' },
    compute: dedupSaving,
  },
];
