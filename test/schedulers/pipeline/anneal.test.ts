import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annealMakespan, annealMemory } from '../../../harness/schedulers/pipeline/anneal.js';
import { evaluateSchedule, ScheduleEvaluator } from '../../../harness/schedulers/pipeline/evaluate.js';
import { compileProblem, decodeOrders, encodeOrders } from '../../../harness/schedulers/pipeline/problem.js';
import { BudgetMeter } from '../../../harness/schedulers/pipeline/search-budget.js';
import type { PipelineProblem, TaskRef } from '../../../harness/schedulers/pipeline/types.js';
import { validateSchedule } from '../../../harness/schedulers/pipeline/validate.js';
import { createRng } from '../../../harness/util/rng.js';
import { arbitraryProblem, randomFeasibleOrders } from './random-instances.js';

function chain(stages: number, microBatches: number): PipelineProblem {
  return {
    nodeCount: stages,
    pipelines: [{ model: 'actor', replica: 0, microBatches, stageNodes: Array.from({ length: stages }, (_, s) => s), forwardDurations: new Array(stages).fill(1), backwardDurations: new Array(stages).fill(2), activationPerMicroBatch: new Array(stages).fill(1) }],
  };
}

/** GPipe: every forward, then every backward, on every stage. */
function gpipe(problem: PipelineProblem): TaskRef[][] {
  const m = problem.pipelines[0]!.microBatches;
  return Array.from({ length: problem.nodeCount }, () => [...Array.from({ length: m }, () => ({ pipeline: 0, kind: 'F' as const })), ...Array.from({ length: m }, () => ({ pipeline: 0, kind: 'B' as const }))]);
}

describe('annealMemory', () => {
  it('turns GPipe into a lower-memory schedule of the same makespan', () => {
    const problem = chain(4, 8);
    const compiled = compileProblem(problem);
    const evaluator = new ScheduleEvaluator(compiled);
    const start = encodeOrders(gpipe(problem));
    expect(evaluator.run(start)).toBe(true);
    // GPipe and 1F1B both take (m + p − 1)(f + b) = 33 here; GPipe holds all 8 micro-batches on stage 0.
    expect([evaluator.makespan, evaluator.peakMemory]).toEqual([33, 8]);
    const outcome = annealMemory(evaluator, start, { rng: createRng(1), meter: new BudgetMeter({ maxEvaluations: 20_000 }), makespanCap: 33, evaluations: 20_000 });
    expect(outcome.score.makespan).toBeLessThanOrEqual(33);
    expect(outcome.score.peakMemory).toBeLessThan(8);
    expect(outcome.score.peakMemory).toBeGreaterThanOrEqual(1);
    expect(evaluateSchedule(problem, decodeOrders(outcome.orders))).toMatchObject({ feasible: true, peakMemory: outcome.score.peakMemory });
  });

  it('stops on a problem that has no legal move instead of spinning', () => {
    const problem = chain(1, 1);
    const evaluator = new ScheduleEvaluator(compileProblem(problem));
    const start = encodeOrders(gpipe(problem));
    const meter = new BudgetMeter({ maxEvaluations: 1_000 });
    const outcome = annealMemory(evaluator, start, { rng: createRng(1), meter, makespanCap: 3, evaluations: 1_000 });
    expect(outcome.orders).toEqual(start);
    expect(meter.evaluations).toBe(0);
  });
});

describe('annealMakespan', () => {
  it('shortens a bad order of two crossing pipelines and keeps the best orders seen', () => {
    const problem: PipelineProblem = {
      nodeCount: 3,
      pipelines: [
        { model: 'actor', replica: 0, microBatches: 4, stageNodes: [0, 1, 2], forwardDurations: [2, 2, 2], backwardDurations: [4, 4, 4], activationPerMicroBatch: [1, 1, 1] },
        { model: 'critic', replica: 0, microBatches: 4, stageNodes: [2, 1, 0], forwardDurations: [1, 1, 1], backwardDurations: [2, 2, 2], activationPerMicroBatch: [1, 1, 1] },
      ],
    };
    // Every node: all of the critic's tasks first, then the actor's (serial, critic-first).
    const serial = Array.from({ length: 3 }, (_, node) => {
      const forCritic = Array.from({ length: 4 }, () => [{ pipeline: 1, kind: 'F' as const }]).flat();
      const critic = node === 0 ? forCritic.flatMap((f) => [f, { pipeline: 1, kind: 'B' as const }]) : [...forCritic, ...forCritic.map(() => ({ pipeline: 1, kind: 'B' as const }))];
      const forActor = Array.from({ length: 4 }, () => ({ pipeline: 0, kind: 'F' as const }));
      const actor = node === 2 ? forActor.flatMap((f) => [f, { pipeline: 0, kind: 'B' as const }]) : [...forActor, ...forActor.map(() => ({ pipeline: 0, kind: 'B' as const }))];
      return [...critic, ...actor];
    });
    const start = evaluateSchedule(problem, serial);
    expect(start.feasible).toBe(true);
    const compiled = compileProblem(problem);
    const outcome = annealMakespan(new ScheduleEvaluator(compiled), encodeOrders(serial), { rng: createRng(3), meter: new BudgetMeter({ maxEvaluations: 20_000 }), target: 0 });
    if (!start.feasible) return;
    expect(outcome.score.makespan).toBeLessThan(start.makespan);
    expect(evaluateSchedule(problem, decodeOrders(outcome.orders))).toMatchObject({ feasible: true, makespan: outcome.score.makespan });
  });
});

describe('annealMakespan with a memory cap, kept sequences and block moves', () => {
  /** Per node, the F/B sequence of one pipeline's tasks. */
  const sequenceOf = (orders: readonly Int32Array[], pipeline: number) => orders.map((order) => Array.from(order).filter((code) => code >> 1 === pipeline));

  it('never crosses the cap, keeps the kept pipelines\' sequences, and returns a valid schedule no longer than its start', () => {
    fc.assert(
      fc.property(arbitraryProblem, fc.integer({ min: 0, max: 1 << 20 }), fc.boolean(), (problem, seed, keep) => {
        const compiled = compileProblem(problem);
        const evaluator = new ScheduleEvaluator(compiled);
        const start = encodeOrders(randomFeasibleOrders(problem, seed));
        expect(evaluator.run(start)).toBe(true);
        const { makespan, peakMemory } = evaluator.score();
        const keepSequences = keep ? new Set([0]) : undefined;
        const outcome = annealMakespan(evaluator, start, {
          rng: createRng(seed),
          meter: new BudgetMeter({ maxEvaluations: 2_000 }),
          target: 0,
          cycleEvaluations: 500,
          memoryCap: peakMemory,
          blockMoveShare: 0.6,
          ...(keepSequences !== undefined ? { keepSequences } : {}),
        });
        const report = validateSchedule(problem, decodeOrders(outcome.orders));
        expect(report.valid).toBe(true);
        expect(report.peakMemory).toBeLessThanOrEqual(peakMemory + 1e-9);
        expect(report.makespan).toBeLessThanOrEqual(makespan);
        expect(report.makespan).toBeCloseTo(outcome.score.makespan, 9);
        if (keep) expect(sequenceOf(outcome.orders, 0)).toEqual(sequenceOf(start, 0));
      }),
      { seed: 4, numRuns: 60 },
    );
  });

  it('refuses a start above the cap', () => {
    const problem = chain(4, 8);
    const evaluator = new ScheduleEvaluator(compileProblem(problem));
    expect(() => annealMakespan(evaluator, encodeOrders(gpipe(problem)), { rng: createRng(1), meter: new BudgetMeter({ maxEvaluations: 10 }), target: 0, memoryCap: 7 })).toThrow(/exceed the memory cap/);
  });
});
