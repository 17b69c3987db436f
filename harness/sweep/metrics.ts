import { metricByName, RESULT_METRIC_NAMES, unknownMetric, type MetricSpec, type ResultMetricName } from '../metrics/catalog.js';
import type { IterationResult } from '../sim/types.js';

/**
 * What a sweep point keeps of each simulated iteration, and how `--metric` names a figure of it:
 * any metric of the catalog an IterationResult carries (iterationTimeS, samplesPerS, …),
 * `stage:<name>` or `task:<name>` (wall seconds), or `counter:<name>` (a scheduler's counter,
 * e.g. counter:overhead_share_pct).
 */
export interface IterationFigures {
  readonly iteration: number;
  readonly metrics: Readonly<Record<ResultMetricName, number>>;
  readonly stages: Readonly<Record<string, number>>;
  readonly tasks: Readonly<Record<string, number>>;
  readonly counters: Readonly<Record<string, number>>;
}

export function iterationFigures(result: IterationResult): IterationFigures {
  const metrics = Object.fromEntries(RESULT_METRIC_NAMES.map((key) => [key, result[key]])) as Record<ResultMetricName, number>;
  return { iteration: result.iteration, metrics, stages: result.stagesS, tasks: result.tasksS, counters: result.counters };
}

/** A catalog metric with how a sweep reads it from one iteration's figures. */
export interface SweepMetric extends MetricSpec {
  /** The figure in one iteration; undefined when that iteration lacks it (e.g. a counter a scheduler did not set). */
  read(figures: IterationFigures): number | undefined;
}

/** Parses `--metric`. */
export function metricSpec(name: string): SweepMetric {
  const match = /^(stage|task|counter):(.+)$/.exec(name);
  if (!match) {
    // Only the figures every result carries; the reproduction's derived metrics are not kept per point.
    if (!(RESULT_METRIC_NAMES as readonly string[]).includes(name)) throw unknownMetric(name);
    return { ...metricByName(name), read: (f) => f.metrics[name as ResultMetricName] };
  }
  const spec = metricByName(name);
  const [, kind, key] = match as unknown as [string, 'stage' | 'task' | 'counter', string];
  if (kind === 'counter') return { ...spec, read: (f) => f.counters[key] };
  return { ...spec, read: (f) => (kind === 'stage' ? f.stages : f.tasks)[key] ?? 0 };
}
