import { describe, expect, it } from 'vitest';
import type { ComparisonDocument, ComparisonFigure, ComparisonStatus } from '../../../harness/reproduce/compare.js';
import { compactComparisonTable, counts, headline, statusText } from '../../../harness/reproduce/report/summary.js';

const row = (id: string, status: ComparisonStatus): ComparisonFigure => ({
  id,
  paper: 'rlhfuse',
  description: id,
  published: { value: 20 },
  unit: 'units',
  reproduced: status === 'failed' ? null : { mean: 16, ciLow: 16, ciHigh: 16 },
  withinTolerance: status === 'reproduced',
  dependsOn: [],
  status,
  reason: `${id} reason`,
  target: { low: 19, high: 21 },
  tolerance: { relative: 0.05 },
  source: 'artifact',
  reproducedAs: 'how',
  n: 1,
});

const doc: ComparisonDocument = {
  figures: [row('rlhfuse.a', 'reproduced'), row('rlhfuse.b', 'better'), row('rlhfuse.c', 'missed'), row('rlhfuse.d', 'failed')],
  notSimulated: [],
};

describe('comparison summary', () => {
  it('counts and labels each status, a better-than-published figure apart from the misses', () => {
    expect(counts(doc)).toEqual({ reproduced: 1, better: 1, missed: 1, failed: 1, notSimulated: 0 });
    expect(headline(doc)).toBe('1 of 4 simulated figures within tolerance, 1 better than published, 1 missed, 1 failed; 0 published figures have no mechanism to simulate (listed with why).');
    expect(doc.figures.map(statusText)).toEqual(['within tolerance', 'better than published', 'MISSED', 'FAILED']);
    expect(compactComparisonTable(doc).rows.map((r) => r.status)).toEqual(['within tolerance', 'better than published', 'MISSED', 'FAILED']);
  });

  it('leaves the better-than-published count out of the headline when there is none', () => {
    expect(headline({ figures: [row('rlhfuse.a', 'reproduced')], notSimulated: [] })).toBe('1 of 1 simulated figures within tolerance, 0 missed; 0 published figures have no mechanism to simulate (listed with why).');
  });
});
