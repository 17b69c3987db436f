import { describe, expect, it } from 'vitest';
import { ScheduleEvaluator } from '../../../../harness/schedulers/pipeline/evaluate.js';
import { listScheduleOrders } from '../../../../harness/schedulers/pipeline/list-schedule.js';
import { compileProblem, orderShapeErrors } from '../../../../harness/schedulers/pipeline/problem.js';
import { flexFusionInstances, longFlexFusionInstances } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/flexfusion-instances.js';
import { fusedLayout } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/layout.js';
import { latencyLowerBounds } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/lower-bounds.js';
import { searchFusedSchedule } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/search.js';
import { periodOf, tiledStarts, tileOrders, tilingBase, withPeriods } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/tiled-start.js';

const long = (name: string) => fusedLayout(longFlexFusionInstances.find((instance) => instance.name === name)!.spec);
const microBatches = (layout: ReturnType<typeof fusedLayout>) => layout.problem.pipelines.map((pipeline) => pipeline.microBatches);

describe('tiled starts', () => {
  it('a period is the fewest micro-batches in the large : small ratio', () => {
    expect(periodOf(long('flexfusion-exp0-shape-m64'))).toEqual({ large: 2, small: 1 }); // 64 actor, 2 critic pipelines of 32
    expect(periodOf(long('flexfusion-exp3-shape-m96'))).toEqual({ large: 1, small: 1 });
    expect(microBatches(withPeriods(long('flexfusion-exp0-shape-m64'), { large: 2, small: 1 }, 8))).toEqual([16, 8, 8]);
  });

  it('tiles only layouts at least three times as long as the base: 2 × PP_L periods, else 2 × PP_L actor micro-batches; never a published instance', () => {
    for (const instance of flexFusionInstances) expect(tilingBase(fusedLayout(instance.spec)), instance.name).toBeUndefined();
    // exp 0's layout, 2 actor micro-batches per period: 16 periods from 96 actor micro-batches (48 periods) on, else 8.
    expect(microBatches(tilingBase(long('flexfusion-exp0-shape-m64'))!)).toEqual([16, 8, 8]);
    expect(microBatches(tilingBase(long('flexfusion-exp0-shape-m96'))!)).toEqual([32, 16, 16]);
    expect(microBatches(tilingBase(long('flexfusion-exp0-shape-m128'))!)).toEqual([32, 16, 16]);
    // exp 3's layout, 1 actor micro-batch per period: both rules give 16.
    expect(microBatches(tilingBase(long('flexfusion-exp3-shape-m128'))!)).toEqual([16, 16]);
  });

  it('on exp 0’s layout, a base of 2 × PP_L periods tiles to near the latency bound, one of 2 × PP_L actor micro-batches far above it', () => {
    const layout = long('flexfusion-exp0-shape-m128');
    const period = periodOf(layout);
    const lowerBound = latencyLowerBounds(layout.problem).lowerBound;
    const evaluator = new ScheduleEvaluator(compileProblem(layout.problem));
    const bestTiledMakespan = (basePeriods: number) => {
      const base = withPeriods(layout, period, basePeriods);
      const starts = tiledStarts(layout, base, searchFusedSchedule(base, { seed: 1, memoryEvaluations: 0 }).best.codes);
      expect(evaluator.run(starts[0]!.orders)).toBe(true);
      return evaluator.makespan;
    };
    expect(bestTiledMakespan(16)).toBeLessThanOrEqual(1.01 * lowerBound); // 32 actor micro-batches: 2,724, the bound
    expect(bestTiledMakespan(8)).toBeGreaterThan(1.05 * lowerBound); // 16: 3,405
  });

  it('repeats one period of each node’s order at its cut: prefix and suffix kept, the block has one period of each task kind', () => {
    const layout = long('flexfusion-exp3-shape-m64');
    const base = tilingBase(layout)!;
    const compiled = compileProblem(base.problem);
    const orders = listScheduleOrders(compiled, { priority: 'backward-first', oneFOneBPipelines: new Set([0, 1]) });
    const evaluator = new ScheduleEvaluator(compiled);
    expect(evaluator.run(orders)).toBe(true);
    const cutTime = evaluator.makespan / 2;
    const tiled = tileOrders(compiled, evaluator, orders, new Set(layout.smallPipelines), periodOf(layout), 48, cutTime);
    expect(orderShapeErrors(compileProblem(layout.problem), tiled)).toEqual([]);
    tiled.forEach((order, node) => {
      const original = orders[node]!;
      let cut = 0;
      while (cut < original.length && evaluator.startOf(evaluator.taskAt(node, cut)) < cutTime) cut++;
      expect(Array.from(order.subarray(0, cut))).toEqual(Array.from(original.subarray(0, cut)));
      expect(Array.from(order.subarray(cut + 48 * 4))).toEqual(Array.from(original.subarray(cut)));
      const block = Array.from(order.subarray(cut, cut + 4));
      expect([...block].sort()).toEqual([0, 1, 2, 3]);
      for (let copy = 1; copy < 48; copy++) expect(Array.from(order.subarray(cut + 4 * copy, cut + 4 * copy + 4))).toEqual(block);
    });
  });

  it('from a searched base, the best start keeps the base’s peak and comes close to the long layout’s latency bound', () => {
    const layout = long('flexfusion-exp3-shape-m64');
    const base = tilingBase(layout)!;
    const baseResult = searchFusedSchedule(base, { seed: 1, memoryEvaluations: 20_000 });
    const starts = tiledStarts(layout, base, baseResult.best.codes);
    expect(starts.length).toBeGreaterThan(5);
    const evaluator = new ScheduleEvaluator(compileProblem(layout.problem));
    const scores = starts.map((start) => (evaluator.run(start.orders), evaluator.score()));
    // Best first: shortest makespan, then lowest peak.
    for (let i = 1; i < scores.length; i++) expect(scores[i]!.makespan).toBeGreaterThanOrEqual(scores[i - 1]!.makespan);
    const lowerBound = latencyLowerBounds(layout.problem).lowerBound;
    // Four times the micro-batches: the base's steady state repeated 48 more times, at most 12 % above the bound
    // (the untiled constructions' memory-capped starts are 25–35 % above it at this peak).
    expect(scores[0]!.makespan).toBeLessThanOrEqual(1.12 * lowerBound);
    expect(Math.min(...scores.map((score) => score.peakMemory))).toBeLessThanOrEqual(baseResult.best.score.peakMemory + 1e-9);
  });
});

describe('the search on a long layout', () => {
  it('spends a quarter of the memory work on the tiled start, anneals it first, is deterministic, and ends below the untiled search', () => {
    const layout = long('flexfusion-exp3-shape-m64');
    const run = (tiled: boolean) => {
      const phases: string[] = [];
      // Seed 1 (seed 2 too): the tiled run keeps the base's peak (22.75; untiled 47.95). With seed 3 its best tiled
      // start is 2 above the latency bound and 22,500 evaluations do not bring it down: then both end at 47.95.
      const result = searchFusedSchedule(layout, { seed: 1, memoryEvaluations: 30_000, tiledStarts: tiled, onMemoryProbe: (probe) => phases.push(probe.phase) });
      return { result, phases };
    };
    const first = run(true);
    const again = run(true);
    const untiled = run(false);
    expect(first.result.evaluations.memory).toBeLessThanOrEqual(22_500);
    expect(first.phases[0]).toBe('carried');
    expect(untiled.phases).not.toContain('carried');
    expect(again.result.best.codes.map((order) => Array.from(order))).toEqual(first.result.best.codes.map((order) => Array.from(order)));
    expect(first.result.best.score.makespan).toBe(untiled.result.best.score.makespan);
    expect(first.result.best.score.peakMemory).toBeLessThan(untiled.result.best.score.peakMemory);
  });
});
