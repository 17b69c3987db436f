import { DEFAULT_COST_ASSUMPTIONS } from '../cost/assumptions.js';
import { trainingMemoryPerGpu, type MemoryBreakdown } from '../cost/memory.js';
import type { GpuSpec, ModelSpec } from '../cost/types.js';

/**
 * A starting scenario for a model on a cluster (`rlhf-replay scenario init`): every field filled
 * so that the file loads and replays as written, every value marked as what it is — the GPU's
 * catalog facts, or an assumption to replace with the run's own setting. JSON has no comments, so
 * each provenance entry says what its field means, where the value came from and what to change
 * it to; the JSON Schema beside the shipped scenarios (`$schema`) describes every field to an
 * editor, and the README's "Replay your own run" walks through the edits.
 *
 * Chosen, not guessed blindly: the generation TP is the smallest that leaves KV room for 16
 * sequences at the length caps; the training layout is the smallest Megatron model-parallel group
 * (EP for MoE models first, then TP within a node, then PP) whose memory per GPU fits at the
 * length caps, so the co-located Megatron scheduler (which checks memory) runs it too.
 */
export interface StartingScenarioInput {
  /** The file's `name` (the output file's base name). */
  readonly name: string;
  /** What `models.actor` / `models.ref` write: a catalog id or a config.json path relative to the output file. */
  readonly modelReference: string;
  readonly model: ModelSpec;
  readonly gpu: GpuSpec;
  readonly nodes: number;
  readonly gpusPerNode: number;
  /** KV tokens one generation instance of TP `tp` holds at the memory share (the cost model's kvCapacityTokens). */
  readonly kvCapacityTokens: (tp: number, memoryUtilization: number) => number;
  /** `$schema` as the output file should write it (relative to its folder), for editors. */
  readonly schemaPath: string;
}

export interface StartingScenario {
  readonly scenario: Record<string, unknown>;
  /** What the caller should tell the user (a choice that could not be made to fit). */
  readonly notes: readonly string[];
}

const PROMPTS = 256;
const MINI_BATCH_PROMPTS = 64;
const SAMPLES_PER_PROMPT = 8;
const MAX_PROMPT = 1024;
const MAX_RESPONSE = 2048;
const GPU_MEMORY_UTILIZATION = 0.6;
const TRAIN_MICRO_BATCH = 2;
const INFERENCE_MICRO_BATCH = 4;
const KV_SEQUENCES = 16;
const CALIBRATION = 'package:harness/cost/calibrations/public-profiles.json';

const powersOfTwoUpTo = (limit: number) => {
  const out: number[] = [];
  for (let v = 1; v <= limit; v *= 2) out.push(v);
  return out;
};

/** The smallest generation TP (a power of two within a node, dividing the cluster) with KV room for 16 sequences at the caps. */
function generationTp(input: StartingScenarioInput, total: number): { tp: number; fits: boolean } {
  const need = KV_SEQUENCES * (MAX_PROMPT + MAX_RESPONSE);
  const candidates = powersOfTwoUpTo(input.gpusPerNode).filter((tp) => total % tp === 0 && input.gpusPerNode % tp === 0);
  for (const tp of candidates) if (input.kvCapacityTokens(tp, GPU_MEMORY_UTILIZATION) >= need) return { tp, fits: true };
  return { tp: candidates[candidates.length - 1] ?? 1, fits: false };
}

interface TrainingChoice {
  readonly tp: number;
  readonly pp: number;
  readonly ep: number;
  readonly dp: number;
  readonly memory: MemoryBreakdown;
}

/** Megatron layouts from the smallest model-parallel group up: (EP, TP, PP) with TP within a node; the first whose memory fits. */
function trainingLayout(input: StartingScenarioInput, total: number): { choice: TrainingChoice; fits: boolean } {
  const { model, gpu } = input;
  const experts = model.moe?.experts ?? 1;
  const eps = model.moe ? powersOfTwoUpTo(Math.min(experts, total)).filter((ep) => experts % ep === 0) : [1];
  const tps = powersOfTwoUpTo(input.gpusPerNode).filter((tp) => input.gpusPerNode % tp === 0);
  const pps = powersOfTwoUpTo(Math.min(model.layers, total));
  const options: TrainingChoice[] = [];
  for (const pp of pps) {
    for (const tp of tps) {
      if (total % (tp * pp) !== 0) continue;
      const dp = total / (tp * pp);
      for (const ep of eps) {
        if ((tp * dp) % ep !== 0) continue;
        const memory = trainingMemoryPerGpu(model, gpu, { tp, pp, dp, ...(ep > 1 ? { ep } : {}) }, {
          engine: 'megatron',
          distributedOptimizer: true,
          recompute: 'full',
          microBatchTokens: TRAIN_MICRO_BATCH * (MAX_PROMPT + MAX_RESPONSE),
          microBatches: Math.max(1, Math.ceil((MINI_BATCH_PROMPTS * SAMPLES_PER_PROMPT) / (dp * TRAIN_MICRO_BATCH))),
          runtimeOverheadBytes: DEFAULT_COST_ASSUMPTIONS.runtimeOverheadBytesPerGpu,
        });
        options.push({ tp, pp, ep, dp, memory });
      }
    }
  }
  // Smallest model-parallel group first (fewest GPUs per replica), then fewer pipeline stages, then smaller TP.
  options.sort((a, b) => a.tp * a.pp - b.tp * b.pp || a.pp - b.pp || a.tp - b.tp || a.ep - b.ep);
  const fitting = options.find((o) => o.memory.fits);
  if (fitting) return { choice: fitting, fits: true };
  const least = options.reduce((best, o) => (o.memory.neededBytes < best.memory.neededBytes ? o : best), options[0]!);
  return { choice: least, fits: false };
}

const GIB = 1024 ** 3;

export function startingScenario(input: StartingScenarioInput): StartingScenario {
  const total = input.nodes * input.gpusPerNode;
  const notes: string[] = [];
  const generation = generationTp(input, total);
  if (!generation.fits) notes.push(`no generation TP up to ${input.gpusPerNode} leaves KV room for ${KV_SEQUENCES} sequences of ${MAX_PROMPT + MAX_RESPONSE} tokens at gpuMemoryUtilization ${GPU_MEMORY_UTILIZATION}: generation.tp is ${generation.tp}; raise the memory share or use more GPUs per instance`);
  const training = trainingLayout(input, total);
  const t = training.choice;
  if (!training.fits) {
    notes.push(
      `no Megatron layout of ${total} GPUs fits ${input.model.id} in ${(input.gpu.memoryBytes / GIB).toFixed(0)} GiB per GPU at micro-batch ${TRAIN_MICRO_BATCH} × ${MAX_PROMPT + MAX_RESPONSE} tokens (the closest needs ${(t.memory.neededBytes / GIB).toFixed(1)} GiB): add nodes, offload (schedulerParameters), or shorten the caps`,
    );
  }
  const trainLayout = { tp: t.tp, pp: t.pp, dp: t.dp, ...(t.ep > 1 ? { ep: t.ep } : {}), microBatchSamples: TRAIN_MICRO_BATCH };
  const inferenceLayout = { ...trainLayout, microBatchSamples: INFERENCE_MICRO_BATCH };
  const gpuFacts = `the catalog's ${input.gpu.name} (harness/cost/catalog/gpus.ts, each figure cited there)`;
  const layoutWhy =
    `assumption: the parallel layout of each task — tp × pp GPUs per replica (× ep for MoE experts), dp replicas, and microBatchSamples sequences per micro-batch (training) or forward batch (inference). ` +
    `Chosen by scenario init as the smallest Megatron layout whose memory fits at the length caps (${t.tp} × ${t.pp}${t.ep > 1 ? `, EP ${t.ep}` : ''} needs ${(t.memory.neededBytes / GIB).toFixed(1)} of ${(t.memory.availableBytes / GIB).toFixed(1)} GiB per GPU). ` +
    'Replace with your framework\'s actor / rollout / ref settings (veRL: actor_rollout_ref.actor.megatron.tensor_model_parallel_size etc.; FSDP runs are tp 1, pp 1, dp = GPUs)';
  const scenario: Record<string, unknown> = {
    $schema: input.schemaPath,
    name: input.name,
    description: `Starting scenario from \`rlhf-replay scenario init\`: ${input.model.id} on ${input.nodes} × ${input.gpusPerNode} ${input.gpu.id}, GRPO. Every provenance entry says what its field means and why it has this value; replace each 'assumption:' with your run's setting and mark it 'fact: <where it is set>'.`,
    cluster: { gpu: input.gpu.id, nodes: input.nodes, gpusPerNode: input.gpusPerNode, priceUsdPerGpuHour: input.gpu.priceUsdPerGpuHour },
    models: { actor: input.modelReference, ref: input.modelReference },
    algorithm: { kind: 'grpo', samplesPerPrompt: SAMPLES_PER_PROMPT, ppoEpochs: 1 },
    batch: { prompts: PROMPTS, miniBatchPrompts: MINI_BATCH_PROMPTS },
    lengths: { maxPromptTokens: MAX_PROMPT, maxResponseTokens: MAX_RESPONSE },
    generation: {
      tp: generation.tp,
      instances: total / generation.tp,
      maxConcurrentSequences: 1024,
      gpuMemoryUtilization: GPU_MEMORY_UTILIZATION,
      maxBatchedTokens: 8192,
      promptSharing: true,
    },
    layout: { actorTrain: trainLayout, actorInference: inferenceLayout, ref: inferenceLayout },
    costModel: { kind: 'roofline', calibration: CALIBRATION, engine: 'vllm-v1' },
    scope: 'iteration',
    schedulerParameters: {},
    provenance: {
      'cluster.gpu': `fact: the GPU you named; ${gpuFacts}. A GPU not in the catalog: see harness/cost/README.md (custom GPU files)`,
      'cluster.nodes': 'fact: the nodes you named (scenario init --nodes)',
      'cluster.gpusPerNode': 'fact: the GPUs per node you named, or the catalog\'s usual server (scenario init --gpus-per-node)',
      'cluster.priceUsdPerGpuHour': `assumption: USD per GPU-hour, only for cost figures: the catalog's on-demand price for ${input.gpu.id} (${input.gpu.priceDate}); put what you pay`,
      'models.actor': `fact: the model you named (${input.modelReference}): the policy being trained, a catalog id or a Hugging Face config.json path relative to this file`,
      'models.ref': 'assumption: the reference policy, the initial actor (the usual setup); remove the ref forward with schedulerParameters (e.g. "megatron-colocated": { "reference-policy": false }) when your run has no KL term',
      'algorithm.kind': "assumption: GRPO (no critic); for PPO set 'ppo' and add models.critic with layout.criticTrain and layout.criticInference",
      'algorithm.samplesPerPrompt': 'assumption: responses per prompt (veRL actor_rollout_ref.rollout.n); the trace you replay decides what is simulated, this documents the run',
      'algorithm.ppoEpochs': 'assumption: passes over each batch per step (veRL ppo_epochs, default 1)',
      'batch.prompts': 'assumption: prompts per step (veRL data.train_batch_size); traces are re-cut into batches of this many prompts',
      'batch.miniBatchPrompts': 'assumption: prompts per optimizer step (veRL ppo_mini_batch_size)',
      'lengths.maxPromptTokens': 'assumption: the prompt length cap (veRL data.max_prompt_length); longer trace prompts are cut to it',
      'lengths.maxResponseTokens': 'assumption: the response length cap (veRL data.max_response_length); longer trace responses are cut to it',
      'generation.tp': `assumption: GPUs per generation instance (veRL rollout.tensor_model_parallel_size); scenario init chose the smallest TP with KV room for ${KV_SEQUENCES} sequences at the caps`,
      'generation.instances': 'assumption: generation instances; co-located frameworks generate on every GPU (GPUs / TP)',
      'generation.maxConcurrentSequences': 'assumption: running sequences per instance (vLLM max_num_seqs; veRL default 1024)',
      'generation.gpuMemoryUtilization': 'assumption: share of GPU memory for the engine\'s weights and KV cache (vLLM gpu_memory_utilization; veRL default 0.5, 0.6 in many recipes)',
      'generation.maxBatchedTokens': 'assumption: prefill tokens per engine step (vLLM max_num_batched_tokens; veRL default 8192)',
      'generation.promptSharing': "assumption: a prompt's samples share its prefill and KV (vLLM n-sampling, or prefix caching); false when the framework repeats each prompt n times without a prefix cache",
      layout: layoutWhy,
      costModel:
        "fitted: roofline kernels calibrated on the public Vidur and SplitwiseSim profiles shipped with rlhf-replay ('package:' paths are read from the package, other paths from this file's folder); GPUs without their own profiles borrow another's efficiencies (catalog calibrationAlias)",
      'costModel.engine': "assumption: the rollout engine profile (harness/cost/engine-eras.ts): 'vllm-v1' (vLLM >= 0.8 with CUDA graphs, prefix caching on); 'vllm-v1-eager' with enforce_eager=True, 'vllm-2024' / 'vllm-2024-eager' for vLLM V0, 'sglang', 'hf-generate'",
      scope: "assumption: 'iteration' replays the whole RL step; 'generation' the rollout only",
    },
  };
  return { scenario, notes };
}
