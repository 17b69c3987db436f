import { describe, expect, it } from 'vitest';
import { bootstrapMeanCi } from '../../harness/stats/bootstrap-mean-ci.js';
import { summarise } from '../../harness/stats/summarise.js';

const rows = [
  { scheduler: 'veRL', model: '7B', iteration_time_s: 30, cost_usd: 3 },
  { scheduler: 'RLHFless', model: '7B', iteration_time_s: 20, cost_usd: 2 },
  { scheduler: 'veRL', model: '7B', iteration_time_s: 32, cost_usd: null },
  { scheduler: 'RLHFless', model: '7B', iteration_time_s: 22, cost_usd: 2.5 },
  { scheduler: 'veRL', model: '7B', iteration_time_s: 34, cost_usd: 4 },
  { scheduler: 'veRL', model: '3B', iteration_time_s: 10, cost_usd: Number.NaN },
];

describe('summarise', () => {
  const summary = summarise(rows, { by: ['scheduler', 'model'], metrics: ['iteration_time_s', 'cost_usd'] });

  it('gives one row per group and metric, groups in first-seen order', () => {
    expect(summary.map((s) => `${s.key.scheduler}/${s.key.model}/${s.metric}`)).toEqual([
      'veRL/7B/iteration_time_s',
      'veRL/7B/cost_usd',
      'RLHFless/7B/iteration_time_s',
      'RLHFless/7B/cost_usd',
      'veRL/3B/iteration_time_s',
      'veRL/3B/cost_usd',
    ]);
  });

  it('computes n, mean, median and sd over the finite values (hand-computed)', () => {
    expect(summary[0]).toMatchObject({ n: 3, mean: 32, median: 32, sd: 2 });
    // cost 3 and 4 (null skipped)
    expect(summary[1]).toMatchObject({ n: 2, mean: 3.5, median: 3.5 });
    expect(summary[1]!.sd).toBeCloseTo(Math.SQRT1_2, 15);
    expect(summary[2]).toMatchObject({ n: 2, mean: 21, median: 21 });
    expect(summary[4]).toMatchObject({ n: 1, mean: 10, median: 10, ciLow: 10, ciHigh: 10 });
    expect(summary[4]!.sd).toBeNaN();
  });

  it('keeps a metric with no finite value as n = 0 with NaN statistics', () => {
    expect(summary[5]).toMatchObject({ metric: 'cost_usd', n: 0 });
    expect(summary[5]!.mean).toBeNaN();
    expect(summary[5]!.ciLow).toBeNaN();
  });

  it('seeds each interval from the seed, the group key and the metric', () => {
    const expected = bootstrapMeanCi([30, 32, 34], { seed: '1/["veRL","7B"]/iteration_time_s' });
    expect([summary[0]!.ciLow, summary[0]!.ciHigh]).toEqual([expected.ciLow, expected.ciHigh]);
  });

  it('leaves other groups intervals unchanged when a group is added', () => {
    const more = summarise([...rows, { scheduler: 'RLHFuse', model: '7B', iteration_time_s: 25, cost_usd: 2 }], {
      by: ['scheduler', 'model'],
      metrics: ['iteration_time_s', 'cost_usd'],
    });
    expect(more.slice(0, 6)).toEqual(summary);
  });

  it('summarises all rows as one group with by = []', () => {
    const all = summarise(rows, { by: [], metrics: ['iteration_time_s'] });
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ key: {}, n: 6, mean: 148 / 6, median: 26 });
  });

  it('refuses a metric value that is not a number', () => {
    expect(() => summarise([{ g: 'a', time_s: '3' }], { by: ['g'], metrics: ['time_s'] })).toThrow("row 0 metric 'time_s' is \"3\", not a number");
  });
});
