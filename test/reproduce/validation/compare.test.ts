import { describe, expect, it } from 'vitest';
import { buildValidation, validationCheck, validationCounts } from '../../../harness/reproduce/validation/compare.js';
import type { PublishedMeasurement } from '../../../harness/reproduce/validation/measurements.js';

const measurement = (over: Partial<PublishedMeasurement> = {}): PublishedMeasurement => ({
  id: 'x.y',
  group: 'g',
  description: 'd',
  published: { value: 10 },
  unit: 's',
  source: 'somewhere',
  setting: 'a setting',
  tolerance: { relative: 0.1 },
  toleranceWhy: 'because',
  kind: 'magnitude',
  ...over,
});

describe('validation check', () => {
  it('is within tolerance inside value ± max(relative·value, absolute), touching counts; the error is signed', () => {
    expect(validationCheck(measurement(), 11, '')).toMatchObject({ status: 'within', errorPct: 10, target: { low: 9, high: 11 } });
    expect(validationCheck(measurement(), 8.9, '')).toMatchObject({ status: 'outside' });
    expect(validationCheck(measurement(), 8.9, '').errorPct).toBeCloseTo(-11, 12);
    expect(validationCheck(measurement({ tolerance: { relative: 0.1, absolute: 3 } }), 12.5, '')).toMatchObject({ status: 'within', target: { low: 7, high: 13 } });
    // "nearly flat": published 1 with ±0.5
    expect(validationCheck(measurement({ published: { value: 1 }, tolerance: { absolute: 0.5 }, unit: '×', publishedText: 'nearly flat' }), 3.0, '')).toMatchObject({ status: 'outside', errorPct: 200, publishedText: 'nearly flat' });
  });

  it('without a simulated value it fails, and says why', () => {
    expect(validationCheck(measurement(), null, 'failed: boom')).toMatchObject({ status: 'failed', simulated: null, errorPct: null, simulatedAs: 'failed: boom' });
  });

  it('builds the document from the outcomes: measurements with no case fail with the reason', () => {
    const doc = buildValidation([{ id: 'validation/cost-queries', kind: 'reproduce-validation-cost', status: 'ok', result: { values: { 'x.y': { value: 10.5, detail: 'q' } }, costModels: ['m'] } }], [measurement(), measurement({ id: 'z.w' })]);
    expect(doc.checks.map((c) => [c.id, c.status])).toEqual([
      ['x.y', 'within'],
      ['z.w', 'failed'],
    ]);
    expect(doc.checks[1]!.simulatedAs).toMatch(/no validation case computed it/);
    expect(doc.costModels).toEqual(['m']);
    expect(validationCounts(doc)).toEqual({ within: 1, outside: 0, failed: 1 });
  });
});
