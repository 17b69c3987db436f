import { describe, expect, it } from 'vitest';
import { EstimateBook } from '../../../harness/reproduce/figures/book.js';
import { FigureData } from '../../../harness/reproduce/figures/data.js';
import { decomposeFigure, isDecomposition, type DecompositionSpec } from '../../../harness/reproduce/figures/decomposition.js';
import type { ExperimentConfig } from '../../../harness/reproduce/experiments/types.js';
import { averageOver, bestOf, reductionPctEstimate, speedupEstimate, type ConfigEstimate } from '../../../harness/stats/estimate.js';

const config = (id: string) => ({ id, paper: 'rlhfless', group: 'g', label: id.toUpperCase(), dims: {}, schedulers: [] }) as unknown as ExperimentConfig;

/**
 * Two configurations, three units each. Per configuration, GPU-seconds of veRL, the full system,
 * billing alone and each leave-one-out ablation (two techniques, a and b).
 */
const COSTS: Record<string, Record<string, number[]>> = {
  c1: { verl: [100, 110, 90], full: [20, 22, 18], naive: [40, 44, 36], 'no-a': [30, 33, 27], 'no-b': [25, 27.5, 22.5] },
  c2: { verl: [200, 200, 200], full: [100, 90, 110], naive: [120, 120, 120], 'no-a': [110, 100, 120], 'no-b': [100, 90, 110] },
};

function data(): FigureData {
  return new FigureData(
    Object.entries(COSTS).map(([id, bySched]) => ({
      config: config(id),
      rows: Object.entries(bySched).flatMap(([scheduler, values]) => values.map((v, i) => ({ scheduler, seed: 1, iteration: i, metrics: { gpuSecondsAllocated: v, iterationTimeS: v } as never }))),
    })),
  );
}

const options = { ci: true, resamples: 400, seed: 'decomposition' };
const spec = (over: DecompositionSpec['over'], compare: DecompositionSpec['compare'] = 'reductionPct'): DecompositionSpec => ({
  baseline: 'verl',
  candidate: 'full',
  metric: 'gpuSecondsAllocated',
  compare,
  over,
  group: 'g',
  billing: 'naive',
  techniques: [
    { technique: 'a', without: 'no-a' },
    { technique: 'b', without: 'no-b' },
  ],
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** 100 × (1 − mean(x)/mean(verl)) by hand. */
const reduction = (c: string, s: string) => 100 * (1 - mean(COSTS[c]![s]!) / mean(COSTS[c]!['verl']!));

describe('decomposeFigure', () => {
  it('splits a best-configuration cost reduction into billing, each technique’s leave-one-out part and the interaction, adding up to the figure', () => {
    const book = new EstimateBook(data(), options);
    const estimates: ConfigEstimate[] = ['c1', 'c2'].map((c) => ({ config: c, label: c, ...book.reductionPct({ config: c, scheduler: 'verl' }, { config: c, scheduler: 'full' }, 'gpuSecondsAllocated') }));
    const best = bestOf(estimates)!;
    expect(best.config).toBe('c1');
    const result = decomposeFigure('rlhfless.x', spec('best'), { ok: true, estimate: best, perConfig: estimates, selected: best.config }, book);
    if (!isDecomposition(result)) throw new Error(result.none);
    // c1: veRL 100 on average; full 20 (80 %), naive 40 (60 %), no-a 30 (70 %), no-b 25 (75 %).
    expect(reduction('c1', 'full')).toBeCloseTo(80, 12);
    const parts = Object.fromEntries(result.parts.map((p) => [p.kind === 'technique' ? p.part.split(' (')[0] : p.kind, p.change.mean]));
    expect(parts['billing']).toBeCloseTo(60, 10);
    expect(parts['+ a']).toBeCloseTo(80 - 70, 10);
    expect(parts['+ b']).toBeCloseTo(80 - 75, 10);
    expect(parts['interaction']).toBeCloseTo(80 - 60 - 10 - 5, 10);
    expect(result.start).toBe(0);
    expect(result.total).toBeCloseTo(best.mean, 10);
    expect(result.where).toBe('C1');
    // Each part has an interval around it.
    for (const part of result.parts) {
      expect(part.change.ciLow).toBeLessThanOrEqual(part.change.mean + 1e-9);
      expect(part.change.ciHigh).toBeGreaterThanOrEqual(part.change.mean - 1e-9);
    }
  });

  it('averages each part over the settings of an averaged figure, and starts a speedup at 1', () => {
    const book = new EstimateBook(data(), options);
    const perConfig: ConfigEstimate[] = ['c1', 'c2'].map((c) => ({ config: c, label: c, ...book.speedup({ config: c, scheduler: 'verl' }, { config: c, scheduler: 'full' }, 'iterationTimeS') }));
    const figure = averageOver(perConfig, options);
    const result = decomposeFigure('rlhfless.y', { ...spec('average', 'speedup'), metric: 'iterationTimeS' }, { ok: true, estimate: figure, perConfig }, book);
    if (!isDecomposition(result)) throw new Error(result.none);
    const speedup = (c: string, s: string) => mean(COSTS[c]!['verl']!) / mean(COSTS[c]![s]!);
    const avg = (f: (c: string) => number) => (f('c1') + f('c2')) / 2;
    expect(result.start).toBe(1);
    expect(result.parts[0]!.change.mean).toBeCloseTo(avg((c) => speedup(c, 'naive') - 1), 10);
    expect(result.parts[1]!.change.mean).toBeCloseTo(avg((c) => speedup(c, 'full') - speedup(c, 'no-a')), 10);
    expect(result.parts[2]!.change.mean).toBeCloseTo(avg((c) => speedup(c, 'full') - speedup(c, 'no-b')), 10);
    expect(result.total).toBeCloseTo(figure.mean, 10);
    expect(result.where).toBe('average over 2 settings');
  });

  it('gives the billing part the same number as the billing variant’s own comparison', () => {
    const book = new EstimateBook(data(), options);
    const result = decomposeFigure('rlhfless.x', spec('best'), { ok: true, estimate: { mean: 80, ciLow: 80, ciHigh: 80, n: 3 }, perConfig: [], selected: 'c1' }, book);
    if (!isDecomposition(result)) throw new Error(result.none);
    const direct = reductionPctEstimate(COSTS['c1']!['verl']!, COSTS['c1']!['naive']!, { ...options, ci: false }, 'x');
    expect(result.parts[0]!.change.mean).toBeCloseTo(direct.mean, 12);
    // And the full system's speedup equals the stats estimator's.
    const book2 = new EstimateBook(data(), options);
    const s = speedupEstimate(COSTS['c2']!['verl']!, COSTS['c2']!['full']!, { ...options, ci: false }, 'x');
    const only = decomposeFigure('rlhfless.z', { ...spec('best', 'speedup'), techniques: [] }, { ok: true, estimate: s, perConfig: [], selected: 'c2' }, book2);
    if (!isDecomposition(only)) throw new Error(only.none);
    expect(only.parts.map((p) => p.kind)).toEqual(['billing', 'interaction']);
    expect(only.parts[1]!.part).toContain('techniques together');
    expect(only.total).toBeCloseTo(s.mean, 12);
  });

  it('says why when the ablations were not simulated where the figure is computed', () => {
    const book = new EstimateBook(data(), options);
    const result = decomposeFigure('rlhfless.x', { ...spec('best'), billing: 'absent' }, { ok: true, estimate: { mean: 80, ciLow: 80, ciHigh: 80, n: 3 }, perConfig: [], selected: 'c1' }, book);
    expect(result).toEqual({ figure: 'rlhfless.x', none: 'no simulated results for absent where the figure is computed' });
    expect(decomposeFigure('rlhfless.x', spec('best'), { ok: false, reason: 'r' }, book)).toEqual({ figure: 'rlhfless.x', none: 'the figure has no result' });
  });
});
