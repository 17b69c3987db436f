import type { IterationResult } from '../sim/types.js';
import { InputError } from '../util/input-error.js';

/**
 * What a sweep point keeps of each simulated iteration, and how `--metric` names a figure of it:
 * a headline metric (iterationTimeS, samplesPerS, …), `stage:<name>` or `task:<name>` (wall
 * seconds), or `counter:<name>` (a scheduler's counter, e.g. counter:overhead_share_pct).
 */
export const HEADLINE_METRICS = {
  iterationTimeS: { unit: 's', column: 'iteration_time_s', better: 'min' },
  samplesPerS: { unit: 'samples/s', column: 'samples_per_s', better: 'max' },
  tokensPerS: { unit: 'tokens/s', column: 'tokens_per_s', better: 'max' },
  costUsd: { unit: 'USD', column: 'cost_usd', better: 'min' },
  gpuSecondsAllocated: { unit: 'GPU-s', column: 'gpu_s_allocated', better: 'min' },
  gpuSecondsBusy: { unit: 'GPU-s', column: 'gpu_s_busy', better: 'min' },
  utilization: { unit: 'fraction', column: 'utilization_frac', better: 'max' },
  bubbleRatio: { unit: 'fraction', column: 'bubble_ratio_frac', better: 'min' },
} as const;

export type HeadlineMetric = keyof typeof HEADLINE_METRICS;

export interface IterationFigures {
  readonly iteration: number;
  readonly metrics: Readonly<Record<HeadlineMetric, number>>;
  readonly stages: Readonly<Record<string, number>>;
  readonly tasks: Readonly<Record<string, number>>;
  readonly counters: Readonly<Record<string, number>>;
}

export function iterationFigures(result: IterationResult): IterationFigures {
  const metrics = Object.fromEntries((Object.keys(HEADLINE_METRICS) as HeadlineMetric[]).map((key) => [key, result[key]])) as Record<HeadlineMetric, number>;
  return { iteration: result.iteration, metrics, stages: result.stagesS, tasks: result.tasksS, counters: result.counters };
}

export interface MetricSpec {
  readonly name: string;
  readonly unit: string;
  /** Machine column name with its unit. */
  readonly column: string;
  readonly better: 'min' | 'max';
  /** The figure in one iteration; undefined when that iteration lacks it (e.g. a counter a scheduler did not set). */
  read(figures: IterationFigures): number | undefined;
}

const snake = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toLowerCase();

/** Parses `--metric`. */
export function metricSpec(name: string): MetricSpec {
  if (Object.hasOwn(HEADLINE_METRICS, name)) {
    const m = HEADLINE_METRICS[name as HeadlineMetric];
    return { name, unit: m.unit, column: m.column, better: m.better, read: (f) => f.metrics[name as HeadlineMetric] };
  }
  const match = /^(stage|task|counter):(.+)$/.exec(name);
  if (match) {
    const [, kind, key] = match as unknown as [string, 'stage' | 'task' | 'counter', string];
    if (kind === 'counter') {
      const unit = key.endsWith('_pct') ? '%' : key.endsWith('_s') ? 's' : key.endsWith('_bytes') ? 'bytes' : '';
      return { name, unit, column: `counter_${snake(key)}`, better: 'min', read: (f) => f.counters[key] };
    }
    return { name, unit: 's', column: `${kind}_${snake(key)}_s`, better: 'min', read: (f) => (kind === 'stage' ? f.stages : f.tasks)[key] ?? 0 };
  }
  throw new InputError({
    file: '--metric',
    field: 'metric',
    value: name,
    message: `must be one of ${Object.keys(HEADLINE_METRICS).join(', ')}, or stage:<name>, task:<name>, counter:<name>`,
  });
}
