import { describe, expect, it } from 'vitest';
import { EstimateBook } from '../../../harness/reproduce/figures/book.js';
import { FigureData } from '../../../harness/reproduce/figures/data.js';
import type { ExperimentConfig } from '../../../harness/reproduce/experiments/types.js';
import { speedupEstimate } from '../../../harness/stats/estimate.js';

const config = { id: 'c', paper: 'rlhfuse', group: 'g', label: 'C', dims: {}, schedulers: ['base', 'new'] } as unknown as ExperimentConfig;
const times: Record<string, number[]> = { base: [10, 12, 9, 14, 11], new: [8, 9, 8, 10, 9] };
const rows = Object.entries(times).flatMap(([scheduler, values]) => values.map((t, i) => ({ scheduler, seed: 1, iteration: i, metrics: { iterationTimeS: t } as never })));
const options = { ci: true, resamples: 300, seed: 'book' };
const base = { config: 'c', scheduler: 'base' };
const candidate = { config: 'c', scheduler: 'new' };

describe('EstimateBook', () => {
  it('computes each estimate once: every reader gets the same object', () => {
    const book = new EstimateBook(new FigureData([{ config, rows }]), options);
    expect(book.speedup(base, candidate, 'iterationTimeS')).toBe(book.speedup(base, candidate, 'iterationTimeS'));
    expect(book.mean(base, 'iterationTimeS')).toBe(book.mean(base, 'iterationTimeS'));
  });

  it('seeds an estimate by what it is, not by who asks first', () => {
    const first = new EstimateBook(new FigureData([{ config, rows }]), options);
    const second = new EstimateBook(new FigureData([{ config, rows }]), options);
    second.mean(base, 'iterationTimeS');
    second.reductionPct(base, candidate, 'iterationTimeS');
    const a = first.speedup(base, candidate, 'iterationTimeS');
    const b = second.speedup(base, candidate, 'iterationTimeS');
    expect([a.mean, a.ciLow, a.ciHigh]).toEqual([b.mean, b.ciLow, b.ciHigh]);
    // The same numbers as the estimator called directly with the book's label.
    const direct = speedupEstimate(times['base']!, times['new']!, options, 'speedup/c:base/c:new/iterationTimeS');
    expect([a.mean, a.ciLow, a.ciHigh]).toEqual([direct.mean, direct.ciLow, direct.ciHigh]);
  });
});
