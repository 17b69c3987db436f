import { beforeAll, describe, expect, it } from 'vitest';
import { figuresOf } from '../../../harness/reproduce/figures/index.js';
import { standInFigures } from '../../../harness/reproduce/figures/stand-in.js';
import { RLHFUSE_MAIN_GROUP, standInGroup } from '../../../harness/reproduce/experiments/rlhfuse.js';
import { computeResults, type ReproduceResults } from '../../../harness/reproduce/results.js';
import { syntheticOutcomes, syntheticPlan } from '../fixtures/synthetic.js';

/** RLHFuse's figures recomputed on the grid replayed with another trace (synthetic outcomes of the quick plan). */
let results: ReproduceResults;
beforeAll(async () => {
  const plan = await syntheticPlan();
  results = computeResults(plan, syntheticOutcomes(plan));
});

describe('standInFigures', () => {
  it('recomputes every RLHFuse system figure on each chat-like trace, except the curve’s', () => {
    expect(results.standIns.map((s) => s.source)).toEqual(['sharegpt', 'azure-conv']);
    for (const standIn of results.standIns) {
      expect(standIn.figures.filter((f) => f.outcome.ok).map((f) => f.id)).toContain('rlhfuse.speedup-vs-base');
      expect(standIn.figures.find((f) => f.id === 'rlhfuse.migration-threshold-optimum')!.outcome.ok).toBe(false);
      expect(standIn.figures.some((f) => f.id.includes('flexfusion'))).toBe(false);
    }
  });

  it('gives the main figures back when the stand-in grid replays the main grid’s own rows', () => {
    const main = results.main.filter((run) => run.testCase.config.group === RLHFUSE_MAIN_GROUP);
    // The main runs relabelled as a stand-in grid: the same rows under stand-in configurations.
    const copies = main.map((run) => ({
      config: { ...run.testCase.config, id: `copy/${run.testCase.config.id}`, group: standInGroup('sharegpt'), standIn: { replaces: run.testCase.config.id, source: 'sharegpt' as const } },
      rows: run.result.iterations,
    }));
    const computations = figuresOf(['rlhfuse']).filter((f) => f.scope === 'system');
    const again = standInFigures('sharegpt', copies, computations, results.book.options, RLHFUSE_MAIN_GROUP);
    for (const figure of again.figures.filter((f) => f.outcome.ok)) {
      const mainFigure = results.figures.find((f) => f.id === figure.id)!;
      if (!figure.outcome.ok || !mainFigure.outcome.ok) throw new Error(figure.id);
      expect(figure.outcome.estimate.mean, figure.id).toBeCloseTo(mainFigure.outcome.estimate.mean, 12);
    }
    expect(again.figures.filter((f) => f.outcome.ok).length).toBeGreaterThanOrEqual(6);
  });
});
