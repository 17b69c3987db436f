import type { PoolRef } from '../../sim/types.js';

/**
 * OpenRLHF's GPU pools. Every role has its own Ray placement group — `--actor_num_nodes ×
 * --actor_num_gpus_per_node`, likewise critic, reward and ref, and `--vllm_num_engines ×
 * --vllm_tensor_parallel_size` for the rollout engines (OpenRLHF d1d595a5, v0.3.0,
 * examples/train_ppo_ray.py) — except where two roles are colocated on the same GPUs
 * (`--colocate_actor_ref`, `--colocate_critic_reward`). A pool ratio states those sizes in
 * proportion to the cluster: actor:critic:reward:ref:vllm = 1:1:2:2:2 on 64 GPUs is 8, 8, 16, 16
 * and 16 GPUs.
 */
export const POOL_ROLES = ['actor', 'critic', 'reward', 'ref', 'vllm'] as const;
export type PoolRole = (typeof POOL_ROLES)[number];

/** 'shares': the engine share and actor share parameters split the cluster; 'ratio': the five weights. */
export type PoolRatio = { readonly kind: 'shares' } | { readonly kind: 'ratio'; readonly weights: Readonly<Record<PoolRole, number>> };

export const POOL_RATIO_EXPECTED = "'shares', or five non-negative weights actor:critic:reward:ref:vllm (e.g. '1:1:2:2:2'; 0 colocates ref with the actor, reward with the critic, or means no such pool)";

/** Reads 'shares' or 'a:c:r:f:v'; undefined for anything else. */
export function parsePoolRatio(text: string): PoolRatio | undefined {
  const trimmed = text.trim();
  if (trimmed === 'shares') return { kind: 'shares' };
  const parts = trimmed.split(':');
  if (parts.length !== POOL_ROLES.length) return undefined;
  const values = parts.map((part) => (/^\d+(\.\d+)?$/.test(part.trim()) ? Number(part) : Number.NaN));
  if (values.some((v) => !Number.isFinite(v) || v < 0) || values[0]! <= 0) return undefined;
  const weights = Object.fromEntries(POOL_ROLES.map((role, i) => [role, values[i]!])) as Record<PoolRole, number>;
  return { kind: 'ratio', weights };
}

/** GPUs per role of a ratio on `totalGpus`, or the reason it does not divide the cluster. */
export function ratioGpus(weights: Readonly<Record<PoolRole, number>>, totalGpus: number): { gpus: Record<PoolRole, number> } | { problem: string } {
  const sum = POOL_ROLES.reduce((s, role) => s + weights[role], 0);
  const gpus = {} as Record<PoolRole, number>;
  for (const role of POOL_ROLES) {
    const exact = (weights[role] * totalGpus) / sum;
    if (Math.abs(exact - Math.round(exact)) > 1e-9) {
      const shown = POOL_ROLES.map((r) => ((weights[r] * totalGpus) / sum).toFixed(2).replace(/\.00$/, '')).join(':');
      return { problem: `splits ${totalGpus} GPUs into ${shown}: every pool must get a whole number of GPUs` };
    }
    gpus[role] = Math.round(exact);
  }
  return { gpus };
}

/** The pools of one iteration, each a GPU range; colocated roles share their partner's pool. */
export interface OpenrlhfPools {
  readonly engines: PoolRef | undefined;
  readonly actor: PoolRef;
  readonly ref: PoolRef;
  readonly critic: PoolRef | undefined;
  readonly reward: PoolRef | undefined;
}

/**
 * Lays the pools out on consecutive GPUs: engines, actor, ref, critic, reward. A role with 0 GPUs
 * shares a pool: ref the actor's, reward the critic's (the actor's when there is no critic).
 */
export function layOutPools(gpus: Readonly<Record<PoolRole, number>>): OpenrlhfPools {
  let next = 0;
  const take = (name: string, count: number): PoolRef | undefined => {
    if (count <= 0) return undefined;
    const pool = { name, firstGpu: next, gpus: count };
    next += count;
    return pool;
  };
  const engines = take('engines', gpus.vllm);
  const actor = take('actor', gpus.actor)!;
  const ref = take('ref', gpus.ref) ?? actor;
  const critic = take('critic', gpus.critic);
  const reward = take('reward', gpus.reward) ?? critic;
  return { engines, actor, ref, critic, reward };
}
