import { bootstrapPaired } from '../../stats/bootstrap.js';
import { exactEstimate, rangeOver, type ConfigEstimate } from '../../stats/estimate.js';
import { mean } from '../../stats/mean.js';
import { RLHFUSE_PROBE_CONFIG, RLHFUSE_SCHEDULERS } from '../experiments/rlhfuse.js';
import type { MetricName } from '../../metrics/iteration.js';
import type { FigureData } from './data.js';
import type { EstimateBook } from './book.js';
import { fmt, meanOf, missing, perConfig, stageSummary } from './helpers.js';
import type { FigureComputation, FigureOutcome } from './types.js';

const MAIN = 'rlhfuse-main';
const PROBE = { configs: [RLHFUSE_PROBE_CONFIG], schedulers: [...RLHFUSE_SCHEDULERS] };

/** A speedup of `candidate` over `baseline` on `metric` in every configuration of the grid, reported as the range over them. */
function rangeSpeedup(id: string, baseline: string, candidate: string, metric: MetricName, what: string, context: (data: FigureData) => string, headline = true): FigureComputation {
  return {
    id,
    paper: 'rlhfuse',
    headline,
    scope: 'system',
    how: `${what}: mean ${metric} of ${baseline} over that of ${candidate} on the same iterations, per pair × generation cap; reported as the range over configurations (mean of their speedups, envelope of their 95 % CIs)`,
    probe: PROBE,
    compute(book): FigureOutcome {
      const { data } = book;
      const estimates = perConfig(book, data.configs(MAIN), baseline, candidate, metric, 'speedup');
      if (estimates.length === 0) return missing(`${baseline} and ${candidate} on the RLHFuse grid`);
      return { ok: true, estimate: rangeOver(estimates), perConfig: estimates, context: context(data) };
    },
  };
}

function probeContext(data: FigureData, schedulers: readonly string[]): string {
  const config = data.config(RLHFUSE_PROBE_CONFIG) ?? data.configs(MAIN).at(-1);
  if (!config) return '';
  return `${config.label}: ${schedulers.map((s) => stageSummary(data, config.id, s)).join('; ')}`;
}

function hiddenInferenceBound(data: FigureData): string {
  const parts = data.configs(MAIN).map((config) => {
    const window = meanOf(data, config.id, 'rlhfuse-base', 'generationInferenceS');
    const inference = meanOf(data, config.id, 'rlhfuse-base', 'inferenceS');
    const share = inference / window;
    return `${config.label}: inference is ${fmt(100 * share, 1)} % of Base's generation + inference, so hiding all of it alone would give about ${fmt(1 / (1 - share))}×`;
  });
  return parts.join('; ');
}

function trainingContext(data: FigureData): string {
  return data
    .configs(MAIN)
    .map((config) => {
      const base = meanOf(data, config.id, 'rlhfuse-base', 'trainingS');
      const intra = meanOf(data, config.id, 'rlhfuse-intra', 'trainingS');
      const time = meanOf(data, config.id, 'rlhfuse-base', 'iterationTimeS');
      return `${config.label}: Base trains ${fmt(base, 1)} s (${fmt((100 * base) / time, 0)} % of its iteration), fused ${fmt(intra, 1)} s`;
    })
    .join('; ');
}

/** Argmin of the mean curve, with a bootstrap interval over the units (paired across thresholds). */
function thresholdOptimum(book: EstimateBook): FigureOutcome {
  const { data } = book;
  const config = data.configs('rlhfuse-threshold')[0];
  if (!config) return missing('the migration-threshold curve');
  const { points, matrix } = data.curve(config.id, 'rlhfuse-inter', 'generationInferenceS');
  if (points.length < 2 || matrix[0]!.length === 0) return missing('the migration-threshold curve');
  const argmin = (rows: readonly ArrayLike<number>[]) => {
    let best = 0;
    const means = rows.map((row) => mean(row));
    for (let k = 1; k < means.length; k++) if (means[k]! < means[best]! - 1e-9 * Math.max(1, Math.abs(means[best]!))) best = k;
    return points[best]!;
  };
  const estimate = book.custom(`argmin/${config.id}:rlhfuse-inter/generationInferenceS`, argmin(matrix), matrix[0]!.length, (settings) => bootstrapPaired(matrix, (resampled) => argmin(resampled), settings));
  const means = matrix.map((row) => mean(row));
  const interior = estimate.mean !== points[0] && estimate.mean !== points[points.length - 1];
  const context = `${config.label}: generation + inference ${points.map((p, k) => `${fmt(p, 2)} → ${fmt(means[k]!, 1)} s`).join(', ')}; the minimum is ${interior ? 'inside the grid (U-shaped)' : 'at an end of the grid (not U-shaped)'}`;
  return { ok: true, estimate, perConfig: [], context };
}

function tailShare(book: EstimateBook): FigureOutcome {
  const { data } = book;
  const configs = data.configs(MAIN).filter((config) => config.dims['maxGenerationTokens'] === 2048);
  const estimates: ConfigEstimate[] = configs
    .map((config) => ({ config: config.id, label: config.label, ...book.mean({ config: config.id, scheduler: 'rlhfuse-base' }, 'generationTailSharePct') }))
    .filter((e) => e.n > 0);
  if (estimates.length === 0) return missing('RLHFuse-Base at the 2048 cap');
  const context = configs
    .map((config) => `${config.label}: generation ${fmt(meanOf(data, config.id, 'rlhfuse-base', 'generationS'), 1)} s, of which the last 1 % of samples ${fmt(meanOf(data, config.id, 'rlhfuse-base', 'generationTailSharePct'), 1)} %`)
    .join('; ')
    .concat(' (responses are cut at the cap: when more than 1 % of them reach it, the slowest 1 % all end with the cap, at the 99th percentile, and no tail is left after it)');
  return { ok: true, estimate: rangeOver(estimates), perConfig: estimates, context };
}

function worstOverheadShare(book: EstimateBook): FigureOutcome {
  const { data } = book;
  const estimates: ConfigEstimate[] = data
    .configs(MAIN)
    .map((config) => ({ config: config.id, label: config.label, ...book.mean({ config: config.id, scheduler: 'rlhfuse' }, 'overheadSharePct') }))
    .filter((e) => e.n > 0);
  if (estimates.length === 0) return missing('RLHFuse on its grid');
  const worst = estimates.reduce((a, b) => (b.mean > a.mean ? b : a));
  const listed = estimates.map((e) => `${e.label} ${fmt(e.mean)} % of ${fmt(meanOf(data, e.config, 'rlhfuse', 'iterationTimeS'), 1)} s`).join(', ');
  return {
    ok: true,
    estimate: worst,
    perConfig: estimates,
    selected: worst.config,
    context: `highest in ${worst.label}; per configuration (share of an iteration of): ${listed} — the transfers are nearly fixed per iteration, so the share is largest where the iteration is shortest`,
  };
}

type PipelineField = 'makespan' | 'greedyMakespan' | 'peakMemory';

function flexFusion(exp: number, field: PipelineField, what: string): FigureComputation {
  return {
    id: `rlhfuse.flexfusion-exp${exp}.${field === 'makespan' ? 'makespan' : field === 'greedyMakespan' ? 'greedy-makespan' : 'peak-memory'}`,
    paper: 'rlhfuse',
    headline: false,
    scope: 'schedule-search',
    how: `${what} of the harness's fused-pipeline search on the artifact's instance ${exp} (deterministic: seeded, fixed evaluation budgets)`,
    probe: { configs: [], schedulers: [] },
    noSensitivity: 'a deterministic search on fixed published inputs with the plan’s evaluation budget (`rlhf-replay pipeline --max-evaluations/--memory-evaluations` searches with others)',
    compute(book): FigureOutcome {
      const result = book.data.pipeline.find((p) => p.name === `flexfusion-exp${exp}`);
      if (!result) return missing(`FlexFusion instance ${exp}`);
      const context = `lower bound ${result.lowerBound}, greedy ${result.greedyMakespan} (memory ${fmt(result.greedyPeakMemory)}), searched ${result.makespan} (memory ${fmt(result.peakMemory)}; serial-1F1B stage peak ${fmt(result.memoryLowerBound)}, the artifact's reference; proven floor at this makespan ${fmt(result.provenMemoryLowerBound)}), serial 1F1B ${result.serialOneFOneB}; search stopped by ${result.stoppedBy} after ${result.evaluations.latency} + ${result.evaluations.memory} evaluations`;
      return { ok: true, estimate: exactEstimate(result[field]), perConfig: [], context };
    },
  };
}

export const rlhfuseFigures: readonly FigureComputation[] = [
  rangeSpeedup('rlhfuse.speedup-vs-deepspeed-chat', 'deepspeed-chat', 'rlhfuse', 'iterationTimeS', 'throughput ratio', (data) => probeContext(data, ['deepspeed-chat', 'rlhfuse'])),
  rangeSpeedup('rlhfuse.speedup-vs-realhf', 'realhf', 'rlhfuse', 'iterationTimeS', 'throughput ratio', (data) => probeContext(data, ['realhf', 'rlhfuse'])),
  rangeSpeedup('rlhfuse.speedup-vs-base', 'rlhfuse-base', 'rlhfuse', 'iterationTimeS', 'throughput ratio', (data) => probeContext(data, ['rlhfuse-base', 'rlhfuse'])),
  rangeSpeedup('rlhfuse.generation-inference-speedup', 'rlhfuse-base', 'rlhfuse-inter', 'generationInferenceS', 'generation + inference stage time', hiddenInferenceBound),
  rangeSpeedup('rlhfuse.training-speedup', 'rlhfuse-base', 'rlhfuse-intra', 'trainingS', 'training stage time', trainingContext),
  {
    id: 'rlhfuse.overhead-share',
    paper: 'rlhfuse',
    headline: false,
    scope: 'system',
    how: 'mean overhead share of RLHFuse (KV migration, weight-sync, reallocation and model-load GPU-seconds over the cluster’s GPU-seconds) per configuration; reported for the worst configuration',
    probe: PROBE,
    compute: worstOverheadShare,
  },
  {
    id: 'rlhfuse.migration-threshold-optimum',
    paper: 'rlhfuse',
    headline: false,
    scope: 'system',
    how: 'RLHFuse with inter-stage fusion only and the threshold fixed at each grid value (no tuning) on the 65B/33B, 2048 configuration; the threshold with the lowest mean generation + inference time, its interval from bootstrapping the iterations',
    probe: { configs: [], schedulers: [] },
    noSensitivity: 'each variation would need the whole curve again, beyond the run-time budget; run `rlhf-replay sweep --param migration-threshold` under a varied scenario',
    compute: thresholdOptimum,
  },
  {
    id: 'rlhfuse.long-tail-share',
    paper: 'rlhfuse',
    headline: false,
    scope: 'system',
    how: 'share of RLHFuse-Base’s generation stage after 99 % of the samples finished, per pair at the 2048 cap; the range over pairs',
    probe: { configs: [RLHFUSE_PROBE_CONFIG], schedulers: ['rlhfuse-base'] },
    compute: tailShare,
  },
  ...[0, 1, 2, 3, 4, 5].flatMap((exp) => [flexFusion(exp, 'makespan', 'makespan of the searched schedule'), flexFusion(exp, 'greedyMakespan', 'makespan of the greedy list schedule'), flexFusion(exp, 'peakMemory', 'peak activation memory of the searched schedule')]),
];
