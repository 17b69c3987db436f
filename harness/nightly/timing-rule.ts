import { mannWhitneyU } from '../stats/mann-whitney-u.js';
import { median } from '../stats/median.js';
import type { TimingJudgement, TimingRule } from './types.js';

/**
 * The rule for noisy timings, after asv (a Mann–Whitney test on the samples, then a minimum
 * factor), pyperf ("significant" needs both a test and a size) and bencher (a statistical
 * boundary around the baseline):
 *
 *   regression  ⇔  one-sided Mann–Whitney U p < alpha in the worse direction
 *                  AND the median is worse by at least minEffectPct;
 *   improvement ⇔  the same in the better direction;
 *   inconclusive ⇔ fewer than minSamples samples on either side.
 *
 * "Worse by x %" is measured as a slowdown factor: for a lower-is-better time, current/baseline
 * ≥ 1 + x/100; for a higher-is-better throughput, baseline/current ≥ 1 + x/100 (so a 20 %
 * slowdown of a loop reads the same whether it is reported in seconds or in ops/s). The test
 * alone flags tiny shifts once there are many samples, and the size alone flags outliers; noisy
 * runners need both. The caller confirms a regression by re-running (see measure-and-compare.ts).
 */
export const DEFAULT_TIMING_RULE: TimingRule = { alpha: 0.01, minEffectPct: 10, minSamples: 5, confirmRuns: 1, environment: 'require-match' };

export function judgeTiming(baseline: readonly number[], current: readonly number[], better: 'higher' | 'lower', rule: TimingRule): TimingJudgement {
  const baselineMedian = baseline.length > 0 ? median(baseline) : Number.NaN;
  const currentMedian = current.length > 0 ? median(current) : Number.NaN;
  const medianChangePct = 100 * (currentMedian / baselineMedian - 1);
  const base = { baselineMedian, currentMedian, medianChangePct, baselineSamples: baseline.length, currentSamples: current.length };
  if (baseline.length < rule.minSamples || current.length < rule.minSamples || !(baselineMedian > 0) || !(currentMedian > 0)) {
    return { verdict: 'inconclusive', pValue: 1, ...base };
  }
  // slowdown > 1: worse. A time that grew, or a throughput that fell.
  const slowdown = better === 'lower' ? currentMedian / baselineMedian : baselineMedian / currentMedian;
  const worseDirection = better === 'lower' ? 'greater' : 'less';
  const betterDirection = better === 'lower' ? 'less' : 'greater';
  if (slowdown === 1) return { verdict: 'unchanged', pValue: 1, ...base };
  const direction = slowdown > 1 ? worseDirection : betterDirection;
  const pValue = mannWhitneyU([...current], [...baseline], { alternative: direction }).pValue;
  const factor = 1 + rule.minEffectPct / 100;
  if (pValue < rule.alpha && slowdown >= factor) return { verdict: 'regression', pValue, ...base };
  if (pValue < rule.alpha && slowdown <= 1 / factor) return { verdict: 'improvement', pValue, ...base };
  return { verdict: 'unchanged', pValue, ...base };
}
