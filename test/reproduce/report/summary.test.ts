import { describe, expect, it } from 'vitest';
import type { ComparisonDocument, ComparisonFigure, ComparisonStatus, FigureScope } from '../../../harness/reproduce/compare.js';
import { compactComparisonTable, counts, headline, STATUS_TONES, statusLine, statusText } from '../../../harness/reproduce/report/summary.js';

const row = (id: string, status: ComparisonStatus, scope: FigureScope = 'system'): ComparisonFigure => ({
  id,
  paper: 'rlhfuse',
  description: id,
  published: { value: 20 },
  unit: 'units',
  reproduced: status === 'failed' ? null : { mean: 16, ciLow: 16, ciHigh: 16 },
  withinTolerance: status === 'reproduced',
  dependsOn: [],
  status,
  scope,
  ciMeetsTarget: status === 'reproduced' || status === 'overlaps',
  reason: `${id} reason`,
  target: { low: 19, high: 21 },
  tolerance: { relative: 0.05 },
  source: 'artifact',
  reproducedAs: 'how',
  n: 1,
});

const doc: ComparisonDocument = {
  figures: [
    row('rlhfuse.a', 'reproduced'),
    row('rlhfuse.b', 'overlaps'),
    row('rlhfuse.c', 'missed'),
    row('rlhfuse.d', 'failed'),
    row('rlhfuse.e', 'overlaps'),
    row('rlhfuse.flexfusion-a', 'reproduced', 'schedule-search'),
    row('rlhfuse.flexfusion-b', 'better', 'schedule-search'),
    row('rlhfuse.flexfusion-c', 'reproduced', 'schedule-search'),
  ],
  notSimulated: [],
};

describe('comparison summary', () => {
  it('counts each status of the system figures and of the schedule-search figures apart', () => {
    expect(counts(doc)).toEqual({
      system: { total: 5, reproduced: 1, overlaps: 2, better: 0, missed: 1, failed: 1 },
      scheduleSearch: { total: 3, reproduced: 2, overlaps: 0, better: 1, missed: 0, failed: 0 },
      notSimulated: 0,
    });
    expect(headline(doc)).toBe(
      'System figures: 1 of 5 within tolerance, 2 CI overlaps target, 1 missed, 1 failed. Schedule-search figures (FlexFusion, deterministic): 2 of 3 within tolerance, 1 better than published, 0 missed. 0 published figures have no mechanism to simulate (listed with why).',
    );
  });

  it('labels each status and gives it a tone the page colours', () => {
    expect(doc.figures.slice(0, 4).map(statusText)).toEqual(['within tolerance', 'CI overlaps target', 'MISSED', 'FAILED']);
    expect(statusText({ status: 'better' })).toBe('better than published');
    const table = compactComparisonTable(doc);
    expect(table.rows.map((r) => r.status)).toEqual(['within tolerance', 'CI overlaps target', 'MISSED', 'FAILED', 'CI overlaps target', 'within tolerance', 'better than published', 'within tolerance']);
    const status = table.columns.find((c) => c.key === 'status')!;
    expect(status.tones).toBe(STATUS_TONES);
    expect(table.rows.map((r) => STATUS_TONES[r.status as string])).toEqual(['good', 'warn', 'bad', 'bad', 'warn', 'good', 'good', 'good']);
    expect(table.columns.filter((c) => c.keepTogether).map((c) => c.key)).toEqual(['published', 'reproduced', 'status']);
  });

  it('leaves zero counts out of a status line, except within tolerance and missed', () => {
    expect(statusLine({ total: 1, reproduced: 1, overlaps: 0, better: 0, missed: 0, failed: 0 })).toBe('1 of 1 within tolerance, 0 missed');
    expect(headline({ figures: [row('rlhfuse.a', 'reproduced')], notSimulated: [] })).toBe('System figures: 1 of 1 within tolerance, 0 missed. 0 published figures have no mechanism to simulate (listed with why).');
  });
});
