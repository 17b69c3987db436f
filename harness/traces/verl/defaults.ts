import type { ConfigValue } from './config-value.js';

/**
 * veRL's defaults for the keys the run settings read, from `verl/trainer/config/ppo_trainer.yaml`
 * at volcengine/verl commit 5d0a7eaf6de0660fa8a779b0b47b88f5132a22d4 (2025-03-23, the last
 * change to that file before the MI300 logs were published on 2025-03-24). They fill a key only for
 * a log that prints no resolved config and launches with the default config file; the value is
 * then marked `source: 'default'`, and the run's notes name this assumption (the log does not
 * say which veRL commit ran). A `${…}` value refers to another key, as in the YAML.
 */
export const VERL_DEFAULTS_SOURCE = 'verl/trainer/config/ppo_trainer.yaml at volcengine/verl 5d0a7eaf (2025-03-23)';
export const VERL_DEFAULTS_CONFIG_NAME = 'ppo_trainer';

export const VERL_DEFAULTS: Readonly<Record<string, ConfigValue>> = {
  'actor_rollout_ref.actor.fsdp_config.optimizer_offload': false,
  'actor_rollout_ref.actor.fsdp_config.param_offload': false,
  'actor_rollout_ref.actor.ppo_epochs': 1,
  'actor_rollout_ref.actor.ppo_max_token_len_per_gpu': 16384,
  'actor_rollout_ref.actor.ppo_micro_batch_size': null,
  'actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu': null,
  'actor_rollout_ref.actor.ppo_mini_batch_size': 256,
  'actor_rollout_ref.actor.strategy': 'fsdp',
  'actor_rollout_ref.actor.ulysses_sequence_parallel_size': 1,
  'actor_rollout_ref.actor.use_dynamic_bsz': false,
  'actor_rollout_ref.actor.use_kl_loss': false,
  'actor_rollout_ref.model.enable_gradient_checkpointing': true,
  'actor_rollout_ref.model.use_remove_padding': false,
  'actor_rollout_ref.ref.fsdp_config.param_offload': false,
  'actor_rollout_ref.ref.log_prob_micro_batch_size': null,
  'actor_rollout_ref.ref.log_prob_max_token_len_per_gpu': '${actor_rollout_ref.actor.ppo_max_token_len_per_gpu}',
  'actor_rollout_ref.ref.log_prob_micro_batch_size_per_gpu': null,
  'actor_rollout_ref.ref.log_prob_use_dynamic_bsz': '${actor_rollout_ref.actor.use_dynamic_bsz}',
  'actor_rollout_ref.rollout.gpu_memory_utilization': 0.5,
  'actor_rollout_ref.rollout.log_prob_micro_batch_size': null,
  'actor_rollout_ref.rollout.log_prob_max_token_len_per_gpu': '${actor_rollout_ref.actor.ppo_max_token_len_per_gpu}',
  'actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu': null,
  'actor_rollout_ref.rollout.log_prob_use_dynamic_bsz': '${actor_rollout_ref.actor.use_dynamic_bsz}',
  'actor_rollout_ref.rollout.max_num_batched_tokens': 8192,
  'actor_rollout_ref.rollout.max_num_seqs': 1024,
  'actor_rollout_ref.rollout.n': 1,
  'actor_rollout_ref.rollout.name': 'vllm',
  'actor_rollout_ref.rollout.tensor_model_parallel_size': 2,
  'algorithm.adv_estimator': 'gae',
  'critic.model.enable_gradient_checkpointing': true,
  'critic.model.fsdp_config.optimizer_offload': false,
  'critic.model.fsdp_config.param_offload': false,
  'critic.forward_max_token_len_per_gpu': '${critic.ppo_max_token_len_per_gpu}',
  'critic.forward_micro_batch_size_per_gpu': '${critic.ppo_micro_batch_size_per_gpu}',
  'critic.model.use_remove_padding': false,
  'critic.ppo_epochs': '${actor_rollout_ref.actor.ppo_epochs}',
  'critic.ppo_max_token_len_per_gpu': 32768,
  'critic.ppo_micro_batch_size': null,
  'critic.ppo_micro_batch_size_per_gpu': null,
  'critic.ppo_mini_batch_size': '${actor_rollout_ref.actor.ppo_mini_batch_size}',
  'critic.strategy': 'fsdp',
  'critic.ulysses_sequence_parallel_size': 1,
  'critic.use_dynamic_bsz': '${actor_rollout_ref.actor.use_dynamic_bsz}',
  'data.max_prompt_length': 512,
  'data.max_response_length': 512,
  'data.train_batch_size': 1024,
  'trainer.n_gpus_per_node': 8,
  'trainer.nnodes': 1,
};
