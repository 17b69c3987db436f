import { judgeTiming } from './timing-rule.js';
import { baselineSamples, type BaselineFigure, type Environment, type ExactComparison, type Measurement, type TimingComparison, type TimingRule, type Tolerance } from './types.js';

/** Whether two values agree within a tolerance: |current − baseline| ≤ absolute + relative·|baseline|. */
export function withinTolerance(current: number, baseline: number, tolerance: Tolerance): boolean {
  if (tolerance.kind === 'exact') return Object.is(current, baseline) || current === baseline;
  return Math.abs(current - baseline) <= tolerance.absolute + tolerance.relative * Math.abs(baseline);
}

export function compareExact(measurement: Measurement, baseline: BaselineFigure | undefined, tolerance: Tolerance): ExactComparison {
  if (!baseline) return { mode: 'exact', verdict: 'new' };
  const absoluteChange = measurement.value - baseline.value;
  const relativeChange = baseline.value === 0 ? null : absoluteChange / Math.abs(baseline.value);
  const change = { baseline: baseline.value, absoluteChange, relativeChange };
  if (baseline.unit !== measurement.unit) return { mode: 'exact', verdict: 'changed', ...change, reason: `unit changed from '${baseline.unit}' to '${measurement.unit}'` };
  return { mode: 'exact', verdict: withinTolerance(measurement.value, baseline.value, tolerance) ? 'unchanged' : 'changed', ...change };
}

export function sameEnvironment(a: Environment, b: Environment): boolean {
  return a.platform === b.platform && a.arch === b.arch && a.cpuModel === b.cpuModel && a.cpus === b.cpus && a.nodeMajor === b.nodeMajor;
}

export function describeEnvironment(env: Environment): string {
  return `${env.cpuModel} ×${env.cpus}, ${env.platform}-${env.arch}, Node ${env.nodeMajor}`;
}

/** First comparison of a timing figure (before any confirmation run). */
export function compareTiming(measurement: Measurement, baseline: BaselineFigure | undefined, rule: TimingRule, environment: Environment | undefined): TimingComparison {
  if (!baseline) return { mode: 'timing', verdict: 'new' };
  if (baseline.unit !== measurement.unit) return { mode: 'timing', verdict: 'incomparable', reason: `unit changed from '${baseline.unit}' to '${measurement.unit}'` };
  if (rule.environment === 'require-match') {
    if (!baseline.environment || !environment) return { mode: 'timing', verdict: 'incomparable', reason: 'the baseline does not say which machine measured it' };
    if (!sameEnvironment(baseline.environment, environment)) {
      return {
        mode: 'timing',
        verdict: 'incomparable',
        reason: `baseline measured on ${describeEnvironment(baseline.environment)}, this run on ${describeEnvironment(environment)}; re-record it on this machine kind with --update-baseline`,
      };
    }
  }
  const judgement = judgeTiming(baselineSamples(baseline), measurement.samples ?? [measurement.value], measurement.better ?? 'lower', rule);
  return { mode: 'timing', verdict: judgement.verdict, judgement, ...(judgement.verdict === 'inconclusive' ? { reason: `fewer than ${rule.minSamples} samples on a side` } : {}) };
}
