import { ASYNC_MEASUREMENTS } from '../../../harness/reproduce/validation/async-measurements.js';
import { describe, expect, it } from 'vitest';
import { formatTextTable } from '../../../harness/report/text-table.js';
import { buildValidation } from '../../../harness/reproduce/validation/compare.js';
import { PUBLISHED_MEASUREMENTS } from '../../../harness/reproduce/validation/measurements.js';
import { compactValidationTable, validationHeadline, validationMarkdown, validationSection, validationTable } from '../../../harness/reproduce/validation/report.js';
import type { CaseOutcome } from '../../../harness/jobs/cases.js';
import { SYNTHETIC_COST_VALUES, syntheticReplayResult } from './synthetic-outcomes.js';

const outcomes: CaseOutcome[] = [
  { id: 'validation/cost-queries', kind: 'reproduce-validation-cost', status: 'ok', result: { values: Object.fromEntries(Object.entries(SYNTHETIC_COST_VALUES).map(([id, value]) => [id, { value, detail: 'synthetic' }])), costModels: ['synthetic model'] } },
  ...[32, 64, 128].map((gpus): CaseOutcome => ({ id: `validation/verl-dapo-h20/g${gpus}`, kind: 'reproduce-validation-replay', status: 'ok', result: syntheticReplayResult(gpus) })),
];

describe('validation report', () => {
  const doc = buildValidation(outcomes);

  it('one row per measurement, with measured, simulated, signed error, accepted interval and status', () => {
    const table = compactValidationTable(doc);
    expect(table.rows).toHaveLength(PUBLISHED_MEASUREMENTS.length + ASYNC_MEASUREMENTS.length);
    const tpot = table.rows.find((r) => r['id'] === 'vllm-tpot.a100')!;
    expect(tpot).toMatchObject({ published: '12 ms', simulated: '12.3 ms', error: '+2.5 %', target: '10.8–13.2 ms', status: 'within', kind: 'in-sample' });
    const flat = table.rows.find((r) => r['id'] === 'decode-flatness.7b-h800')!;
    expect(flat['published']).toMatch(/^nearly flat/);
    expect(formatTextTable(table)).toContain('vllm-tpot.h100');
  });

  it('the machine table carries units in its column names and every field', () => {
    const table = validationTable(doc);
    expect(table.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['check', 'published_value', 'simulated_value', 'error_pct', 'accepted_low_value', 'accepted_high_value', 'status', 'source', 'setting', 'simulated_as', 'caveat']));
    expect(table.rows.find((r) => r['id'] === 'verl-dapo.64.gen')).toMatchObject({ published: 150.7, simulated: 151, status: 'within' });
  });

  it('the page group is titled, lists caveats, the not-compared measurements and the cost models', () => {
    const section = validationSection(doc);
    expect(section).toMatchObject({ kind: 'group', id: 'validation', title: 'Validation against published measurements' });
    const ids = section.sections.map((s) => ('id' in s ? s.id : undefined));
    expect(ids).toEqual(expect.arrayContaining(['validation-table', 'validation-caveats', 'validation-details', 'validation-not-compared']));
    expect(validationHeadline(doc)).toMatch(/^Validation against published measurements: \d+ of \d+ checks within tolerance/);
    const markdown = validationMarkdown(doc);
    expect(markdown).toContain('## Validation against published measurements');
    expect(markdown).toContain('| Check | Measured |');
    expect(markdown).toContain('weight-sync.cross-process');
  });
});
