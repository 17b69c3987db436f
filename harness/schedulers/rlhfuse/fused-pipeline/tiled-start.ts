import { ScheduleEvaluator } from '../../pipeline/evaluate.js';
import type { DescentStart } from '../../pipeline/memory-descent.js';
import { compileProblem, type CompiledProblem } from '../../pipeline/problem.js';
import type { FusedLayout } from './layout.js';

/**
 * Memory-phase starts for a long fused pipeline, built from a shorter one. A fused schedule at
 * the latency lower bound keeps every node busy, so its middle is a steady state: per period
 * (the fewest micro-batches in the layout's large : small ratio, e.g. 2 actor + 1 critic
 * micro-batches for FlexFusion's 2 × PP-4 critic) each node runs the same mix of forwards and
 * backwards, and the memory held stays the same. Repeating one period of a good short schedule
 * in its middle gives a long schedule with the short one's peak memory and a makespan a little
 * above the bound, which the memory descent then anneals down under a memory cap.
 *
 * Why: the memory descent's cost per evaluation grows with the task count, so on a 3,072-task
 * instance its default budget ends far above what a longer search reaches (peak 35.95 where the
 * 768-task instance reaches 16); the short schedule is found in a fraction of the time.
 */

/** The fewest micro-batches of one period: large-model ones, and per small pipeline. */
export interface Period {
  readonly large: number;
  readonly small: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export function periodOf(layout: FusedLayout): Period {
  const large = layout.problem.pipelines[layout.largePipeline]!.microBatches;
  const small = layout.problem.pipelines[layout.smallPipelines[0]!]!.microBatches;
  const common = gcd(large, small);
  return { large: large / common, small: small / common };
}

/** The same layout with `periods` periods of micro-batches. */
export function withPeriods(layout: FusedLayout, period: Period, periods: number): FusedLayout {
  const small = new Set(layout.smallPipelines);
  const pipelines = layout.problem.pipelines.map((pipeline, p) => ({ ...pipeline, microBatches: periods * (small.has(p) ? period.small : period.large) }));
  return { ...layout, problem: { ...layout.problem, pipelines } };
}

/**
 * Extends `orders` (a feasible schedule of `base`, already run on `evaluator`) by `extraPeriods`
 * periods: on every node, the first period's worth of tasks (per task code) at or after the
 * first task that starts at `cutTime` is repeated there (kinds the node has no more of after the
 * cut lead the block). The result may deadlock or run long: the caller evaluates it.
 */
export function tileOrders(base: CompiledProblem, evaluator: ScheduleEvaluator, orders: readonly Int32Array[], small: ReadonlySet<number>, period: Period, extraPeriods: number, cutTime: number): Int32Array[] {
  const tiled: Int32Array[] = [];
  for (let node = 0; node < base.nodeCount; node++) {
    const order = orders[node]!;
    let cut = 0;
    while (cut < order.length && evaluator.startOf(evaluator.taskAt(node, cut)) < cutTime) cut++;
    const needed = new Map<number, number>();
    for (const code of order) needed.set(code, small.has(code >> 1) ? period.small : period.large);
    const periodLength = [...needed.values()].reduce((a, b) => a + b, 0);
    const block: number[] = [];
    const taken = new Map<number, number>();
    for (let position = cut; position < order.length && block.length < periodLength; position++) {
      const code = order[position]!;
      if ((taken.get(code) ?? 0) < needed.get(code)!) {
        block.push(code);
        taken.set(code, (taken.get(code) ?? 0) + 1);
      }
    }
    // A task kind the node has finished before the cut (e.g. a small pipeline's first-stage
    // forwards, run early): its period's share goes first in the block.
    const missing = [...needed].flatMap(([code, count]) => Array.from({ length: count - (taken.get(code) ?? 0) }, () => code));
    block.unshift(...missing);
    const out = new Int32Array(order.length + extraPeriods * periodLength);
    out.set(order.subarray(0, cut));
    for (let copy = 0; copy < extraPeriods; copy++) out.set(block, cut + copy * periodLength);
    out.set(order.subarray(cut), cut + extraPeriods * periodLength);
    tiled.push(out);
  }
  return tiled;
}

/**
 * Where the middle of a short schedule is cut, as shares of its makespan: 41 cuts from a quarter
 * to three quarters. Whether the repeated period lines up across nodes depends on the cut (on
 * FlexFusion exp 3's shape × 6 one cut in five gives the latency bound exactly); each cut costs
 * one evaluation of the long schedule.
 */
const CUT_SHARES = Array.from({ length: 41 }, (_, i) => 0.25 + i * 0.0125);

/**
 * The short layout a long one is tiled from, or undefined. Preferred: 2 × PP_L periods, when
 * the long layout has at least `TILE_MIN_FACTOR` times as many. On exp 0's layout (a period is
 * 2 actor + 1 critic micro-batch) the 8 periods of 2 × PP_L actor micro-batches have too short a
 * steady state: tiled to 96 / 128 actor micro-batches the best start ends 80 / 165 above the
 * latency bound (2,132 against 2,052; 2,889 against 2,724), from 16 periods 3 above (2,055;
 * 2,727). Seed 1; bases searched with the share the default gives the 16-period base (195,312 /
 * 130,208 evaluations), except the 8-period base for 128 (60,000). Default peaks, seeds 1 / 2 / 3: 96
 * actor micro-batches 23.8 / 35.95 / 35.95 -> 25.6 / 23.85 / 25.65, 128: 35.95 three times ->
 * 35.95 / 23.85 / 25.65. Else the fewest periods with at least 2 × PP_L large-model
 * micro-batches (a steady state between warm-up and cool-down; on exp 3's layout, one actor
 * micro-batch per period, both rules give 16, which tiles to the bound), again only
 * `TILE_MIN_FACTOR` times over. Below that the long layout's own search does better on the same
 * work (FlexFusion exp 0, 2 × the base: peak 16 untiled, 17.95 tiled; exp 3: 18.75 and 19.55),
 * and the published instances (M_L ≤ 4 × PP_L) stay as they were.
 */
export function tilingBase(layout: FusedLayout): FusedLayout | undefined {
  const period = periodOf(layout);
  const periods = layout.problem.pipelines[layout.largePipeline]!.microBatches / period.large;
  const nodes = layout.problem.nodeCount;
  for (const basePeriods of [2 * nodes, Math.ceil((2 * nodes) / period.large)]) {
    if (periods >= TILE_MIN_FACTOR * basePeriods) return withPeriods(layout, period, basePeriods);
  }
  return undefined;
}

/** How many times longer than its base a layout must be to be tiled (3: exp 0's layout at 96 actor micro-batches is tiled from 32). */
export const TILE_MIN_FACTOR = 3;

/**
 * Starts for `layout` tiled from `baseOrders`, a schedule of `base` (see `tilingBase`): one per
 * cut of the base that gives a feasible long schedule, best (shortest makespan, then lowest
 * peak) first.
 */
export function tiledStarts(layout: FusedLayout, base: FusedLayout, baseOrders: readonly Int32Array[]): DescentStart[] {
  const period = periodOf(layout);
  const compiled = compileProblem(base.problem);
  const evaluator = new ScheduleEvaluator(compiled);
  if (!evaluator.run(baseOrders)) return [];
  const extraPeriods = (layout.problem.pipelines[layout.largePipeline]!.microBatches - base.problem.pipelines[base.largePipeline]!.microBatches) / period.large;
  const small = new Set(layout.smallPipelines);
  const target = new ScheduleEvaluator(compileProblem(layout.problem));
  const found: { start: DescentStart; peak: number; makespan: number }[] = [];
  const baseMicroBatches = base.problem.pipelines[base.largePipeline]!.microBatches;
  for (const share of CUT_SHARES) {
    const orders = tileOrders(compiled, evaluator, baseOrders, small, period, extraPeriods, share * evaluator.makespan);
    if (!target.run(orders)) continue;
    found.push({ start: { name: `tiled from ${baseMicroBatches} micro-batches, cut at ${Number(share.toFixed(4))} of its makespan`, orders, group: 'tiled' }, peak: target.peakMemory, makespan: target.makespan });
  }
  return found.sort((a, b) => a.makespan - b.makespan || a.peak - b.peak).map(({ start }) => start);
}
