import { booleanParameter, choiceParameter, numberParameter } from '../parameters/index.js';

/**
 * Parameters of the asynchronous (disaggregated) schedulers, grouped by mechanism so each
 * registry entry declares only what it reads (one-step-off has no queue, no staleness budget and
 * no partial rollout). Sources are veRL's recipes at volcengine/verl b178a3cd (Jan 2026):
 * verl/experimental/one_step_off_policy/ and verl/experimental/fully_async_policy/, and the study
 * scripts of recipe/fully_async_policy/exp/ at 9f53cd71.
 */
const VERL = 'volcengine/verl b178a3cd';

/** The two pools: the rollouter's vLLM servers and the trainer's FSDP / Megatron workers. */
export const poolParameters = {
  rolloutGpus: numberParameter({
    name: 'rollout-gpus',
    default: 0,
    unit: 'GPUs (0 = half the cluster)',
    why: `veRL rollout.nnodes × rollout.n_gpus_per_node (${VERL} fully_async_policy/config, one_step_off_policy/config): the GPUs of the rollout servers, a multiple of generation.tp; 0 takes half the cluster (named assumption: the study's 16:16, 32:32 and 64:64 splits)`,
    range: [0, 100_000],
    integer: true,
  }),
  trainerGpus: numberParameter({
    name: 'trainer-gpus',
    default: 0,
    unit: 'GPUs (0 = the rest of the cluster)',
    why: `veRL trainer.nnodes × trainer.n_gpus_per_node (${VERL}): the GPUs of the actor (and ref) workers; 0 takes every GPU the rollouter does not`,
    range: [0, 100_000],
    integer: true,
  }),
};

/** The fully-async recipe's choice of weight-sync path (one-step-off has only the per-tensor one). */
export const weightSyncParameter = {
  weightSync: choiceParameter({
    name: 'weight-sync',
    default: 'checkpoint-engine',
    unit: 'mechanism',
    choices: ['nccl-per-tensor', 'checkpoint-engine'],
    why: `how the trainer's weights reach the rollout servers after an update (${VERL} fully_async_policy/param_sync.py, checkpoint_engine.py; one_step_off_policy/fsdp_workers.py sync_rollout_weights): 'nccl-per-tensor' gathers each FSDP tensor (full_tensor) and broadcasts it from trainer rank 0 to every rollout rank, one collective per tensor; 'checkpoint-engine' (fully_async default async_training.checkpoint_engine.enable True) packs tensors into device buckets of 4096 MB and broadcasts bucket by bucket. Both end with vLLM load_weights; the one-step-off recipe has only the per-tensor path`,
  }),
};

/** Whether the trainer recomputes old log-probs or trains on the rollout's (bypass mode). */
export const rolloutLogProbs = (defaultValue: boolean, why: string) => booleanParameter({ name: 'use-rollout-log-probs', default: defaultValue, why });

/** The fully asynchronous pipeline: message queue, local steps, sync trigger, freshness, partial rollout. */
export const fullyAsyncParameters = {
  requireBatches: numberParameter({
    name: 'require-batches',
    default: 1,
    unit: 'PPO mini-batches per local step',
    why: `${VERL} fully_async_ppo_trainer.yaml async_training.require_batches (default 1): the trainer takes require_batches × ppo_mini_batch_size prompts (each with its n responses) from the message queue per local update (fully_async_trainer.py _get_samples_from_queue)`,
    range: [1, 1024],
    integer: true,
  }),
  triggerParameterSyncStep: numberParameter({
    name: 'trigger-parameter-sync-step',
    default: 4,
    unit: 'local updates per weight sync',
    why: `${VERL} fully_async_ppo_trainer.yaml async_training.trigger_parameter_sync_step (default 4): local updates between two weight syncs (a parameter version); the docs set it to train_batch_size / (require_batches × ppo_mini_batch_size) to compare with a co-located run`,
    range: [1, 1024],
    integer: true,
  }),
  stalenessThreshold: numberParameter({
    name: 'staleness-threshold',
    default: 0.1,
    unit: 'fraction of a version',
    why: `${VERL} fully_async_ppo_trainer.yaml async_training.staleness_threshold (default 0.1): the rollouter starts at most (1 + threshold) × trigger × require_batches × ppo_mini_batch_size prompts per version, counting those still in flight, cancelled or queued at the last sync (fully_async_rollouter.py set_max_required_samples, update_param_version, _should_pause_generation); 0 is synchronous streaming`,
    range: [0, 16],
  }),
  partialRollout: booleanParameter({
    name: 'partial-rollout',
    default: true,
    why: `${VERL} fully_async_ppo_trainer.yaml async_training.partial_rollout (default True): at a weight sync the rollouter cancels its in-flight generations and resumes them under the new weights, prompt + generated tokens prefilled again because the KV cache is always cleared for the sync (fully_async_rollouter.py pause / resume; agent_loop/partial_single_turn_agent_loop.py); False waits for every in-flight sample to finish before the sync, the trainer blocked meanwhile (param_sync.py sync_weights → rollouter.pause)`,
  }),
  promptsInFlightPerServer: numberParameter({
    name: 'prompts-in-flight-per-server',
    default: 16,
    unit: 'prompts per rollout server',
    why: `${VERL} fully_async_rollouter.py set_max_required_samples: max_concurrent_samples = servers × 16 prompts (each with its n responses), capped by the version's sample budget; the 9f53cd71 study code used ppo_mini_batch_size / n × rollout DP × 8, the same 16 for mini-batch 32 and n 16`,
    range: [1, 4096],
    integer: true,
  }),
};

/** How many trace iterations before the measured one the pipeline runs first (its state at the measured step). */
export const warmUpParameter = numberParameter({
  name: 'warm-up-iterations',
  default: 2,
  unit: 'iterations',
  why: 'named assumption: the asynchronous pipeline carries samples, queue and staleness budget from one version to the next; each call simulates this many preceding iterations of the replay (the current one standing in where the replay has fewer) before the measured one, and the current one again after it as the dataset that keeps the rollouter fed (async-window.ts). 2 is where the measured step stops moving (test/schedulers/async/)',
  range: [0, 4],
  integer: true,
});
