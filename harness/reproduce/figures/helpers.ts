import { mean } from '../../stats/mean.js';
import type { ExperimentConfig } from '../experiments/types.js';
import type { MetricName } from '../../metrics/iteration.js';
import type { FigureData } from './data.js';
import type { ConfigEstimate } from '../../stats/estimate.js';
import type { EstimateBook } from './book.js';
import type { FigureOutcome } from './types.js';

/** How two schedulers are compared: the speedup (a time) or the reduction in percent (a cost). */
export type Comparison = 'speedup' | 'reductionPct';

/** Per configuration: baseline vs candidate scheduler on one metric, over paired units, from the book. */
export function perConfig(book: EstimateBook, configs: readonly ExperimentConfig[], baseline: string, candidate: string, metric: MetricName, compare: Comparison): ConfigEstimate[] {
  const { data } = book;
  return configs
    .filter((config) => data.has(config.id, baseline, metric) && data.has(config.id, candidate, metric))
    .map((config) => ({ config: config.id, label: config.label, ...book[compare]({ config: config.id, scheduler: baseline }, { config: config.id, scheduler: candidate }, metric) }))
    .filter((estimate) => estimate.n > 0);
}

export function missing(what: string): FigureOutcome {
  return { ok: false, reason: `no simulated results for ${what} (a case failed, or the run was restricted to another paper)` };
}

export const fmt = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '—');

/** Mean of a scheduler's metric over the units of a configuration (NaN when absent). */
export function meanOf(data: FigureData, config: string, scheduler: string, metric: MetricName): number {
  const values = data.series(config, scheduler, metric);
  return values.length > 0 ? mean(values) : Number.NaN;
}

/** 'rlhfuse-base 80.6 s (generation 82 %, inference 2 %, training 13 %)' from the mean stage times. */
export function stageSummary(data: FigureData, config: string, scheduler: string): string {
  const time = meanOf(data, config, scheduler, 'iterationTimeS');
  if (!Number.isFinite(time)) return `${scheduler}: no results`;
  const share = (metric: MetricName) => `${fmt((100 * meanOf(data, config, scheduler, metric)) / time, 0)} %`;
  return `${scheduler} ${fmt(time, 1)} s per iteration (stage wall times as shares of it, overlapping where stages run concurrently: generation ${share('generationS')}, inference ${share('inferenceS')}, training ${share('trainingS')})`;
}
