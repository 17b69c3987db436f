import { describe, expect, it } from 'vitest';
import { buildNightlyReport, nightlyExitCode } from '../../harness/nightly/report.js';
import { NASTY, reportFixture } from './report-fixture.js';

const base = { acknowledgements: [], today: '2025-01-10', history: [], run: 'r9', commit: 'abc', baselineUpdated: false };

describe('buildNightlyReport', () => {
  it('sorts every figure into regressions, improvements, unchanged, new, not compared, and case errors', () => {
    const json = buildNightlyReport({ ...reportFixture(), ...base }).json;
    expect(json.ok).toBe(false);
    expect(json.regressions.map((r) => r.id)).toEqual(['bench/loop:slow', `cost/x:${NASTY}`]);
    expect(json.regressions[0]).toMatchObject({ baseline: 10, current: 13, changePct: 30.000000000000004, pValue: 0.0002, confirmedBy: 1 });
    expect(json.regressions[0]!.diff).toBe('median 10 → 13 ms (+30.0 %), Mann–Whitney p = 0.00020, n = 10/10; re-run: +25.0 %, p = 0.00030 (rule: p < 0.01 and ≥ 10 % worse)');
    expect(json.regressions[1]!.diff).toBe('2 → 2.5 s (+25.0 %; Δ 0.5; tolerance 1e-9 relative)');
    expect(json.improvements.map((r) => r.id)).toEqual(['bench/loop:fast']);
    expect(json.unchanged).toBe(2);
    expect(json.new).toEqual(['bench/loop:fresh']);
    expect(json.notCompared).toEqual([{ id: 'bench/loop:other', reason: 'baseline measured on another machine' }]);
    expect(json.errors).toEqual([{ case: 'crashed', kind: 'trace-stats', message: `trace <unreadable> & ${NASTY}`, inputError: true }]);
    expect(Object.keys(json).slice(0, 4)).toEqual(['ok', 'regressions', 'improvements', 'unchanged']);
    expect(nightlyExitCode(json)).toBe(2);
  });

  it('lets the acknowledge list silence exactly the listed figure until it expires', () => {
    const acknowledgements = [{ id: 'bench/loop:slow', reason: 'known, issue 12', expires: '2025-01-10' }];
    const live = buildNightlyReport({ ...reportFixture(), ...base, acknowledgements }).json;
    expect(live.regressions.map((r) => r.id)).toEqual([`cost/x:${NASTY}`]);
    expect(live.acknowledged.map((r) => [r.id, r.acknowledged])).toEqual([['bench/loop:slow', { reason: 'known, issue 12', expires: '2025-01-10' }]]);
    expect(live.warnings).toEqual([]);
    const expired = buildNightlyReport({ ...reportFixture(), ...base, acknowledgements, today: '2025-01-11' }).json;
    expect(expired.regressions.map((r) => r.id)).toEqual(['bench/loop:slow', `cost/x:${NASTY}`]);
    expect(expired.acknowledged).toEqual([]);
    expect(expired.warnings).toEqual(["acknowledgement of 'bench/loop:slow' expired on 2025-01-10 and no longer silences it (known, issue 12); renew it or remove it"]);
  });

  it('exits 1 on a regression, 3 when a case crashed, 0 when clean or when the baseline was updated', () => {
    const { plan, outcomes } = reportFixture();
    const noErrors = outcomes.filter((o) => o.status === 'ok');
    const json = buildNightlyReport({ plan, outcomes: noErrors, ...base }).json;
    expect(nightlyExitCode(json)).toBe(1);
    const crashed = outcomes.map((o) => (o.status === 'error' ? { ...o, error: { ...o.error, inputError: false } } : o));
    expect(nightlyExitCode(buildNightlyReport({ plan, outcomes: crashed, ...base }).json)).toBe(3);
    const updated = buildNightlyReport({ plan, outcomes: noErrors, ...base, baselineUpdated: true }).json;
    expect(updated.ok).toBe(true);
    expect(nightlyExitCode(updated)).toBe(0);
    const clean = buildNightlyReport({ plan, outcomes: noErrors, ...base, acknowledgements: [{ id: 'bench/loop', reason: 'r', expires: '2030-01-01' }, { id: 'cost/x', reason: 'r', expires: '2030-01-01' }] }).json;
    expect(clean.ok).toBe(true);
    expect(nightlyExitCode(clean)).toBe(0);
  });

  it('reports the latest step of each figure over the history and this run', () => {
    const history = [1, 2, 3, 4].map((i) => ({ run: `h${i}`, commit: null, figures: { 'cost/x:stable': i <= 2 ? 4 : 5 } }));
    const json = buildNightlyReport({ ...reportFixture(), ...base, history }).json;
    expect(json.steps).toEqual([{ id: 'cost/x:stable', run: 'h3', before: 4, after: 5, changePct: 25, unit: 's', runsAgo: 2 }]);
  });
});
