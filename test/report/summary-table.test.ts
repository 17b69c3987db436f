import { describe, expect, it } from 'vitest';
import { summarise } from '../../harness/stats/summarise.js';
import { summaryTable } from '../../harness/report/summary-table.js';
import { columnHeader, tableToCsv } from '../../harness/report/tables.js';

describe('summaryTable', () => {
  const summary = summarise(
    [
      { scheduler: 'veRL', iteration_time_s: 30 },
      { scheduler: 'veRL', iteration_time_s: 34 },
      { scheduler: 'RLHFless', iteration_time_s: 20 },
    ],
    { by: ['scheduler'], metrics: ['iteration_time_s'], resamples: 200 },
  );
  const table = summaryTable(summary, {
    groupColumns: [{ key: 'scheduler', name: 'scheduler', label: 'Scheduler', unit: null }],
    metrics: [{ metric: 'iteration_time_s', label: 'Iteration time', unit: 's', decimals: 1 }],
  });

  it('makes one wide row per group with unit-suffixed statistic columns', () => {
    expect(table.columns.map((c) => c.name)).toEqual([
      'scheduler',
      'mean_iteration_time_s',
      'median_iteration_time_s',
      'ci_low_iteration_time_s',
      'ci_high_iteration_time_s',
      'sd_iteration_time_s',
      'n_iteration_time_s',
    ]);
    expect(table.columns.map(columnHeader)).toEqual([
      'Scheduler',
      'Iteration time mean (s)',
      'Iteration time median (s)',
      'Iteration time 95% CI low (s)',
      'Iteration time 95% CI high (s)',
      'Iteration time SD (s)',
      'Iteration time n',
    ]);
    expect(table.rows).toHaveLength(2);
    expect(table.rows[0]).toMatchObject({ scheduler: 'veRL', mean_iteration_time_s: 32, median_iteration_time_s: 32, n_iteration_time_s: 2 });
  });

  it('writes as CSV with empty cells for undefined statistics', () => {
    const csv = tableToCsv(table).split('\n');
    expect(csv[0]).toBe('scheduler,mean_iteration_time_s,median_iteration_time_s,ci_low_iteration_time_s,ci_high_iteration_time_s,sd_iteration_time_s,n_iteration_time_s');
    // One value: zero-width interval, no SD.
    expect(csv[2]).toBe('RLHFless,20,20,20,20,,1');
  });
});
