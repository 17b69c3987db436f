import { resolve } from 'node:path';
import { lengthStats, type LengthStatsFields } from '../../traces/stats.js';
import { readWorkload } from '../../traces/read.js';
import type { Measurer } from '../measure-and-compare.js';
import type { TraceStatsCase } from '../types.js';

function unitOf(metric: string): string {
  if (metric === 'groups') return 'prompts';
  if (metric === 'samples') return 'responses';
  if (metric.includes('Tokens.')) return 'tokens';
  return 'fraction';
}

function valueOf(stats: LengthStatsFields, metric: string): number {
  const [head, tail] = metric.split('.') as [keyof LengthStatsFields, string | undefined];
  const value = stats[head];
  return tail === undefined ? (value as number) : ((value as unknown as Record<string, number>)[tail] as number);
}

/** Length statistics of a trace as `rlhf-replay traces stats` computes them (whole trace); each metric is one deterministic figure. */
export const traceStatsMeasurer: Measurer<TraceStatsCase> = {
  kind: 'trace-stats',
  async measure(testCase, { baseDir }) {
    const workload = await readWorkload(resolve(baseDir, testCase.trace));
    const stats = lengthStats(workload).total;
    return {
      figures: testCase.metrics.map((metric) => ({ name: metric, unit: unitOf(metric), mode: 'exact' as const, value: valueOf(stats, metric) })),
      notes: [`${workload.iterations.length} iteration(s)${workload.meta.synthetic ? ', synthetic trace' : ''}`],
    };
  },
};
