import type { TaskLayout } from '../../scenario/scenario.js';
import type { IterationContext, ModelRole } from '../iteration-context.js';

/** One inference model of the PPO workflow as RLHFuse runs it per sample (papers/rlhfuse.md §1). */
export interface InferenceRole {
  /** Ledger / timeline task: 'ref', 'reward', 'values'. */
  readonly task: 'ref' | 'reward' | 'values';
  readonly role: ModelRole;
  readonly layout: TaskLayout;
}

/** The GPU inference tasks of this scenario: ref always, reward when it is a model, values for PPO with a critic. */
export function inferenceRoles(ctx: IterationContext): InferenceRole[] {
  const layouts = ctx.scenario.layout!;
  const roles: InferenceRole[] = [{ task: 'ref', role: 'ref', layout: layouts.ref }];
  if (layouts.reward && ctx.hasModel('reward')) roles.push({ task: 'reward', role: 'reward', layout: layouts.reward });
  if (ctx.hasCriticInference()) roles.push({ task: 'values', role: 'critic', layout: layouts.criticInference! });
  return roles;
}

/** Every sample is this many tokens long in the split and search references: half the prompt cap plus half the response cap. */
export function referenceSequenceTokens(ctx: IterationContext): number {
  return (ctx.scenario.lengths.maxPromptTokens + ctx.scenario.lengths.maxResponseTokens) / 2;
}

/**
 * GPU-seconds one sample of the reference length costs each role on its own layout: the weights
 * of `inference-split: work-proportional` (one micro-batch of reference samples, per sample).
 */
export function roleWorkShares(ctx: IterationContext, roles: readonly InferenceRole[]): number[] {
  const tokens = referenceSequenceTokens(ctx);
  return roles.map(({ role, layout }) => {
    const replica = ctx.replica(role, { tp: layout.tp, pp: layout.pp });
    const n = Math.max(1, layout.microBatchSamples);
    return (replica.forwardS(tokens * n, n) * replica.gpus) / n;
  });
}
