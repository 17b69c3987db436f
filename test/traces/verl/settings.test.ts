import { describe, expect, it } from 'vitest';
import type { ConfigEntry, VerlConfig } from '../../../harness/traces/verl/config.js';
import type { ConfigValue } from '../../../harness/traces/verl/config-value.js';
import { verlSettings } from '../../../harness/traces/verl/settings.js';

const config = (values: Record<string, ConfigValue>): VerlConfig => ({
  values: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value, source: 'printed-config' } satisfies ConfigEntry])),
  disagreements: [],
  notes: [],
});

describe('verlSettings', () => {
  it('derives the per-GPU micro-batch from the old global form over the data-parallel size', () => {
    const s = verlSettings(config({ 'trainer.nnodes': 2, 'trainer.n_gpus_per_node': 8, 'actor_rollout_ref.actor.ppo_micro_batch_size': 64, 'actor_rollout_ref.actor.ulysses_sequence_parallel_size': 2 }));
    expect(s.gpus?.value).toBe(16);
    expect(s.actor.microBatchSizePerGpu?.value).toBe(8); // 64 / (16 / 2)
    expect(s.actor.microBatchSizePerGpu?.source).toBe('derived');
  });

  it('prefers the per-GPU key, and derives nothing for Megatron', () => {
    expect(verlSettings(config({ 'actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu': 4, 'actor_rollout_ref.actor.ppo_micro_batch_size': 64 })).actor.microBatchSizePerGpu).toEqual({
      value: 4,
      source: 'printed-config',
      key: 'actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu',
    });
    const megatron = verlSettings(config({ 'trainer.nnodes': 1, 'trainer.n_gpus_per_node': 8, 'actor_rollout_ref.actor.strategy': 'megatron', 'actor_rollout_ref.actor.ppo_micro_batch_size': 64 }));
    expect(megatron.actor.microBatchSizePerGpu).toBeUndefined();
  });

  it('reads offload from the fsdp_config or the megatron section by strategy', () => {
    const fsdp = verlSettings(config({ 'actor_rollout_ref.actor.fsdp_config.param_offload': true, 'critic.model.fsdp_config.optimizer_offload': true }));
    expect([fsdp.actor.paramOffload?.value, fsdp.critic.optimizerOffload?.value]).toEqual([true, true]);
    const megatron = verlSettings(config({ 'actor_rollout_ref.actor.strategy': 'megatron', 'actor_rollout_ref.actor.megatron.param_offload': true, 'actor_rollout_ref.actor.fsdp_config.param_offload': false }));
    expect(megatron.actor.paramOffload?.key).toBe('actor_rollout_ref.actor.megatron.param_offload');
    expect(megatron.ref.strategy?.value).toBe('megatron'); // the ref follows the actor when it has no strategy of its own
  });

  it('gives Megatron a full recompute only where a recompute granularity says full, as veRL’s Megatron workers do', () => {
    const megatron = (values: Record<string, ConfigValue>) => verlSettings(config({ 'actor_rollout_ref.actor.strategy': 'megatron', ...values })).actor.gradientCheckpointing;
    const FLAG = 'actor_rollout_ref.model.enable_gradient_checkpointing';
    const KWARGS = 'actor_rollout_ref.model.gradient_checkpointing_kwargs.activations_checkpoint_granularity';
    const OVERRIDE = 'actor_rollout_ref.actor.megatron.override_transformer_config.recompute_granularity';
    // the flag with the yaml's null granularity (the qwen2-7b_math_megatron.log case): Megatron-Core recomputes nothing
    expect(megatron({ [FLAG]: true, [KWARGS]: null })).toMatchObject({ value: false, source: 'derived', key: FLAG });
    expect(megatron({ [FLAG]: true, [KWARGS]: 'full' })).toMatchObject({ value: true, key: KWARGS });
    expect(megatron({ [FLAG]: false, [KWARGS]: 'full' })?.value).toBe(false); // the kwargs act only under the flag
    expect(megatron({ [OVERRIDE]: 'full' })).toMatchObject({ value: true, key: OVERRIDE });
    expect(megatron({ [OVERRIDE]: 'selective' })?.value).toBe(false);
    expect(megatron({})).toBeUndefined();
    // FSDP keeps the flag as it is
    expect(verlSettings(config({ [FLAG]: true })).actor.gradientCheckpointing).toEqual({ value: true, source: 'printed-config', key: FLAG });
  });

  it('leaves a value of the wrong type unknown, and says so; null is unset', () => {
    const s = verlSettings(config({ 'actor_rollout_ref.rollout.n': 'five', 'critic.ppo_micro_batch_size_per_gpu': null }));
    expect(s.rollout.n).toBeUndefined();
    expect(s.critic.ppoMicroBatchSizePerGpu).toBeUndefined();
    expect(s.notes).toEqual(["actor_rollout_ref.rollout.n is 'five', not a number: left unknown"]);
  });
});
