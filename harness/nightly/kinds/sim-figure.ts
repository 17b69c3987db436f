import { resolve } from 'node:path';
import { findScheduler } from '../../schedulers/index.js';
import { runExperiment } from '../../run/experiment.js';
import { loadRunInputs } from '../../run/inputs.js';
import type { SchedulerSummary } from '../../run/summary.js';
import { catalogMetric, stageMetric, type ResultMetricName } from '../../metrics/catalog.js';
import { InputError } from '../../util/input-error.js';
import type { Measurer } from '../measure-and-compare.js';
import type { Measurement, SimFigureCase } from '../types.js';
import type { NightlyDependencies } from './dependencies.js';


function metricValue(summary: SchedulerSummary, metric: string, caseId: string): number {
  if (metric.startsWith('stages.')) {
    const stage = metric.slice('stages.'.length);
    const value = summary.stages[stage];
    if (value === undefined) throw new InputError({ file: caseId, field: 'metrics', value: metric, message: `${summary.scheduler} has no stage '${stage}'; its stages: ${Object.keys(summary.stages).join(', ')}` });
    return value;
  }
  return summary[metric as keyof SchedulerSummary] as number;
}

/**
 * A simulated figure: one scheduler replaying a trace under a scenario, exactly as
 * `rlhf-replay replay --scenario S --trace T --scheduler X --iterations N --seed K` does (the seed
 * is the case's `seed`, or one derived from the case id, noted in the result). Each metric is one
 * deterministic figure: the mean over the replayed iterations.
 */
export function simFigureMeasurer(dependencies: NightlyDependencies): Measurer<SimFigureCase> {
  return {
    kind: 'sim-figure',
    async measure(testCase, { rng, baseDir }) {
      const scheduler = findScheduler(testCase.scheduler);
      if (!scheduler) throw new InputError({ file: testCase.id, field: 'scheduler', value: testCase.scheduler, message: 'unknown scheduler' });
      const inputs = await loadRunInputs({
        scenario: resolve(baseDir, testCase.scenario),
        trace: resolve(baseDir, testCase.trace),
        traceShownAs: testCase.trace,
        batching: { iterations: testCase.iterations, keepTraceBatches: testCase.keepTraceBatches },
      });
      const seed = testCase.seed ?? rng.int(0x100000000);
      const outcome = await runExperiment({
        ...inputs,
        schedulers: [scheduler],
        seed,
        createCostModel: dependencies.createCostModel,
      });
      const summary = outcome.summaries[0]!;
      const figures: Measurement[] = testCase.metrics.map((metric) => ({
        name: metric,
        unit: metric.startsWith('stages.') ? stageMetric(metric.slice('stages.'.length)).unit : catalogMetric(metric as ResultMetricName).unit,
        mode: 'exact',
        value: metricValue(summary, metric, testCase.id),
      }));
      return { figures, notes: [`replay seed ${seed}; ${outcome.iterations} iteration(s); cost model: ${outcome.costModel.description}`, ...outcome.batchNotes] };
    },
  };
}
