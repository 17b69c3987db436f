import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annealMakespan } from '../../../../harness/schedulers/pipeline/anneal.js';
import { ScheduleEvaluator, scheduleTimeline } from '../../../../harness/schedulers/pipeline/evaluate.js';
import { oneFOneBOrders } from '../../../../harness/schedulers/pipeline/one-f-one-b.js';
import { compileProblem } from '../../../../harness/schedulers/pipeline/problem.js';
import { BudgetMeter } from '../../../../harness/schedulers/pipeline/search-budget.js';
import { evaluateSchedule } from '../../../../harness/schedulers/pipeline/evaluate.js';
import { validateSchedule } from '../../../../harness/schedulers/pipeline/validate.js';
import { flexFusionLayout } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/flexfusion-instances.js';
import { greedyOrderCodes } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/greedy.js';
import { fusedLayout, type FusedLayout } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/layout.js';
import { defaultMemoryEvaluations, searchFusedSchedule, type FusedSearchResult } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/search.js';
import { serialOneFOneBLatency } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/serial-baseline.js';
import { createRng } from '../../../../harness/util/rng.js';
import { publishedFigures } from './published-instances.js';

function expectValid(layout: FusedLayout, result: FusedSearchResult): void {
  const timeline = scheduleTimeline(layout.problem, result.best.orders);
  expect(timeline.feasible).toBe(true);
  if (!timeline.feasible) return;
  const report = validateSchedule(layout.problem, result.best.orders, { timeline: timeline.tasks });
  expect(report.problems).toEqual([]);
  expect(report.makespan).toBeCloseTo(result.best.score.makespan, 9);
  expect(report.peakMemory).toBeCloseTo(result.best.score.peakMemory, 9);
}

describe('searchFusedSchedule on the published FlexFusion instances', () => {
  it.each(publishedFigures)('reaches the published search latency of exp $exp (= the lower bound) with a valid schedule', (figures) => {
    const layout = flexFusionLayout(figures.exp);
    const result = searchFusedSchedule(layout, { seed: 1, memoryEvaluations: 5_000 });
    expect(result.best.score.makespan).toBe(figures.saLatency);
    expect(result.bounds.lowerBound).toBe(figures.saLatency);
    expect(result.stoppedBy).toBe('lower-bound');
    expect(result.greedy.score.makespan).toBe(figures.greedyLatency);
    expect(result.best.score.makespan).toBeLessThanOrEqual(result.greedy.score.makespan);
    expectValid(layout, result);
  });

  it('hides the critic completely when M_L = PP_L (exps 2 and 5): the fused makespan is the actor 1F1B alone', () => {
    for (const exp of [2, 5]) {
      const layout = flexFusionLayout(exp);
      const actorAlone = { nodeCount: 8, pipelines: [layout.problem.pipelines[0]!] };
      const actor1F1B = evaluateSchedule(actorAlone, oneFOneBOrders(actorAlone));
      expect(actor1F1B).toMatchObject({ feasible: true, makespan: 225 });
      expect(searchFusedSchedule(layout, { seed: 3, memoryEvaluations: 0 }).best.score.makespan).toBe(225);
      expect(serialOneFOneBLatency(layout.problem)).toBeGreaterThan(225);
    }
  });
});

describe('annealMakespan (the local search alone, without constructions)', () => {
  it.each([
    [2, 225],
    [1, 372],
  ])('improves the greedy of exp %i to the lower bound %i', (exp, lowerBound) => {
    const layout = flexFusionLayout(exp);
    const compiled = compileProblem(layout.problem);
    const evaluator = new ScheduleEvaluator(compiled);
    const outcome = annealMakespan(evaluator, greedyOrderCodes(compiled, layout), { rng: createRng(1), meter: new BudgetMeter({ maxEvaluations: 1_000_000 }), target: lowerBound });
    expect(outcome.score.makespan).toBe(lowerBound);
    expect(evaluateSchedule(layout.problem, outcome.orders.map((o) => Array.from(o, (code) => ({ pipeline: code >> 1, kind: (code & 1) === 1 ? ('B' as const) : ('F' as const) }))))).toMatchObject({ makespan: lowerBound });
  });
});

describe('memory phase', () => {
  // The full default budget (about 10 s an instance on one core); seed 2. Seed 3 reaches all six
  // too; seed 1 misses exp 1 by one memory level (15.80 against 15.75).
  it.each(publishedFigures)(
    'reaches the published SA memory of exp $exp (or better) at the latency lower bound, with a valid schedule',
    (figures) => {
      const layout = flexFusionLayout(figures.exp);
      const result = searchFusedSchedule(layout, { seed: 2 });
      expect(result.best.score.makespan).toBe(figures.saLatency);
      expect(result.best.score.peakMemory).toBeLessThanOrEqual(figures.saMemory + 1e-9);
      expect(result.best.score.peakMemory).toBeGreaterThanOrEqual(result.provenMemoryLowerBound - 1e-9);
      expect(result.memoryStartPeak).toBeGreaterThan(result.best.score.peakMemory);
      expect(result.evaluations.memory).toBeLessThanOrEqual(defaultMemoryEvaluations(compileProblem(layout.problem).taskCount));
      expectValid(layout, result);
    },
    120_000,
  );

  it('stops at the proven lower bound on exps 2 and 5 (the serial-1F1B peak, 15.6), long before its budget', () => {
    for (const exp of [2, 5]) {
      const result = searchFusedSchedule(flexFusionLayout(exp), { seed: 1, memoryEvaluations: 500_000 });
      expect(result.provenMemoryLowerBound).toBeCloseTo(15.6, 9);
      expect(result.best.score.peakMemory).toBeCloseTo(15.6, 9);
      expect(result.evaluations.memory).toBeLessThan(50_000);
      expect(result.memoryProbes.at(-1)).toMatchObject({ reached: true });
    }
  });

  it('lowers peak memory without raising the makespan', () => {
    const layout = flexFusionLayout(1);
    const without = searchFusedSchedule(layout, { seed: 2, memoryEvaluations: 0 });
    const withPass = searchFusedSchedule(layout, { seed: 2, memoryEvaluations: 30_000 });
    expect(withPass.best.score.makespan).toBe(without.best.score.makespan);
    expect(withPass.best.score.peakMemory).toBeLessThan(without.best.score.peakMemory);
    expectValid(layout, withPass);
  });

  it('keeps every schedule within a memory limit', () => {
    const layout = fusedLayout({ ppLarge: 4, ppSmall: 2, microBatchesLarge: 8, memoryLimit: 6, large: { name: 'actor', forward: 5, activationPerMicroBatch: 1 }, small: { name: 'critic', forward: 4, activationPerMicroBatch: 1 } });
    const result = searchFusedSchedule(layout, { seed: 1, latencyEvaluations: 20_000, memoryEvaluations: 5_000 });
    expect(result.best.score.peakMemory).toBeLessThanOrEqual(6);
    expectValid(layout, result);
  });
});

describe('searchFusedSchedule in general', () => {
  it('schedules cost-model seconds: 80 layers over 8 stages with the embedding on the first and the LM head on the last', () => {
    const layer = 0.012;
    const actorForward = Array.from({ length: 8 }, (_, s) => 10 * layer + (s === 0 ? 0.01 : 0) + (s === 7 ? 0.05 : 0));
    const layout = fusedLayout({
      ppLarge: 8,
      ppSmall: 4,
      microBatchesLarge: 16,
      large: { name: 'actor', forward: actorForward, activationPerMicroBatch: 1.2 },
      small: { name: 'critic', forward: [0.09, 0.09, 0.09, 0.091], activationPerMicroBatch: 0.8 },
    });
    const result = searchFusedSchedule(layout, { seed: 1, latencyEvaluations: 50_000, memoryEvaluations: 5_000 });
    // b0 from the LM-head stage: head 0.13 + 6 × 0.12, then 16 × (0.17 + 0.34), then tail 0.26 + 6 × 0.24.
    expect(result.bounds.b0).toBeCloseTo(0.85 + 16 * 0.51 + 1.7, 9);
    expect(result.best.score.makespan).toBeGreaterThanOrEqual(result.bounds.lowerBound - 1e-9);
    expect(result.best.score.makespan).toBeLessThanOrEqual(result.greedy.score.makespan);
    expect(result.best.score.makespan).toBeLessThan(serialOneFOneBLatency(layout.problem));
    expectValid(layout, result);
  });

  it('is deterministic for a seed and evaluation budgets', () => {
    const layout = fusedLayout({ ppLarge: 4, ppSmall: 2, microBatchesLarge: 6, large: { name: 'actor', forward: 3, activationPerMicroBatch: 1 }, small: { name: 'critic', forward: 2, activationPerMicroBatch: 1 } });
    const run = () => searchFusedSchedule(layout, { seed: 9, latencyEvaluations: 3_000, memoryEvaluations: 3_000 });
    const a = run();
    const b = run();
    expect(b.best.orders).toEqual(a.best.orders);
    expect(b.best.score).toEqual(a.best.score);
    expect(b.evaluations).toEqual(a.evaluations);
    expect(b.memoryProbes).toEqual(a.memoryProbes);
    expect(b.memoryReachedAfter.evaluations).toBe(a.memoryReachedAfter.evaluations);
  });

  it('gains nothing with one stage (PP = 1): fused = greedy = serial = the total work', () => {
    const layout = fusedLayout({ ppLarge: 1, ppSmall: 1, microBatchesLarge: 5, large: { name: 'actor', forward: 3, activationPerMicroBatch: 1 }, small: { name: 'critic', forward: 2, activationPerMicroBatch: 1 } });
    const result = searchFusedSchedule(layout, { seed: 1, memoryEvaluations: 1_000 });
    const totalWork = 5 * 9 + 5 * 6;
    expect(serialOneFOneBLatency(layout.problem)).toBe(totalWork);
    expect(result.greedy.score.makespan).toBe(totalWork);
    expect(result.best.score.makespan).toBe(totalWork);
  });

  it('returns valid schedules between the lower bound and the greedy on random small instances', () => {
    const arbitraryLayout = fc
      .record({
        ppLarge: fc.constantFrom(1, 2, 4),
        smallShare: fc.constantFrom(1, 2, 4),
        microBatchesSmall: fc.integer({ min: 1, max: 4 }),
        forwardLarge: fc.integer({ min: 1, max: 6 }),
        forwardSmall: fc.integer({ min: 1, max: 6 }),
        send: fc.constantFrom(0, 0, 1),
        nonUniform: fc.boolean(),
      })
      .map(({ ppLarge, smallShare, microBatchesSmall, forwardLarge, forwardSmall, send, nonUniform }) => {
        const ppSmall = Math.max(1, ppLarge / smallShare);
        // Non-uniform: the first and last large stages are heavier (embedding, LM head).
        const forward = nonUniform ? Array.from({ length: ppLarge }, (_, s) => forwardLarge + (s === 0 || s === ppLarge - 1 ? 1.5 : 0)) : forwardLarge;
        return fusedLayout({
          ppLarge,
          ppSmall,
          microBatchesLarge: (microBatchesSmall * ppLarge) / ppSmall,
          sendDuration: send,
          large: { name: 'actor', forward, activationPerMicroBatch: 1.5 },
          small: { name: 'critic', forward: forwardSmall, activationPerMicroBatch: 1 },
        });
      });
    fc.assert(
      fc.property(arbitraryLayout, fc.integer({ min: 0, max: 1000 }), (layout, seed) => {
        const result = searchFusedSchedule(layout, { seed, latencyEvaluations: 2_000, memoryEvaluations: 500 });
        expect(result.best.score.makespan).toBeGreaterThanOrEqual(result.bounds.lowerBound - 1e-9);
        expect(result.best.score.makespan).toBeLessThanOrEqual(result.greedy.score.makespan + 1e-9);
        expectValid(layout, result);
      }),
      { seed: 1, numRuns: 60 },
    );
  });
});
