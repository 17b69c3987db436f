import { findGpu, findModel } from '../cost/catalog/index.js';
import type { ServingEngine } from '../cost/engine-eras.js';
import type { Scenario, TaskLayout } from '../scenario/scenario.js';
import type { LengthStatistics } from '../traces/generate/from-statistics.js';
import type { FidelityStage, FidelityStep } from './fidelity-step.js';
import { verlEraAt, type VerlEra } from './verl-eras.js';

/**
 * How one recorded step is simulated: the scenario built from its configuration (veRL's
 * co-located scheduler, its FSDP or Megatron workers, its vLLM rollout), the cost-model
 * assumptions its configuration fixes (recompute on or off, eager or CUDA-graph vLLM), the
 * length statistics its workload is synthesised from, and which simulated tasks make up each of
 * the stages veRL times. A step the simulator cannot express is returned with the reason.
 */
export interface StepSimulation {
  readonly step: FidelityStep;
  readonly era: VerlEra;
  readonly scenario: Scenario;
  readonly scheduler: 'verl';

  readonly lengths: LengthStatistics;
  /** Simulated tasks whose wall seconds add up to each stage ('step' is the iteration time). */
  readonly stageTasks: Readonly<Partial<Record<FidelityStage, readonly string[]>>>;
}

export type StepSimulationPlan = { readonly ok: true; readonly simulation: StepSimulation } | { readonly ok: false; readonly reason: string };

/** veRL's `gen` timer wraps the rollout sharding manager (weight load into vLLM, generation, sleep) and, before 2025-01-24, the old log-prob recompute. */
export function verlStageTasks(era: VerlEra): Readonly<Partial<Record<FidelityStage, readonly string[]>>> {
  return {
    gen: era.oldLogProbInGen ? ['weight-sync', 'generate', 'old_log_prob'] : ['weight-sync', 'generate'],
    ...(era.oldLogProbInGen ? {} : { old_log_prob: ['old_log_prob'] }),
    ref: ['ref'],
    values: ['values'],
    update_critic: ['update_critic'],
    update_actor: ['update_actor'],
    train: ['update_actor', 'update_critic'],
  };
}

/** vLLM V0 ('vllm-2024', fitted to Sept-2024 TPOTs) or V1, eager or with CUDA graphs. */
function servingEngineOf(era: VerlEra, eager: boolean): ServingEngine {
  if (era.vllmGeneration === 'v1') return eager ? 'vllm-v1-eager' : 'vllm-v1';
  return eager ? 'vllm-2024-eager' : 'vllm-2024';
}

export function planStepSimulation(step: FidelityStep): StepSimulationPlan {
  const c = step.config;
  const fail = (reason: string): StepSimulationPlan => ({ ok: false, reason });
  const era = verlEraAt(c.date);
  if (!era) return fail(`no veRL era covers the run's date ${c.date}`);
  if (!findModel(c.model)) return fail(`model '${c.model}' is not in the catalog`);
  if (!findGpu(c.gpu)) return fail(`GPU '${c.gpu}' is not in the catalog`);
  if (c.rollout.engine !== 'vllm') return fail(`rollout engine '${c.rollout.engine}' is not modelled for veRL (only vLLM)`);

  const gpus = c.nodes * c.gpusPerNode;
  if (gpus % c.rollout.tp !== 0) return fail(`${gpus} GPUs do not split into rollout TP groups of ${c.rollout.tp}`);
  const t = c.training;
  const megatron = t.backend === 'megatron';
  if (megatron && gpus % (t.tp * t.pp) !== 0) return fail(`${gpus} GPUs do not split into Megatron TP ${t.tp} × PP ${t.pp} groups`);
  if (!megatron && (t.tp > 1 || t.pp > 1)) return fail(`${t.backend} with TP ${t.tp} / PP ${t.pp} is not a veRL layout`);
  if (!megatron && gpus % Math.max(1, t.ulyssesSp) !== 0) return fail(`${gpus} GPUs do not split into Ulysses groups of ${t.ulyssesSp}`);

  const dp = megatron ? gpus / (t.tp * t.pp) : gpus;
  // Dynamic batch size cuts micro-batches by tokens alone (veRL rearrange_micro_batches): no sequence cap.
  const samples = c.batch.prompts * c.rollout.n;
  const layout = (microBatch: number): TaskLayout => {
    const microBatchSamples = t.dynamicBatchSize ? samples : microBatch;
    return megatron ? { tp: t.tp, pp: t.pp, dp, microBatchSamples, ...(t.ep > 1 ? { ep: t.ep } : {}) } : { tp: 1, pp: 1, dp, microBatchSamples };
  };
  const model = c.model;
  const scenario: Scenario = {
    name: `fidelity ${step.id}`,
    description: `recorded step ${step.id} (${step.source})`,
    cluster: { gpu: c.gpu, nodes: c.nodes, gpusPerNode: c.gpusPerNode, priceUsdPerGpuHour: findGpu(c.gpu)!.priceUsdPerGpuHour },
    models: { actor: model, ref: model, ...(c.critic ? { critic: model } : {}) },
    algorithm: { kind: c.critic ? 'ppo' : 'grpo', samplesPerPrompt: c.rollout.n, ppoEpochs: t.epochs },
    batch: { prompts: c.batch.prompts, miniBatchPrompts: c.batch.miniBatchPrompts },
    lengths: { maxPromptTokens: c.lengths.maxPromptTokens, maxResponseTokens: c.lengths.maxResponseTokens },
    generation: {
      tp: c.rollout.tp,
      instances: gpus / c.rollout.tp,
      maxConcurrentSequences: c.rollout.maxNumSeqs,
      gpuMemoryUtilization: c.rollout.gpuMemoryUtilization,
      maxBatchedTokens: c.rollout.maxBatchedTokens,
      // vLLM samples the n responses of a prompt from one prefill (V0 n-sampling; V1 prefix caching).
      promptSharing: true,
    },
    layout: {
      actorTrain: layout(t.microBatchPerGpu),
      actorInference: layout(t.logProbMicroBatchPerGpu),
      ref: layout(t.logProbMicroBatchPerGpu),
      ...(c.critic ? { criticTrain: layout(t.criticMicroBatchPerGpu), criticInference: layout(t.criticMicroBatchPerGpu) } : {}),
    },
    // The fidelity check applies its own framework values (a fold's, or none): the scenario names none.
    costModel: { kind: 'roofline', engine: servingEngineOf(era, c.rollout.enforceEager), framework: 'none', assumptions: { activationRecomputation: t.gradientCheckpointing } },
    scope: 'iteration',
    schedulerParameters: {
      verl: {
        'param-offload': t.paramOffload,
        'optimizer-offload': t.optimizerOffload,
        'ref-param-offload': t.refParamOffload,
        'fsdp-size': t.fsdpSize,
        'ulysses-sp': Math.max(1, t.ulyssesSp),
        'remove-padding': t.removePadding,
        'reference-policy': c.referencePolicy,
        'vllm-sleep-mode': era.vllmSleepMode,
        ...(t.dynamicBatchSize && t.ppoMaxTokensPerGpu !== undefined ? { 'ppo-max-tokens-per-gpu': t.ppoMaxTokensPerGpu } : {}),
        ...(t.dynamicBatchSize && t.logProbMaxTokensPerGpu !== undefined ? { 'log-prob-max-tokens-per-gpu': t.logProbMaxTokensPerGpu } : {}),
      },
    },
    provenance: { '': `fact: recorded step ${step.id} (${step.source}); values it does not state: ${Object.keys(step.assumed).sort().join(', ') || 'none'}` },
  };
  return {
    ok: true,
    simulation: {
      step,
      era,
      scenario,
      scheduler: 'verl',
      lengths: { ...step.lengths, prompts: c.batch.prompts, samplesPerPrompt: c.rollout.n, responseCapTokens: c.lengths.maxResponseTokens },
      stageTasks: verlStageTasks(era),
    },
  };
}
