import { listScheduleOrders, type ListScheduleRule } from '../../pipeline/list-schedule.js';
import type { DescentStart } from '../../pipeline/memory-descent.js';
import type { CompiledProblem } from '../../pipeline/problem.js';
import { soloOneFOneBLatestStarts } from '../../pipeline/solo-latest-starts.js';
import type { FusedLayout } from './layout.js';

/**
 * Start schedules for the memory descent on a fused layout: list schedules that respect a
 * per-node memory cap, built so that low memory and the target makespan can both be met.
 *
 * - Family (the name's first word): the large model held to its 1F1B sequence on every stage
 *   (`large-1F1B`, annealed with that sequence kept: the published exp-1 schedule has the actor
 *   in exact 1F1B), or capped at 1, 1.5 or 2 × 1F1B's in-flight count (`large-1x` …), each
 *   with or without the greedy's "small model only fills gaps" filter (`…+fill`).
 * - The small model capped at 1, 1.5 or 2 × its 1F1B in-flight count, or not at all.
 * - The large model's forwards held back to a little before their latest start in its own 1F1B
 *   run against the makespan (2 or 6 forwards' time, or not held): activations then live
 *   shortly and the small model uses the nodes first.
 * - For the small model, one variant also holds its forwards back (30 of its forwards' time):
 *   with M_L = PP_L (FlexFusion exps 2, 5) it then slots between the large model's warm-up
 *   forwards.
 *
 * 84 list schedules per cap: four large-model families × (12 + 8 with the fill filter + 1 with both
 * models held).
 */
export function fusedMemoryStarts(layout: Pick<FusedLayout, 'largePipeline' | 'smallPipelines'>, compiled: CompiledProblem, makespan: number): (memoryCap: number) => DescentStart[] {
  const latest = soloOneFOneBLatestStarts(compiled, makespan);
  const large = layout.largePipeline;
  const small = new Set(layout.smallPipelines);
  const maxForward = (p: number) => Math.max(0, ...compiled.chainDuration[p]!.subarray(0, compiled.stageCount[p]!));
  const largeForward = maxForward(large);
  const smallForward = Math.max(0, ...layout.smallPipelines.map(maxForward));

  /** Release times: each held pipeline's forwards at (latest start − its lead), nothing else held. */
  const release = (leads: ReadonlyMap<number, number>): Float64Array => {
    const times = new Float64Array(compiled.taskCount);
    for (const [p, lead] of leads) {
      const stages = compiled.stageCount[p]!;
      for (let microBatch = 0; microBatch < compiled.microBatches[p]!; microBatch++) {
        for (let stage = 0; stage < stages; stage++) {
          const index = compiled.endTimeOffset[p]! + microBatch * 2 * stages + stage;
          times[index] = Math.max(0, latest[index]! - lead);
        }
      }
    }
    return times;
  };
  const largeLeads = [Infinity, 2 * largeForward, 6 * largeForward];
  const releases = new Map(largeLeads.filter((lead) => lead !== Infinity).map((lead) => [lead, release(new Map([[large, lead]]))]));
  const bothHeld = release(new Map([[large, 2 * largeForward], ...layout.smallPipelines.map((p): [number, number] => [p, 30 * smallForward])]));

  const families: { name: string; largeFactor: number; oneFOneB: boolean }[] = [
    { name: 'large-1F1B', largeFactor: 1, oneFOneB: true },
    { name: 'large-1x', largeFactor: 1, oneFOneB: false },
    { name: 'large-1.5x', largeFactor: 1.5, oneFOneB: false },
    { name: 'large-2x', largeFactor: 2, oneFOneB: false },
  ];
  const smallFactors = [1, 1.5, 2, Infinity];
  const label = (factor: number) => (factor === Infinity ? 'uncapped' : `${factor}x`);

  return (memoryCap: number): DescentStart[] => {
    const starts: DescentStart[] = [];
    const add = (family: (typeof families)[number], fill: boolean, smallFactor: number, lead: number, releaseTimes: Float64Array | undefined, what: string) => {
      const rule: ListScheduleRule = {
        priority: 'longest-tail',
        memoryCap,
        inFlightFactorByPipeline: new Map([[large, family.largeFactor], ...layout.smallPipelines.map((p): [number, number] => [p, smallFactor])]),
        ...(family.oneFOneB ? { oneFOneBPipelines: new Set([large]) } : {}),
        ...(fill ? { fillOnly: small } : {}),
        ...(releaseTimes !== undefined ? { releaseTimes } : {}),
      };
      starts.push({
        name: `${family.name}${fill ? '+fill' : ''} small ${label(smallFactor)}, ${what}`,
        orders: listScheduleOrders(compiled, rule),
        ...(family.oneFOneB ? { keepSequences: new Set([large]) } : {}),
      });
    };
    for (const family of families) {
      for (const fill of [false, true]) {
        for (const smallFactor of smallFactors) {
          for (const lead of largeLeads) {
            if (fill && lead === 6 * largeForward) continue;
            add(family, fill, smallFactor, lead, releases.get(lead), lead === Infinity ? 'large eager' : `large held to latest − ${lead}`);
          }
        }
      }
      add(family, false, 1, 2 * largeForward, bothHeld, `both held (large latest − ${2 * largeForward}, small latest − ${30 * smallForward})`);
    }
    return starts;
  };
}
