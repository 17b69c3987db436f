import { describe, expect, it } from 'vitest';
import { layOutPools, parsePoolRatio, ratioGpus } from '../../../harness/schedulers/baseline/openrlhf-pools.js';

describe('OpenRLHF pool ratios', () => {
  it('reads actor:critic:reward:ref:vllm weights, or shares', () => {
    expect(parsePoolRatio('1:1:2:2:2')).toEqual({ kind: 'ratio', weights: { actor: 1, critic: 1, reward: 2, ref: 2, vllm: 2 } });
    expect(parsePoolRatio(' shares ')).toEqual({ kind: 'shares' });
    for (const bad of ['1:1:2:2', '1:1:2:2:2:2', '0:1:1:1:1', '1:-1:1:1:1', '1:a:1:1:1', '']) expect(parsePoolRatio(bad)).toBeUndefined();
  });

  it('sizes the pools in proportion to the cluster, in whole GPUs', () => {
    const weights = parsePoolRatio('1:1:2:2:2');
    if (weights?.kind !== 'ratio') throw new Error('expected a ratio');
    expect(ratioGpus(weights.weights, 64)).toEqual({ gpus: { actor: 8, critic: 8, reward: 16, ref: 16, vllm: 16 } });
    expect(ratioGpus(weights.weights, 12)).toEqual({ problem: 'splits 12 GPUs into 1.50:1.50:3:3:3: every pool must get a whole number of GPUs' });
  });

  it('lays pools on consecutive GPUs; a role with none shares its partner’s', () => {
    expect(layOutPools({ actor: 8, critic: 8, reward: 16, ref: 16, vllm: 16 })).toEqual({
      engines: { name: 'engines', firstGpu: 0, gpus: 16 },
      actor: { name: 'actor', firstGpu: 16, gpus: 8 },
      ref: { name: 'ref', firstGpu: 24, gpus: 16 },
      critic: { name: 'critic', firstGpu: 40, gpus: 8 },
      reward: { name: 'reward', firstGpu: 48, gpus: 16 },
    });
    const colocated = layOutPools({ actor: 4, critic: 2, reward: 0, ref: 0, vllm: 2 });
    expect(colocated.ref).toBe(colocated.actor);
    expect(colocated.reward).toBe(colocated.critic);
    expect(layOutPools({ actor: 4, critic: 0, reward: 0, ref: 0, vllm: 0 })).toEqual({ engines: undefined, actor: { name: 'actor', firstGpu: 0, gpus: 4 }, ref: { name: 'actor', firstGpu: 0, gpus: 4 }, critic: undefined, reward: undefined });
  });
});
