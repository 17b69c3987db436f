import type { TaskLayout } from '../../scenario/scenario.js';
import type { ModelRole } from '../iteration-context.js';

/**
 * How actor and critic training share stage slots under RLHFuse's intra-stage fusion
 * (papers/rlhfuse.md §3.2, named assumption `fused-layout`). Each model keeps the TP × PP × DP
 * layout the scenario gives it (RLHFuse picks per-task strategies before fusing, §4). A stage
 * slot is as wide as the wider TP group; a model with a narrower TP runs W / tp of its pipelines
 * side by side in each slot, in lockstep (the fusion factors K1, K2 of §3.2; TP degrees are
 * powers of two there, so they divide). The model with more pipeline stages is the large one —
 * per fused group one (lockstep bundle of) pipeline(s) runs downward over N = PP_L slots — and the
 * other runs as PP_L / PP_S upward bundles in the same slots. Equal PP: the model with more
 * parameters is the large one.
 */
export interface FusedTrainingLayout {
  /** GPUs of one stage slot: the wider of the two TP degrees. */
  readonly slotGpus: number;
  /** GPUs every fused group spans: slotGpus × PP_L. */
  readonly groupGpus: number;
  readonly groups: number;
  readonly large: FusedModelLayout;
  readonly small: FusedModelLayout;
}

export interface FusedModelLayout {
  readonly role: ModelRole;
  readonly task: 'update_actor' | 'update_critic';
  readonly tp: number;
  readonly pp: number;
  /** Data-parallel pipelines, as in the scenario. */
  readonly dp: number;
  readonly microBatchSamples: number;
  /** Pipelines side by side in one slot (slotGpus / tp). */
  readonly lockstep: number;
}

export type FusedLayoutResult = { readonly ok: true; readonly layout: FusedTrainingLayout } | { readonly ok: false; readonly reason: string };

export function deriveFusedLayout(actor: TaskLayout, critic: TaskLayout, actorParameters: number, criticParameters: number): FusedLayoutResult {
  const actorGpus = actor.tp * actor.pp * actor.dp;
  const criticGpus = critic.tp * critic.pp * critic.dp;
  if (actorGpus !== criticGpus) return { ok: false, reason: `actor and critic train on different GPU counts (${actorGpus} vs ${criticGpus}), so they cannot share stage slots` };
  const slotGpus = Math.max(actor.tp, critic.tp);
  if (slotGpus % Math.min(actor.tp, critic.tp) !== 0) return { ok: false, reason: `TP ${Math.min(actor.tp, critic.tp)} does not divide TP ${slotGpus}, so the narrower TP groups cannot pair up in a slot` };
  const model = (layout: TaskLayout, role: ModelRole, task: FusedModelLayout['task']): FusedModelLayout => ({
    role,
    task,
    tp: layout.tp,
    pp: layout.pp,
    dp: layout.dp,
    microBatchSamples: layout.microBatchSamples,
    lockstep: slotGpus / layout.tp,
  });
  const a = model(actor, 'actor', 'update_actor');
  const c = model(critic, 'critic', 'update_critic');
  const actorLarge = a.pp > c.pp || (a.pp === c.pp && actorParameters >= criticParameters);
  const large = actorLarge ? a : c;
  const small = actorLarge ? c : a;
  if (large.pp % small.pp !== 0) return { ok: false, reason: `PP ${small.pp} does not divide PP ${large.pp} (the small model's pipelines must tile the large one's slots)` };
  const groups = actorGpus / (slotGpus * large.pp);
  if (!Number.isInteger(groups) || large.dp !== groups * large.lockstep || small.dp !== groups * small.lockstep * (large.pp / small.pp)) {
    return { ok: false, reason: 'the two layouts do not tile the same stage slots' };
  }
  return { ok: true, layout: { slotGpus, groupGpus: slotGpus * large.pp, groups, large, small } };
}
