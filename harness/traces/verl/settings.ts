import { showConfigValue } from './config-value.js';
import type { ConfigSource, VerlConfig } from './config.js';
import type { RolloutSamplingParams } from './sampling-params.js';

/** One setting a simulation needs, with the key it was read from and where its value came from. */
export interface Setting<T> {
  readonly value: T;
  /**
   * `derived`: computed from other settings by a rule of veRL's code, named in `note`;
   * `sampling-params`: from the SamplingParams the vLLM rollout printed (sampling-params.ts).
   */
  readonly source: ConfigSource | 'derived' | 'sampling-params';
  readonly key: string;
  readonly note?: string;
}

/** Megatron model parallelism of one role (actor, ref, critic). */
export interface MegatronParallelism {
  readonly tensorParallel?: Setting<number>;
  readonly pipelineParallel?: Setting<number>;
  readonly expertParallel?: Setting<number>;
  readonly contextParallel?: Setting<number>;
  readonly virtualPipelineParallel?: Setting<number>;
}

/** A trained role (actor or critic): how it is sharded, batched, offloaded and checkpointed. */
export interface TrainedRoleSettings {
  /** `fsdp`, `fsdp2` or `megatron`. */
  readonly strategy?: Setting<string>;
  readonly megatron?: MegatronParallelism;
  /** Prompts per optimizer step (veRL multiplies by rollout.n for the actor). */
  readonly ppoMiniBatchSize?: Setting<number>;
  readonly ppoMicroBatchSizePerGpu?: Setting<number>;
  /** The old global form (`ppo_micro_batch_size`, before the `_per_gpu` keys): divided by the data-parallel size in veRL. */
  readonly ppoMicroBatchSize?: Setting<number>;
  /** The per-GPU micro-batch in effect: `ppo_micro_batch_size_per_gpu`, or the old global form divided as veRL did. */
  readonly microBatchSizePerGpu?: Setting<number>;
  readonly ppoEpochs?: Setting<number>;
  readonly useDynamicBsz?: Setting<boolean>;
  /** Token budget per GPU of a dynamic-batch micro-batch. */
  readonly ppoMaxTokenLenPerGpu?: Setting<number>;
  /** The critic's compute_values forward (`forward_*`); undefined for the actor, whose forward is the rollout's log-prob settings. */
  readonly forwardMicroBatchSizePerGpu?: Setting<number>;
  readonly forwardMaxTokenLenPerGpu?: Setting<number>;
  readonly ulyssesSequenceParallelSize?: Setting<number>;
  readonly paramOffload?: Setting<boolean>;
  readonly optimizerOffload?: Setting<boolean>;
  readonly gradOffload?: Setting<boolean>;
  readonly gradientCheckpointing?: Setting<boolean>;
  readonly removePadding?: Setting<boolean>;
}

export interface VerlSettings {
  readonly modelPath?: Setting<string>;
  readonly nnodes?: Setting<number>;
  readonly nGpusPerNode?: Setting<number>;
  readonly gpus?: Setting<number>;
  /** Prompts per step. */
  readonly trainBatchSize?: Setting<number>;
  readonly maxPromptLength?: Setting<number>;
  readonly maxResponseLength?: Setting<number>;
  readonly advEstimator?: Setting<string>;
  readonly useKlInReward?: Setting<boolean>;
  readonly rollout: {
    readonly name?: Setting<string>;
    readonly tensorParallelSize?: Setting<number>;
    readonly gpuMemoryUtilization?: Setting<number>;
    readonly n?: Setting<number>;
    readonly maxNumBatchedTokens?: Setting<number>;
    readonly maxNumSeqs?: Setting<number>;
    readonly logProbMicroBatchSizePerGpu?: Setting<number>;
    readonly logProbMicroBatchSize?: Setting<number>;
    /** Dynamic token-budget batching of the old_log_prob forward, and its budget per GPU. */
    readonly logProbUseDynamicBsz?: Setting<boolean>;
    readonly logProbMaxTokenLenPerGpu?: Setting<number>;
  };
  readonly actor: TrainedRoleSettings & { readonly useKlLoss?: Setting<boolean> };
  readonly ref: {
    readonly strategy?: Setting<string>;
    readonly megatron?: MegatronParallelism;
    readonly paramOffload?: Setting<boolean>;
    readonly logProbMicroBatchSizePerGpu?: Setting<number>;
    readonly logProbMicroBatchSize?: Setting<number>;
    readonly logProbUseDynamicBsz?: Setting<boolean>;
    readonly logProbMaxTokenLenPerGpu?: Setting<number>;
  };
  /** `used`: veRL trains a critic exactly when the advantage estimator is GAE. */
  readonly critic: TrainedRoleSettings & { readonly used?: Setting<boolean> };
  /** Keys whose value has the wrong type for its setting. */
  readonly notes: readonly string[];
}

const ACTOR = 'actor_rollout_ref.actor';
const MODEL = 'actor_rollout_ref.model';
const REF = 'actor_rollout_ref.ref';
const ROLLOUT = 'actor_rollout_ref.rollout';

/** Typed view of the settings a simulation needs (keys as in veRL's ppo_trainer.yaml / ppo_megatron_trainer.yaml). */
export function verlSettings(config: VerlConfig, sampling?: RolloutSamplingParams): VerlSettings {
  const notes: string[] = [];
  const read = reader(config, notes);
  const { number, boolean, string } = read;
  const nnodes = number('trainer.nnodes');
  const nGpusPerNode = number('trainer.n_gpus_per_node');
  const gpus = nnodes && nGpusPerNode ? derived(nnodes.value * nGpusPerNode.value, 'trainer.nnodes × trainer.n_gpus_per_node', 'all GPUs of the run') : undefined;
  const advEstimator = string('algorithm.adv_estimator');
  const actorStrategy = string(`${ACTOR}.strategy`);
  const actor = trainedRole(read, { prefix: ACTOR, model: MODEL, strategy: actorStrategy, gpus });
  const critic = trainedRole(read, { prefix: 'critic', model: 'critic.model', strategy: string('critic.strategy'), gpus });
  const refStrategy = string(`${REF}.strategy`) ?? actorStrategy;
  const refMegatron = refStrategy?.value === 'megatron';
  return {
    ...opt('modelPath', string(`${MODEL}.path`)),
    ...opt('nnodes', nnodes),
    ...opt('nGpusPerNode', nGpusPerNode),
    ...opt('gpus', gpus),
    ...opt('trainBatchSize', number('data.train_batch_size')),
    ...opt('maxPromptLength', number('data.max_prompt_length')),
    ...opt('maxResponseLength', number('data.max_response_length')),
    ...opt('advEstimator', advEstimator),
    ...opt('useKlInReward', boolean('algorithm.use_kl_in_reward')),
    rollout: {
      ...opt('name', string(`${ROLLOUT}.name`)),
      ...opt('tensorParallelSize', number(`${ROLLOUT}.tensor_model_parallel_size`)),
      ...opt('gpuMemoryUtilization', number(`${ROLLOUT}.gpu_memory_utilization`)),
      ...opt('n', number(`${ROLLOUT}.n`) ?? samplingN(sampling)),
      ...opt('maxNumBatchedTokens', number(`${ROLLOUT}.max_num_batched_tokens`)),
      ...opt('maxNumSeqs', number(`${ROLLOUT}.max_num_seqs`)),
      ...opt('logProbMicroBatchSizePerGpu', number(`${ROLLOUT}.log_prob_micro_batch_size_per_gpu`)),
      ...opt('logProbMicroBatchSize', number(`${ROLLOUT}.log_prob_micro_batch_size`)),
      ...opt('logProbUseDynamicBsz', boolean(`${ROLLOUT}.log_prob_use_dynamic_bsz`)),
      ...opt('logProbMaxTokenLenPerGpu', number(`${ROLLOUT}.log_prob_max_token_len_per_gpu`)),
    },
    actor: { ...actor, ...opt('useKlLoss', boolean(`${ACTOR}.use_kl_loss`)) },
    ref: {
      ...opt('strategy', refStrategy),
      ...(refMegatron ? { megatron: megatron(read, REF) } : {}),
      ...opt('paramOffload', boolean(refMegatron ? `${REF}.megatron.param_offload` : `${REF}.fsdp_config.param_offload`)),
      ...opt('logProbMicroBatchSizePerGpu', number(`${REF}.log_prob_micro_batch_size_per_gpu`)),
      ...opt('logProbMicroBatchSize', number(`${REF}.log_prob_micro_batch_size`)),
      ...opt('logProbUseDynamicBsz', boolean(`${REF}.log_prob_use_dynamic_bsz`)),
      ...opt('logProbMaxTokenLenPerGpu', number(`${REF}.log_prob_max_token_len_per_gpu`)),
    },
    critic: {
      ...critic,
      ...opt(
        'used',
        advEstimator &&
          derived(advEstimator.value === 'gae', 'algorithm.adv_estimator', 'veRL trains a critic exactly when adv_estimator is gae (verl/trainer/ppo/ray_trainer.py, use_critic)'),
      ),
    },
    notes,
  };
}

/** `n` from the rollout's printed SamplingParams, for configs without `rollout.n` (veRL Dec 2024). */
function samplingN(sampling: RolloutSamplingParams | undefined): Setting<number> | undefined {
  const n = sampling?.values.n;
  return typeof n === 'number' ? { value: n, source: 'sampling-params', key: 'n', note: `the vLLM rollout's SamplingParams printed on line ${sampling!.line}` } : undefined;
}

type Read = ReturnType<typeof reader>;

function reader(config: VerlConfig, notes: string[]) {
  const get = <T>(key: string, type: 'number' | 'boolean' | 'string'): Setting<T> | undefined => {
    const entry = config.values[key];
    if (entry === undefined || entry.value === null) return undefined;
    if (typeof entry.value !== type) {
      notes.push(`${key} is ${showConfigValue(entry.value)}, not a ${type}: left unknown`);
      return undefined;
    }
    return { value: entry.value as T, source: entry.source, key };
  };
  return {
    number: (key: string) => get<number>(key, 'number'),
    boolean: (key: string) => get<boolean>(key, 'boolean'),
    string: (key: string) => get<string>(key, 'string'),
  };
}

function trainedRole(read: Read, role: { prefix: string; model: string; strategy: Setting<string> | undefined; gpus: Setting<number> | undefined }): TrainedRoleSettings {
  const { number, boolean } = read;
  const isMegatron = role.strategy?.value === 'megatron';
  const offloadKey = (part: string) => (isMegatron ? `${role.prefix}.megatron.${part}` : role.prefix === 'critic' ? `critic.model.fsdp_config.${part}` : `${role.prefix}.fsdp_config.${part}`);
  const perGpu = number(`${role.prefix}.ppo_micro_batch_size_per_gpu`);
  const global = number(`${role.prefix}.ppo_micro_batch_size`);
  const ulysses = number(`${role.prefix}.ulysses_sequence_parallel_size`);
  let microBatchSizePerGpu: Setting<number> | undefined = perGpu;
  if (!perGpu && global && role.gpus && !isMegatron) {
    const dataParallel = role.gpus.value / (ulysses?.value ?? 1);
    microBatchSizePerGpu = derived(
      Math.floor(global.value / dataParallel),
      `${role.prefix}.ppo_micro_batch_size`,
      `the old global form divided by the data-parallel size ${dataParallel} (GPUs / Ulysses size), as veRL's FSDP workers do (verl/trainer/ppo/workers/fsdp_workers.py at 50ac7252, \`ppo_micro_batch_size //= device_mesh.shape[0]\`)`,
    );
  }
  return {
    ...opt('strategy', role.strategy),
    ...(isMegatron ? { megatron: megatron(read, role.prefix) } : {}),
    ...opt('ppoMiniBatchSize', number(`${role.prefix}.ppo_mini_batch_size`)),
    ...opt('ppoMicroBatchSizePerGpu', perGpu),
    ...opt('ppoMicroBatchSize', global),
    ...opt('microBatchSizePerGpu', microBatchSizePerGpu),
    ...opt('ppoEpochs', number(`${role.prefix}.ppo_epochs`)),
    ...opt('useDynamicBsz', boolean(`${role.prefix}.use_dynamic_bsz`)),
    ...opt('ppoMaxTokenLenPerGpu', number(`${role.prefix}.ppo_max_token_len_per_gpu`)),
    ...opt('forwardMicroBatchSizePerGpu', number(`${role.prefix}.forward_micro_batch_size_per_gpu`)),
    ...opt('forwardMaxTokenLenPerGpu', number(`${role.prefix}.forward_max_token_len_per_gpu`)),
    ...opt('ulyssesSequenceParallelSize', ulysses),
    ...opt('paramOffload', boolean(offloadKey('param_offload'))),
    ...opt('optimizerOffload', boolean(offloadKey('optimizer_offload'))),
    ...opt('gradOffload', boolean(offloadKey('grad_offload'))),
    ...opt('gradientCheckpointing', isMegatron ? megatronFullRecompute(read, role) : boolean(`${role.model}.enable_gradient_checkpointing`)),
    ...opt('removePadding', boolean(`${role.model}.use_remove_padding`)),
  };
}

/**
 * Whether a Megatron role recomputes every layer's activations in its backward pass. In veRL
 * `enable_gradient_checkpointing` alone never does it for Megatron: from d13434fd (2025-04-06)
 * to c5b189a1 (2025-07-22) the worker sets `recompute_granularity` from
 * `gradient_checkpointing_kwargs.activations_checkpoint_granularity`, whose default is null
 * (verl/single_controller/base/megatron/worker.py and ppo_megatron_trainer.yaml at 6642bb2e),
 * so Megatron-Core recomputes nothing; before, Megatron had no recompute option; after, only
 * `megatron.override_transformer_config.recompute_granularity` sets it, default `selective`
 * (core attention only). A full recompute is an extra forward; selective is not modelled.
 */
function megatronFullRecompute(read: Read, role: { prefix: string; model: string }): Setting<boolean> | undefined {
  const flag = read.boolean(`${role.model}.enable_gradient_checkpointing`);
  const kwargs = read.string(`${role.model}.gradient_checkpointing_kwargs.activations_checkpoint_granularity`);
  const override = read.string(`${role.prefix}.megatron.override_transformer_config.recompute_granularity`);
  const granularity = (flag?.value && kwargs) || override;
  if (!flag && !granularity) return undefined;
  return derived(
    granularity?.value === 'full',
    granularity?.key ?? flag!.key,
    granularity
      ? `Megatron-Core recompute_granularity '${granularity.value}' (${granularity.value === 'full' ? 'every layer recomputed in the backward pass' : 'core attention only, not modelled as a recompute'})`
      : `enable_gradient_checkpointing ${flag!.value} with no recompute granularity: veRL's Megatron workers leave Megatron-Core's recompute_granularity None, so nothing is recomputed (verl/single_controller/base/megatron/worker.py at 6642bb2e reads gradient_checkpointing_kwargs.activations_checkpoint_granularity, default null; from c5b189a1 only override_transformer_config sets it)`,
  );
}

function megatron(read: Read, prefix: string): MegatronParallelism {
  const { number } = read;
  return {
    ...opt('tensorParallel', number(`${prefix}.megatron.tensor_model_parallel_size`)),
    ...opt('pipelineParallel', number(`${prefix}.megatron.pipeline_model_parallel_size`)),
    ...opt('expertParallel', number(`${prefix}.megatron.expert_model_parallel_size`)),
    ...opt('contextParallel', number(`${prefix}.megatron.context_parallel_size`)),
    ...opt('virtualPipelineParallel', number(`${prefix}.megatron.virtual_pipeline_model_parallel_size`)),
  };
}

function derived<T>(value: T, key: string, note: string): Setting<T> {
  return { value, source: 'derived', key, note };
}

function opt<K extends string, T>(name: K, setting: Setting<T> | undefined | false | ''): { [P in K]?: Setting<T> } {
  return setting ? ({ [name]: setting } as { [P in K]?: Setting<T> }) : {};
}
