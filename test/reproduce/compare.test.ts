import { describe, expect, it } from 'vitest';
import { buildComparison, ciMeetsTarget, compareFigure, compareTraceChoice, comparisonStatus, targetInterval, toleranceOf, withinTolerance } from '../../harness/reproduce/compare.js';
import type { FigureOutcome } from '../../harness/reproduce/figures/types.js';
import type { PaperFigure } from '../../harness/reproduce/paper-figures.js';
import type { FigureSensitivity } from '../../harness/reproduce/sensitivity/tornado.js';

const figure = (over: Partial<PaperFigure> = {}): PaperFigure => ({
  id: 'rlhfuse.x',
  paper: 'rlhfuse',
  description: 'a speedup',
  published: { min: 1.2, max: 1.4 },
  unit: '×',
  source: 'paper §7',
  tolerance: { relative: 0.05 },
  toleranceWhy: 'why',
  ...over,
});

const ok = (mean: number, ciLow: number, ciHigh: number, context?: string): FigureOutcome => ({ ok: true, estimate: { mean, ciLow, ciHigh, n: 4 }, perConfig: [], ...(context ? { context } : {}) });

describe('tolerance rule', () => {
  it('takes the larger of the relative and the absolute tolerance', () => {
    expect(toleranceOf({ relative: 0.1 }, 20)).toBeCloseTo(2, 12);
    expect(toleranceOf({ absolute: 0.5 }, 20)).toBe(0.5);
    expect(toleranceOf({ relative: 0.01, absolute: 0.5 }, 20)).toBe(0.5);
    expect(toleranceOf({ relative: 0.1, absolute: 0.5 }, -20)).toBeCloseTo(2, 12);
  });

  it('widens a value and a range by their own tolerances', () => {
    expect(targetInterval({ value: 0.2 }, { absolute: 0.05 })).toEqual({ low: 0.15000000000000002, high: 0.25 });
    const range = targetInterval({ min: 2.5, max: 3.7 }, { relative: 0.05 });
    expect(range.low).toBeCloseTo(2.375, 12);
    expect(range.high).toBeCloseTo(3.885, 12);
  });

  it('calls a figure within tolerance only when its point estimate lies in the widened target, ends included', () => {
    const published = { min: 1.2, max: 1.4 };
    const tolerance = { relative: 0.05 };
    // Widened target: [1.2 − 0.06, 1.4 + 0.07] = [1.14, 1.47].
    expect(withinTolerance({ mean: 1.3, ciLow: 1.25, ciHigh: 1.35 }, published, tolerance)).toBe(true);
    expect(withinTolerance({ mean: 1.14, ciLow: 1.0, ciHigh: 1.14 }, published, tolerance)).toBe(true);
    expect(withinTolerance({ mean: 1.47, ciLow: 1.47, ciHigh: 1.6 }, published, tolerance)).toBe(true);
    // The CI reaching into the target is not enough any more: the point estimate is below it.
    expect(withinTolerance({ mean: 1.1, ciLow: 1.05, ciHigh: 1.2 }, published, tolerance)).toBe(false);
    expect(withinTolerance({ mean: 1.4701, ciLow: 1.3, ciHigh: 1.5 }, published, tolerance)).toBe(false);
    expect(withinTolerance({ mean: 66.67, ciLow: 66.67, ciHigh: 66.67 }, { value: 66 }, { relative: 0.03 })).toBe(true);
    expect(withinTolerance({ mean: Number.NaN, ciLow: 1.2, ciHigh: 1.3 }, published, tolerance)).toBe(false);
  });

  it('says whether the interval meets the target, touching included', () => {
    const published = { min: 1.2, max: 1.4 };
    const tolerance = { relative: 0.05 };
    expect(ciMeetsTarget({ mean: 1.1, ciLow: 1.05, ciHigh: 1.14 }, published, tolerance)).toBe(true);
    expect(ciMeetsTarget({ mean: 1.1, ciLow: 1.08, ciHigh: 1.139 }, published, tolerance)).toBe(false);
    expect(ciMeetsTarget({ mean: 1.6, ciLow: 1.47, ciHigh: 1.7 }, published, tolerance)).toBe(true);
    expect(ciMeetsTarget({ mean: 1.6, ciLow: 1.4701, ciHigh: 1.7 }, published, tolerance)).toBe(false);
    expect(ciMeetsTarget({ mean: Number.NaN, ciLow: Number.NaN, ciHigh: Number.NaN }, { value: 1 }, { relative: 1 })).toBe(false);
  });
});

describe('status at each boundary', () => {
  // Published 1.2–1.4 with ±5 %: the widened target is [1.14, 1.47] (1.2 − 0.06, 1.4 + 0.07).
  const published = { min: 1.2, max: 1.4 };
  const tolerance = { relative: 0.05 };
  const status = (mean: number, ciLow: number, ciHigh: number, better?: 'lower' | 'higher') => comparisonStatus({ mean, ciLow, ciHigh }, published, tolerance, better);

  it('within tolerance from the low end of the target to its high end, whatever the interval', () => {
    expect(status(1.14, 1.0, 1.2)).toBe('reproduced');
    expect(status(1.3, 1.29, 1.31)).toBe('reproduced');
    expect(status(1.47, 1.46, 2.0)).toBe('reproduced');
    // A wide interval around an inside point is still within.
    expect(status(1.3, 0.5, 3)).toBe('reproduced');
  });

  it('CI overlaps target just outside either end while the interval still reaches it', () => {
    expect(status(1.1399, 1.1, 1.2)).toBe('overlaps');
    expect(status(1.1, 1.05, 1.14)).toBe('overlaps');
    expect(status(1.4701, 1.46, 1.5)).toBe('overlaps');
    expect(status(1.6, 1.47, 1.7)).toBe('overlaps');
    // The example: a generation+inference speedup of 1.087 against 1.2–1.6 ± 5 % (target from 1.14) with a CI up to 1.152.
    expect(comparisonStatus({ mean: 1.087, ciLow: 1.038, ciHigh: 1.152 }, { min: 1.2, max: 1.6 }, tolerance)).toBe('overlaps');
  });

  it('missed once the whole interval lies beyond the target', () => {
    expect(status(1.1, 1.08, 1.1399)).toBe('missed');
    expect(status(1.6, 1.4701, 1.7)).toBe('missed');
    expect(status(Number.NaN, Number.NaN, Number.NaN)).toBe('missed');
  });

  it('better than published only when the whole interval lies beyond the target on the improving side', () => {
    expect(status(1.0, 0.9, 1.1399, 'lower')).toBe('better');
    expect(status(1.0, 0.9, 1.14, 'lower')).toBe('overlaps');
    expect(status(1.0, 0.9, 1.1399, 'higher')).toBe('missed');
    expect(status(1.6, 1.4701, 1.7, 'higher')).toBe('better');
    expect(status(1.6, 1.47, 1.7, 'higher')).toBe('overlaps');
    expect(status(1.3, 1.3, 1.3, 'lower')).toBe('reproduced');
  });
});

describe('compareFigure', () => {
  it('reports a reproduced figure with its interval and the depends-on list of its sensitivity', () => {
    const sensitivity: FigureSensitivity = { figure: 'rlhfuse.x', baseline: 1.3, probeConfigs: ['p'], entries: [], dependsOn: ['cost:a', 'scheduler:b'], infeasible: [] };
    const row = compareFigure(figure(), ok(1.3, 1.25, 1.35), sensitivity, 'how');
    expect(row).toMatchObject({ id: 'rlhfuse.x', paper: 'rlhfuse', unit: '×', reproduced: { mean: 1.3, ciLow: 1.25, ciHigh: 1.35 }, withinTolerance: true, status: 'reproduced', scope: 'system', ciMeetsTarget: true, dependsOn: ['cost:a', 'scheduler:b'], n: 4 });
    expect(Object.keys(row).slice(0, 8)).toEqual(['id', 'paper', 'description', 'published', 'unit', 'reproduced', 'withinTolerance', 'dependsOn']);
  });

  it('gives a miss its side, the simulation facts and what the sensitivity analysis says', () => {
    const sensitivity: FigureSensitivity = {
      figure: 'rlhfuse.x',
      baseline: 1.05,
      probeConfigs: ['p'],
      entries: [
        { assumption: 'cost:a', unit: '×', defaultValue: 1, values: [{ value: 0.5, figure: 1.0 }, { value: 1.5, figure: 1.16 }], low: 1.0, high: 1.16, lowSetting: '0.5', highSetting: '1.5', movement: 0.11 },
        { assumption: 'scheduler:b', unit: 'boolean', defaultValue: false, values: [{ value: true, figure: 1.06 }], low: 1.05, high: 1.06, lowSetting: 'false', highSetting: 'true', movement: 0.01 },
      ],
      dependsOn: ['cost:a'],
      infeasible: [],
    };
    const row = compareFigure(figure(), ok(1.05, 1.02, 1.08, 'inference is 3 % of the stage'), sensitivity, 'how');
    expect(row.status).toBe('missed');
    expect(row.withinTolerance).toBe(false);
    expect(row.reason).toContain('below the target');
    expect(row.reason).toContain('inference is 3 % of the stage');
    expect(row.reason).toContain('cost:a = 1.5× (1.16 ×) would reach the target');
    const unreachable = compareFigure(figure({ published: { min: 2.5, max: 3.7 } }), ok(1.05, 1.02, 1.08), sensitivity, 'how');
    expect(unreachable.reason).toContain('No single assumption moved within its plausible range reaches the target');
    const above = compareFigure(figure({ published: { value: 0.5 }, tolerance: { absolute: 0.1 } }), ok(1.05, 1.02, 1.08), undefined, 'how');
    expect(above.reason).toContain('above the target');
  });

  it('does not blame assumptions when the probe configuration itself is inside the target', () => {
    const sensitivity: FigureSensitivity = { figure: 'rlhfuse.x', baseline: 1.3, probeConfigs: ['p'], entries: [{ assumption: 'cost:a', unit: '×', defaultValue: 1, values: [{ value: 1, figure: 1.31 }], low: 1.3, high: 1.31, lowSetting: '', highSetting: '', movement: 0.01 }], dependsOn: [], infeasible: [] };
    const row = compareFigure(figure(), ok(1.0, 0.98, 1.02), sensitivity, 'how');
    expect(row.reason).toContain('inside the target: the gap comes from the other configurations');
  });

  it('marks a figure without results as failed, with the computation’s reason', () => {
    const row = compareFigure(figure(), { ok: false, reason: 'no simulated results for X' }, undefined, 'how');
    expect(row).toMatchObject({ status: 'failed', withinTolerance: false, reproduced: null, reason: 'no simulated results for X' });
  });

  it('calls a search outcome beyond its target on the improving side better than published, and the other side a miss', () => {
    const memory = figure({ published: { value: 20 }, unit: 'activation units', tolerance: { relative: 0.05 }, better: 'lower' });
    const lower = compareFigure(memory, ok(16, 16, 16, 'searched 708'), undefined, 'how');
    expect(lower).toMatchObject({ status: 'better', withinTolerance: false });
    expect(lower.reason).toContain('below the target, and lower is better for this figure');
    expect(lower.reason).toContain('Simulation: searched 708.');
    expect(compareFigure(memory, ok(30, 30, 30), undefined, 'how').status).toBe('missed');
    expect(compareFigure(memory, ok(20.5, 20.5, 20.5), undefined, 'how').status).toBe('reproduced');
    // Without a direction, beyond the target is a miss on either side.
    expect(compareFigure(figure({ published: { value: 20 } }), ok(16, 16, 16), undefined, 'how').status).toBe('missed');
  });

  it('says when an interval is too wide to say much', () => {
    const row = compareFigure(figure({ published: { value: 0.2 }, tolerance: { absolute: 0.05 } }), ok(0.05, 0.05, 0.5), undefined, 'how');
    expect(row.status).toBe('overlaps');
    expect(row.reason).toContain('more seeds');
    const inside = compareFigure(figure({ published: { value: 0.2 }, tolerance: { absolute: 0.05 } }), ok(0.2, 0.05, 0.5), undefined, 'how');
    expect(inside.status).toBe('reproduced');
    expect(inside.reason).toContain('more seeds');
  });

  it('reports a figure whose interval only reaches the target apart, with where its point lies and the sensitivity reach', () => {
    const sensitivity: FigureSensitivity = {
      figure: 'rlhfuse.x',
      baseline: 1.05,
      probeConfigs: ['p'],
      entries: [{ assumption: 'cost:a', unit: '×', defaultValue: 1, values: [{ value: 1.5, figure: 1.16 }], low: 1.05, high: 1.16, lowSetting: '', highSetting: '1.5', movement: 0.11 }],
      dependsOn: ['cost:a'],
      infeasible: [],
    };
    const row = compareFigure(figure(), ok(1.087, 1.038, 1.152, 'inference is 3 % of the stage'), sensitivity, 'how', 'system');
    expect(row).toMatchObject({ status: 'overlaps', withinTolerance: false, ciMeetsTarget: true });
    expect(row.reason).toContain('The point estimate is below the target; only its 95 % confidence interval reaches it');
    expect(row.reason).toContain('Simulation: inference is 3 % of the stage.');
    expect(row.reason).toContain('cost:a = 1.5× (1.16 ×) would reach the target');
  });

  it('carries the scope it is given', () => {
    expect(compareFigure(figure(), ok(1.3, 1.3, 1.3), undefined, 'how', 'schedule-search').scope).toBe('schedule-search');
    expect(compareFigure(figure(), { ok: false, reason: 'x' }, undefined, 'how', 'schedule-search').scope).toBe('schedule-search');
  });
});

describe('buildComparison', () => {
  it('keeps the files’ order, compares simulated figures and lists the others with their reason', () => {
    const files = [{ figures: [figure({ id: 'rlhfuse.a' }), figure({ id: 'rlhfuse.b', notSimulated: 'a wall-clock time' }), figure({ id: 'rlhfuse.c' })] }];
    const doc = buildComparison(files, [{ id: 'rlhfuse.a', how: 'h', scope: 'system', outcome: ok(1.3, 1.2, 1.4) }], []);
    expect(doc.figures.map((f) => [f.id, f.status])).toEqual([
      ['rlhfuse.a', 'reproduced'],
      ['rlhfuse.c', 'failed'],
    ]);
    expect(doc.notSimulated).toEqual([{ id: 'rlhfuse.b', paper: 'rlhfuse', description: 'a speedup', published: { min: 1.2, max: 1.4 }, unit: '×', source: 'paper §7', reason: 'a wall-clock time' }]);
  });
});

describe('compareTraceChoice', () => {
  it('judges each figure on each other trace by the same rule against the same target, the default first, and leaves out a figure not every trace gave', () => {
    const doc = buildComparison([{ figures: [figure({ id: 'rlhfuse.a' }), figure({ id: 'rlhfuse.b' })] }], [
      { id: 'rlhfuse.a', how: 'h', scope: 'system', outcome: ok(1.3, 1.2, 1.4) },
      { id: 'rlhfuse.b', how: 'h', scope: 'system', outcome: ok(1.0, 0.9, 1.1) },
    ], []);
    const choice = compareTraceChoice(doc, 'polytrace-dapo', [
      { source: 'sharegpt', figures: [{ id: 'rlhfuse.a', outcome: ok(1.1, 1.05, 1.15) }, { id: 'rlhfuse.b', outcome: ok(1.5, 1.4, 1.6) }] },
      { source: 'azure-conv', figures: [{ id: 'rlhfuse.a', outcome: ok(1.0, 0.99, 1.01) }, { id: 'rlhfuse.b', outcome: { ok: false, reason: 'no curve' } }] },
    ]);
    expect(choice.map((f) => f.id)).toEqual(['rlhfuse.a']);
    expect(choice[0]!.traces.map((t) => [t.source, t.status])).toEqual([
      ['polytrace-dapo', 'reproduced'],
      ['sharegpt', 'overlaps'],
      ['azure-conv', 'missed'],
    ]);
    expect(choice[0]!.target).toEqual(doc.figures[0]!.target);
  });
});
