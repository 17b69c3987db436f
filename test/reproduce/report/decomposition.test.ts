import { beforeAll, describe, expect, it } from 'vitest';
import { isDecomposition } from '../../../harness/reproduce/figures/decomposition.js';
import { compactDecompositionTable, decompositionCharts, decompositionMarkdown, decompositionTable } from '../../../harness/reproduce/report/decomposition.js';
import { computeResults, type ReproduceResults } from '../../../harness/reproduce/results.js';
import { syntheticOutcomes, syntheticPlan } from '../fixtures/synthetic.js';

/** The RLHFless decomposition as the report shows it, on the synthetic outcomes of the quick plan. */
let results: ReproduceResults;
const units = new Map([
  ['rlhfless.testbed-best-speedup', '×'],
  ['rlhfless.testbed-best-cost-reduction', '%'],
  ['rlhfless.sim-average-speedup', '×'],
  ['rlhfless.sim-average-cost-reduction', '%'],
  ['rlhfless.weak-predictor-speedup', '×'],
  ['rlhfless.weak-predictor-cost-reduction', '%'],
]);

beforeAll(async () => {
  const plan = await syntheticPlan();
  results = computeResults(plan, syntheticOutcomes(plan));
});

describe('RLHFless decomposition in the report', () => {
  it('splits every figure against veRL and says why the three study figures do not split', () => {
    expect(results.decompositions.filter(isDecomposition).map((d) => d.figure)).toEqual([...units.keys()]);
    expect(results.decompositions.filter((d) => !isDecomposition(d)).map((d) => d.figure)).toEqual(['rlhfless.assignment-vs-rlhfuse-cost', 'rlhfless.kv-recompute-share', 'rlhfless.dedup-prefill-saving']);
  });

  it('adds up, figure by figure, to the figure the comparison shows', () => {
    for (const d of results.decompositions.filter(isDecomposition)) {
      const figure = results.figures.find((f) => f.id === d.figure)!;
      if (!figure.outcome.ok) throw new Error(d.figure);
      expect(d.total, d.figure).toBeCloseTo(figure.outcome.estimate.mean, 9);
      expect(d.start + d.parts.reduce((s, p) => s + p.change.mean, 0)).toBeCloseTo(d.total, 12);
    }
  });

  it('gives the full system five technique parts and the weak predictor none (no ablations of it)', () => {
    const table = compactDecompositionTable(results, units);
    expect(table.columns.map((c) => c.label)).toEqual(['Figure', 'Computed on', 'Reproduced', 'Billing alone (rlhfless-naive)', '+ deduplicated prefill', '+ length prediction', '+ prompt assignment', '+ cut-and-migrate', '+ actor scaling', 'Interaction / rest']);
    const weak = table.rows.find((r) => r.figure === 'rlhfless.weak-predictor-speedup')!;
    expect([weak['t0'], weak['t4']]).toEqual(['—', '—']);
    const parts = decompositionTable(results, units).rows.filter((r) => r.figure === 'rlhfless.testbed-best-speedup');
    expect(parts.map((r) => r.kind)).toEqual(['billing', 'technique', 'technique', 'technique', 'technique', 'technique', 'interaction', 'figure']);
  });

  it('draws a waterfall per figure and writes the Markdown section', () => {
    expect(decompositionCharts(results, units).map((c) => c.id)).toEqual([...units.keys()].map((id) => `waterfall-${id.replace(/[^A-Za-z0-9]+/g, '-')}`));
    const markdown = decompositionMarkdown(results, units);
    expect(markdown).toContain('## RLHFless: billing alone against each technique');
    expect(markdown).toContain('| rlhfless.sim-average-cost-reduction | average over 2 settings |');
    expect(markdown).toContain('- rlhfless.kv-recompute-share: both sides are veRL');
  });
});
