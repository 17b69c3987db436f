import { describe, expect, it } from 'vitest';
import { ewma, LengthHistory, reduceGroup } from '../../../harness/schedulers/rlhfless/length-history.js';
import { parsePredictor } from '../../../harness/schedulers/rlhfless/parameters.js';
import { predictLengths, type PredictionSettings } from '../../../harness/schedulers/rlhfless/predictor.js';
import type { SampleGroup, WorkloadIteration } from '../../../harness/traces/types.js';
import { createRng } from '../../../harness/util/rng.js';

const g = (promptId: string, responses: number[], referenceAnswerTokens?: number): SampleGroup => ({
  iteration: 0,
  groupId: promptId,
  promptId,
  promptTokens: 10,
  responseTokens: responses,
  truncated: responses.map(() => false),
  ...(referenceAnswerTokens !== undefined ? { referenceAnswerTokens } : {}),
});
const it_ = (iteration: number, groups: SampleGroup[]): WorkloadIteration => ({ iteration, groups });

const settings = (overrides: Partial<PredictionSettings> = {}): PredictionSettings => ({ predictor: { kind: 'ewma' }, ewmaWindow: 1, ewmaAlpha: 0.5, groupReduction: 'max', capTokens: 1000, ...overrides });

describe('length history', () => {
  const history = [it_(0, [g('a', [100, 300]), g('b', [50])]), it_(1, [g('c', [70])]), it_(2, [g('a', [200, 2000]), g('b', [60])])];

  it('reduces a group to its max or mean capped length and keeps each prompt\'s values in replay order', () => {
    expect(reduceGroup([100, 300, 5000], 'max', 1000)).toBe(1000);
    expect(reduceGroup([100, 300, 5000], 'mean', 1000)).toBeCloseTo(1400 / 3, 12);
    const h = LengthHistory.fromIterations(history, 'max', 1000);
    expect(h.recent('a', 1)).toEqual([1000]);
    expect(h.recent('a', 4)).toEqual([300, 1000]);
    expect(h.recent('z', 4)).toEqual([]);
    expect(h.latestIterationMeanTokens).toBe((1000 + 60) / 2);
  });

  it('EWMA over a window: window 1 is the last value; s ← α·v + (1 − α)·s oldest first', () => {
    expect(ewma([300, 1000], 1)).toBe(1000);
    expect(ewma([300, 1000], 0.5)).toBe(650);
    expect(ewma([100, 200, 400], 0.25)).toBeCloseTo(0.25 * 400 + 0.75 * (0.25 * 200 + 0.75 * 100), 12);
  });

  it('predicts from history, then the reference answer, then the latest batch mean (first-epoch fallback)', () => {
    const h = LengthHistory.fromIterations(history, 'max', 1000);
    const p = predictLengths([g('a', [1]), g('b', [1]), g('new', [1], 42), g('other', [1])], h, settings({ ewmaWindow: 2 }), createRng(1));
    expect([...p.tokens]).toEqual([650, 55, 42, 530]);
    expect([p.fromHistory, p.fromReference, p.fromFallback]).toEqual([2, 1, 1]);
  });

  it('without any history or reference the fallback is half the cap', () => {
    expect([...predictLengths([g('x', [1])], LengthHistory.empty(), settings(), createRng(1)).tokens]).toEqual([500]);
  });
});

describe('predictors', () => {
  const batch = Array.from({ length: 400 }, (_, i) => g(`p${i}`, [i + 1, 2 * (i + 1)]));

  it('oracle: each group\'s own (reduced, capped) lengths', () => {
    const p = predictLengths(batch.slice(0, 3), LengthHistory.empty(), settings({ predictor: { kind: 'oracle' } }), createRng(1));
    expect([...p.tokens]).toEqual([2, 4, 6]);
  });

  it('noisy:a — exact with probability a, else another prompt\'s true length; a = 1 is the oracle', () => {
    const truth = predictLengths(batch, LengthHistory.empty(), settings({ predictor: { kind: 'oracle' } }), createRng(1)).tokens;
    const exactShare = (accuracy: number) => {
      const p = predictLengths(batch, LengthHistory.empty(), settings({ predictor: { kind: 'noisy', accuracy } }), createRng(7));
      return p.tokens.filter((t, i) => t === truth[i]).length / batch.length;
    };
    expect(exactShare(1)).toBe(1);
    // 400 prompts: the exact share is a + (1 − a)/400 in expectation; binomial spread ≈ 2.5 points.
    expect(exactShare(0.44)).toBeGreaterThan(0.37);
    expect(exactShare(0.44)).toBeLessThan(0.52);
    expect(exactShare(0)).toBeLessThan(0.02);
    const again = predictLengths(batch, LengthHistory.empty(), settings({ predictor: { kind: 'noisy', accuracy: 0.44 } }), createRng(7));
    expect([...again.tokens]).toEqual([...predictLengths(batch, LengthHistory.empty(), settings({ predictor: { kind: 'noisy', accuracy: 0.44 } }), createRng(7)).tokens]);
  });

  it("'none' keeps the EWMA scale but gives every prompt the same value (no ranking)", () => {
    const h = LengthHistory.fromIterations([it_(0, [g('a', [100]), g('b', [300])])], 'max', 1000);
    expect([...predictLengths([g('a', [1]), g('b', [1])], h, settings({ predictor: { kind: 'none' } }), createRng(1)).tokens]).toEqual([200, 200]);
  });

  it('parses the predictor option and refuses anything else', () => {
    expect(parsePredictor('noisy:0.44')).toEqual({ kind: 'noisy', accuracy: 0.44 });
    expect(parsePredictor('noisy:.5')).toEqual({ kind: 'noisy', accuracy: 0.5 });
    expect(parsePredictor('oracle')).toEqual({ kind: 'oracle' });
    expect(parsePredictor('noisy:1.5')).toBeUndefined();
    expect(parsePredictor('noisy:-0.1')).toBeUndefined();
    expect(parsePredictor('lstm')).toBeUndefined();
  });
});
