import { listScheduleOrders } from '../../pipeline/list-schedule.js';
import type { CompiledProblem } from '../../pipeline/problem.js';
import type { FusedLayout } from './layout.js';

/**
 * The greedy baseline of the FlexFusion artifact (RLHFuse §3.6): list scheduling that drops any
 * small-model task that would end after the earliest possible start of a large-model task on the
 * same node (the small model only fills gaps), then takes the earliest start, a backward first
 * on a tie. Returns per-node task codes (pipeline * 2 + isBackward).
 *
 * Ties left after that (same start, same kind, on different nodes) go to the lowest node, then
 * pipeline. The artifact leaves them to libstdc++'s unstable std::sort; an exact emulation of
 * that sort (checked against g++) gave the same per-node orders as this rule on all six
 * published instances and on 2,300 random fused instances (non-uniform stage times and send
 * times included), so the emulation was not kept.
 */
export function greedyOrderCodes(compiled: CompiledProblem, layout: Pick<FusedLayout, 'smallPipelines'>): Int32Array[] {
  return listScheduleOrders(compiled, { priority: 'backward-first', fillOnly: new Set(layout.smallPipelines) });
}
