import { findGpu, findModel } from '../cost/catalog/index.js';
import { modelIdFromName } from '../cost/catalog/hf-config.js';
import type { Known } from '../traces/recorded-runs/known.js';
import type { RecordedStep, TrainBackend } from '../traces/recorded-runs/types.js';
import type { ConfigValue } from '../traces/verl/config-value.js';
import type { VerlRun } from '../traces/verl/read-run.js';
import type { Setting } from '../traces/verl/settings.js';
import type { FidelityStage, FidelityStep } from './fidelity-step.js';
import { recipeFor, type RecipeSettings, type VerlRecipe } from './verl-recipes.js';
import { verlEraAt, type VerlEra } from './verl-eras.js';

/**
 * A recorded step (a row of the recorded-runs table, or a step of a whole veRL log) as the
 * fidelity check simulates it. Each setting is taken from the most direct source that states it:
 * the run's own log (its printed config or launch command), then the row's cells, then the veRL
 * recipe a documentation table was measured with (verl-recipes.ts), then the veRL era's default
 * (verl-eras.ts). Everything not stated by the run itself is listed in `assumed` with where the
 * value came from, so the report can say how much of a row is inferred.
 */
export interface RecordedSource {
  readonly row: RecordedStep;
  /** The whole log the row comes from, when it is at hand (its configuration is the run's own). */
  readonly run?: VerlRun;
}

export type FromRecorded = { readonly ok: true; readonly step: FidelityStep } | { readonly ok: false; readonly runId: string; readonly reason: string };

/** GPU names as sources write them → catalog ids. */
const GPU_NAMES: Readonly<Record<string, string>> = {
  mi300: 'mi300x',
  mi300x: 'mi300x',
  h20: 'h20',
  a100: 'a100-80gb',
  a800: 'a800',
  h100: 'h100-sxm',
  h800: 'h800',
  h200: 'h200',
  l40s: 'l40s',
  gb200: 'gb200',
};

/**
 * GPUs that no source names but the run's own log pins down, by run key: what was read and why.
 * The veRL team's Dec-2024 GSM8K logs print vLLM's KV-cache allocation: veRL's vLLM 0.6.3 worker
 * sizes the cache as free memory × gpu_memory_utilization (verl/third_party/vllm/vllm_v_0_6_3/
 * worker.py determine_num_available_blocks at 50ac7252). The Qwen2.5-0.5B log allocates 37.50 GB
 * (43.47 − 5.97 GB) at utilization 0.4, so 93.7 GB were free after the profile run: more than an
 * 80 GB part has in all (85.9 GB); the gemma log (26.83 GB at 0.4 with a 256k-vocabulary profile
 * peak) agrees. The 94–96 GB parts are the H20, H100 NVL and GH200; the H20 is ruled out because
 * the gemma update's FLOPs (6.1 PFLOP per GPU per step) would take 41 s at its full 148 TFLOPS, and
 * 38 s were measured. What remains is H100 silicon, simulated as the catalog's H100 SXM.
 */
export const GPU_INFERRED_FROM_LOGS: readonly { readonly runKeyPattern: RegExp; readonly gpu: string; readonly why: string }[] = [
  {
    runKeyPattern: /eric-haibin-lin\/verl-data\/blob\/experiments\/gsm8k\//,
    gpu: 'h100-sxm',
    why: 'inferred: vLLM’s KV cache in the log (37.50 GB at gpu_memory_utilization 0.4 of free memory) needs a 94–96 GB GPU; the H20 is too slow for the measured update (41 s at peak vs 38 s measured); H100 silicon (H100 NVL / GH200) simulated as H100 SXM',
  },
];

/** The GPU a run is assumed to have run on when neither a source nor its log names it. */
export const UNKNOWN_GPU_ASSUMPTION = {
  gpu: 'a100-80gb',
  why: 'assumption: no source names the GPU; veRL’s own experiments of the time ran on A100-80GB (HybridFlow, arXiv 2409.19256 §8)',
};

interface Chosen<T> {
  readonly value: T;
  /** Undefined when the run itself states the value. */
  readonly assumed?: string;
}

type Candidate<T> = readonly [T | undefined, string | undefined];

/** The first candidate with a value; its note (if any) says it was not stated by the run. */
function choose<T>(...candidates: Candidate<T>[]): Chosen<T> | undefined {
  for (const [value, note] of candidates) if (value !== undefined) return note === undefined ? { value } : { value, assumed: note };
  return undefined;
}

function fromSetting<T>(setting: Setting<T> | undefined): Candidate<T> {
  if (!setting) return [undefined, undefined];
  if (setting.source === 'default') return [setting.value, `veRL’s default for ${setting.key} (the log does not state it)`];
  return [setting.value, undefined];
}

function fromKnown<T>(known: Known<T> | undefined, column: string): Candidate<T> {
  if (!known) return [undefined, undefined];
  return [known.value, known.inferred ? `runs.csv ${column} inferred by the transcriber (~)` : undefined];
}

function fromRecipe<K extends keyof RecipeSettings>(recipe: VerlRecipe | undefined, key: K): Candidate<NonNullable<RecipeSettings[K]>> {
  const value = recipe?.settings[key];
  return [value ?? undefined, value === undefined ? undefined : recipeNote(recipe!)] as Candidate<NonNullable<RecipeSettings[K]>>;
}

/** Where a recipe value comes from, short: the page's label (the recipe's sources are listed once, in the report). */
function recipeNote(recipe: VerlRecipe, how?: string): string {
  return `recipe of ${recipe.label}${how ? ` (${how})` : ''}`;
}

/** The old global micro-batch form (`log_prob_micro_batch_size`), divided over the data-parallel ranks as veRL's workers did (verl/trainer/ppo/workers/fsdp_workers.py at 50ac7252). */
function perGpuFromGlobal(setting: Setting<number> | undefined, dataParallel: number): Candidate<number> {
  if (!setting) return [undefined, undefined];
  return [Math.max(1, Math.floor(setting.value / dataParallel)), setting.source === 'default' ? `veRL’s default for ${setting.key}, divided over ${dataParallel} data-parallel ranks` : undefined];
}

function fromEra<T>(era: VerlEra, value: T, what: string): Candidate<T> {
  return [value, `veRL’s default ${what} in the era of the run (${era.label})`];
}

function configCandidate<T extends ConfigValue>(run: VerlRun | undefined, key: string, type: 'boolean' | 'number'): Candidate<T> {
  const entry = run?.config.values[key];
  if (!entry || typeof entry.value !== type) return [undefined, undefined];
  return [entry.value as T, entry.source === 'default' ? `veRL’s default for ${key} (the log does not state it)` : undefined];
}

/** A log without a date: its trainer generation and timers place it (the reader's generation names them). */
function logDate(run: VerlRun): Chosen<string> {
  if (run.generation === 'dec-2024') return { value: '2024-12', assumed: 'date: the log’s Dec-2024 timer names (`timing/<stage>`)' };
  if (run.stagesLogged.includes('generate_sequences')) return { value: '2025-06', assumed: 'date: a 2025 log with generate_sequences and reshard timers (veRL of Apr–Aug 2025)' };
  return { value: '2025-03', assumed: 'date: a 2025 log without generate_sequences timers (veRL of Jan–Apr 2025)' };
}

function catalogModel(name: string): string | undefined {
  // Hugging Face cache paths (models--Org--Name/snapshots/…) and ModelScope names (Qwen2___5) name the repo in their own way.
  const cache = /models--([^/]+?)--([^/]+)/.exec(name);
  const repo = cache ? `${cache[1]}/${cache[2]}` : name.replace(/___/g, '.');
  const id = modelIdFromName(repo.split(/\s+/)[0]!);
  if (findModel(id)) return id;
  const words = repo.toLowerCase();
  if (/deepseek-v3/.test(words)) return 'deepseek-v3';
  return undefined;
}

function catalogGpu(names: readonly string[]): string | undefined {
  for (const name of names) {
    const id = GPU_NAMES[name.toLowerCase()] ?? (findGpu(name.toLowerCase()) ? name.toLowerCase() : undefined);
    if (id) return id;
  }
  return undefined;
}

const STAGE_OF: readonly FidelityStage[] = ['gen', 'old_log_prob', 'ref', 'values', 'update_critic', 'update_actor', 'train', 'step'];

export function fidelityStepFrom(source: RecordedSource): FromRecorded {
  const { row, run } = source;
  const s = run?.settings;
  const c = row.config;
  const assumed: Record<string, string> = {};
  const notes: string[] = [...row.findings];
  const fail = (reason: string): FromRecorded => ({ ok: false, runId: row.runId, reason });
  const take = <T>(field: string, chosen: Chosen<T> | undefined): T | undefined => {
    if (chosen === undefined) return undefined;
    if (chosen.assumed !== undefined) assumed[field] = chosen.assumed;
    return chosen.value;
  };
  const need = <T>(field: string, chosen: Chosen<T> | undefined): T => {
    const value = take(field, chosen);
    if (value === undefined) throw new MissingSetting(field);
    return value;
  };

  try {
    const framework = c.framework?.value.name ?? (run ? 'verl' : undefined);
    if (framework !== 'verl') return fail(`framework '${c.framework?.value.text ?? 'unknown'}' is not modelled (only veRL runs are)`);
    const dated = row.source.date ? { value: row.source.date.value, ...(row.source.date.inferred ? { assumed: 'date inferred by the transcriber (~)' } : {}) } : run ? logDate(run) : undefined;
    const date = need('date', dated);
    const era = verlEraAt(date);
    if (!era) return fail(`no veRL era covers the run's date ${date}`);
    const recipe = recipeFor(row.runKey);

    // The log's model path names a checkpoint when the run starts from an SFT model; the row names the model it is.
    const modelCandidates: Candidate<string>[] = [fromSetting(s?.modelPath), fromKnown(c.model ? { value: c.model.value.name, inferred: c.model.inferred } : undefined, 'model')];
    const modelFound = modelCandidates.map(([name, note]) => [name === undefined ? undefined : catalogModel(name), note, name] as const).find(([id]) => id !== undefined);
    if (!modelFound) return fail(`model '${modelCandidates.find(([name]) => name !== undefined)?.[0] ?? 'unknown'}' is not in the catalog (add its config.json)`);
    const model = modelFound[0]!;
    if (modelFound[1] !== undefined) assumed['model'] = modelFound[1];

    const gpuNames = c.gpuType?.value.models ?? [];
    const gpuFromRow = catalogGpu(gpuNames);
    let gpu: string;
    if (gpuFromRow) {
      gpu = gpuFromRow;
      if (c.gpuType!.inferred || gpuNames.length > 1) assumed['gpu'] = `runs.csv gpu_type '${c.gpuType!.value.text}'${gpuNames.length > 1 ? `: the first of the alternatives (${gpuNames.join(', ')})` : ' inferred by the transcriber (~)'}`;
    } else if (gpuNames.length > 0) return fail(`GPU '${c.gpuType!.value.text}' is not in the catalog`);
    else {
      const fromLog = GPU_INFERRED_FROM_LOGS.find((entry) => entry.runKeyPattern.test(row.runKey));
      gpu = fromLog?.gpu ?? UNKNOWN_GPU_ASSUMPTION.gpu;
      assumed['gpu'] = fromLog?.why ?? UNKNOWN_GPU_ASSUMPTION.why;
    }

    const nodes = need('nodes', choose(fromSetting(s?.nnodes), fromKnown(c.nodes, 'nodes')));
    const gpusPerNode = need('gpusPerNode', choose(fromSetting(s?.nGpusPerNode), fromKnown(c.gpusPerNode, 'gpus_per_node')));
    const backend = need<TrainBackend>(
      'training.backend',
      choose(fromSetting(s?.actor.strategy as Setting<TrainBackend> | undefined), fromKnown(c.trainBackend, 'train_backend'), [era.id === 'verl-2024-10' ? 'fsdp' : undefined, 'veRL v0.1 trained with FSDP only']),
    );
    const megatron = backend === 'megatron';
    const trainTp = megatron ? need('training.tp', choose(fromSetting(s?.actor.megatron?.tensorParallel), fromKnown(c.trainTp, 'train_tp'), fromRecipe(recipe, 'trainTp'))) : 1;
    const trainPp = megatron ? need('training.pp', choose(fromSetting(s?.actor.megatron?.pipelineParallel), fromKnown(c.trainPp, 'train_pp'), fromRecipe(recipe, 'trainPp'))) : 1;
    const trainEp = megatron ? (take('training.ep', choose(fromSetting(s?.actor.megatron?.expertParallel), fromRecipe(recipe, 'trainEp'))) ?? 1) : 1;
    const maxPrompt = need('lengths.maxPromptTokens', choose(fromSetting(s?.maxPromptLength), fromKnown(c.maxPromptLen, 'max_prompt_len'), fromRecipe(recipe, 'maxPromptTokens')));
    const maxResponse = need('lengths.maxResponseTokens', choose(fromSetting(s?.maxResponseLength), fromKnown(c.maxResponseLen, 'max_response_len')));
    const sequenceCap = maxPrompt + maxResponse;
    const dynamic = take('training.dynamicBatchSize', choose(fromSetting(s?.actor.useDynamicBsz), fromKnown(c.dynamicBsz, 'dynamic_bsz'), fromRecipe(recipe, 'dynamicBatchSize'), fromEra(era, false, 'use_dynamic_bsz'))) ?? false;
    const ppoTokens = dynamic
      ? take(
          'training.ppoMaxTokensPerGpu',
          choose(fromSetting(s?.actor.ppoMaxTokenLenPerGpu), fromKnown(c.ppoMaxTokenLenPerGpu, 'ppo_max_token_len_per_gpu'), [recipe?.settings.ppoMaxTokensPerGpuFactor !== undefined ? recipe.settings.ppoMaxTokensPerGpuFactor * sequenceCap : undefined, recipe ? recipeNote(recipe, '× max prompt + max response') : undefined]),
        )
      : undefined;
    const logProbTokens = dynamic
      ? take(
          'training.logProbMaxTokensPerGpu',
          choose(fromSetting(s?.rollout.logProbMaxTokenLenPerGpu), [recipe?.settings.logProbMaxTokensPerGpuFactor !== undefined ? recipe.settings.logProbMaxTokensPerGpuFactor * sequenceCap : undefined, recipe ? recipeNote(recipe, '× max prompt + max response') : undefined]),
        )
      : undefined;
    const microBatch = need(
      'training.microBatchPerGpu',
      choose(fromSetting(s?.actor.microBatchSizePerGpu), fromKnown(c.ppoMicroBatchSizePerGpu, 'ppo_micro_batch_size_per_gpu'), fromRecipe(recipe, 'microBatchPerGpu'), [dynamic ? 1 : undefined, 'unused: dynamic batch size cuts micro-batches by tokens']),
    );
    const logProbMicro = need(
      'training.logProbMicroBatchPerGpu',
      choose(
        fromSetting(s?.rollout.logProbMicroBatchSizePerGpu),
        perGpuFromGlobal(s?.rollout.logProbMicroBatchSize, megatron ? nodes * gpusPerNode / (trainTp * trainPp) : nodes * gpusPerNode),
        fromRecipe(recipe, 'logProbMicroBatchPerGpu'),
        [microBatch, 'not stated: the update’s micro-batch size'],
      ),
    );
    const criticMicro = take('training.criticMicroBatchPerGpu', choose(fromSetting(s?.critic.microBatchSizePerGpu), [microBatch, 'not stated: the actor’s micro-batch size'])) ?? microBatch;
    const offload = c.offload?.value;
    const offloadNote = c.offload?.inferred ? 'runs.csv offload inferred by the transcriber (~)' : undefined;
    const paramOffload =
      take('training.paramOffload', choose(fromSetting(s?.actor.paramOffload), [offload?.actor?.param, offloadNote], fromRecipe(recipe, 'paramOffload'), fromEra(era, false, 'param_offload'))) ?? false;
    const optimizerOffload =
      take('training.optimizerOffload', choose(fromSetting(s?.actor.optimizerOffload), [offload?.actor?.optimizer, offloadNote], fromRecipe(recipe, 'optimizerOffload'), fromEra(era, false, 'optimizer_offload'))) ?? false;
    const refParamOffload =
      take('training.refParamOffload', choose(fromSetting(s?.ref.paramOffload), [offload?.ref?.param, offloadNote], fromRecipe(recipe, 'refParamOffload'), fromEra(era, false, 'ref param_offload'))) ?? false;
    const gradCkpt = c.gradCkpt?.value;
    const gradCkptCell: Candidate<boolean> =
      megatron && gradCkpt?.actor === true && gradCkpt.method !== 'recompute'
        ? // veRL's enable_gradient_checkpointing flag: for Megatron it never turns on a full recompute (traces/verl/settings.ts, megatronFullRecompute)
          [false, `runs.csv grad_ckpt '${gradCkpt.text}' is veRL’s enable_gradient_checkpointing, which leaves a Megatron actor’s recompute_granularity unset: no recompute`]
        : [gradCkpt?.actor, c.gradCkpt?.inferred ? 'runs.csv grad_ckpt inferred by the transcriber (~)' : undefined];
    const gradientCheckpointing =
      take(
        'training.gradientCheckpointing',
        choose(fromSetting(s?.actor.gradientCheckpointing), gradCkptCell, fromRecipe(recipe, 'gradientCheckpointing'), fromEra(era, false, 'enable_gradient_checkpointing')),
      ) ?? false;
    // veRL's Megatron models always pack the sequences (verl/models/mcore/model_forward.py gptmodel_forward, pack_seqs=True, at 6642bb2e).
    const removePadding = megatron
      ? true
      : era.removePaddingAvailable
        ? (take('training.removePadding', choose(fromSetting(s?.actor.removePadding), fromRecipe(recipe, 'removePadding'), fromEra(era, false, 'use_remove_padding'))) ?? false)
        : false;
    const ulyssesSp = take('training.ulyssesSp', choose(fromSetting(s?.actor.ulyssesSequenceParallelSize), fromRecipe(recipe, 'ulyssesSp'), fromEra(era, 1, 'ulysses_sequence_parallel_size'))) ?? 1;
    const fsdpSizeRaw = take(
      'training.fsdpSize',
      choose(configCandidate<number>(run, 'actor_rollout_ref.actor.fsdp_config.fsdp_size', 'number'), fromRecipe(recipe, 'fsdpSize'), fromEra(era, -1, 'fsdp_size')),
    );
    const fsdpSize = fsdpSizeRaw === undefined || fsdpSizeRaw < 0 ? 0 : fsdpSizeRaw;
    const epochs = take('training.epochs', choose(fromSetting(s?.actor.ppoEpochs), fromKnown(c.ppoEpochs, 'ppo_epochs'), fromEra(era, 1, 'ppo_epochs'))) ?? 1;
    const entropyCoeff =
      take('training.entropyCoeff', choose(configCandidate<number>(run, 'actor_rollout_ref.actor.entropy_coeff', 'number'), fromEra(era, era.defaultEntropyCoeff, 'entropy_coeff'))) ?? era.defaultEntropyCoeff;

    const critic = need('critic', choose(fromSetting(s?.critic.used), [c.algorithm?.value.usesCritic, c.algorithm?.inferred ? 'runs.csv algorithm inferred by the transcriber (~)' : undefined]));
    const klSetting = s?.actor.useKlLoss && s?.useKlInReward ? (s.actor.useKlLoss.value || s.useKlInReward.value ? s.actor.useKlLoss : s.useKlInReward) : undefined;
    const referencePolicy = era.referencePolicyAlways
      ? true
      : need(
          'referencePolicy',
          choose(
            [s?.actor.useKlLoss && s?.useKlInReward ? s.actor.useKlLoss.value || s.useKlInReward.value : undefined, klSetting?.source === 'default' ? 'veRL’s default for the KL switches (the log does not state them)' : undefined],
            [c.algorithm?.value.usesReference, undefined],
            [row.stagesS.ref !== undefined ? true : undefined, 'the row reports a ref stage'],
            [recipe?.settings.useKl, recipe ? recipeNote(recipe) : undefined],
            [row.stagesS.update_actor !== undefined && row.stagesS.ref === undefined && run === undefined ? false : undefined, 'the row reports stages but no ref stage'],
          ),
        );
    const rolloutEngine = take('rollout.engine', choose(fromSetting(s?.rollout.name), fromKnown(c.rolloutEngine, 'rollout_engine'))) ?? 'vllm';
    if (rolloutEngine !== 'vllm' && rolloutEngine !== 'sglang' && rolloutEngine !== 'hf') return fail(`rollout engine '${rolloutEngine}' is not modelled`);
    const rolloutTp = need('rollout.tp', choose(fromSetting(s?.rollout.tensorParallelSize), fromKnown(c.rolloutTp, 'rollout_tp'), fromRecipe(recipe, 'rolloutTp')));
    const n = need('rollout.n', choose(fromSetting(s?.rollout.n), fromKnown(c.rolloutN, 'rollout_n'), fromRecipe(recipe, 'samplesPerPrompt')));
    const gpuMemoryUtilization = need(
      'rollout.gpuMemoryUtilization',
      choose(fromSetting(s?.rollout.gpuMemoryUtilization), fromRecipe(recipe, 'gpuMemoryUtilization'), fromEra(era, era.defaultGpuMemoryUtilization, 'gpu_memory_utilization')),
    );
    const maxNumSeqs = need('rollout.maxNumSeqs', choose(fromSetting(s?.rollout.maxNumSeqs), fromEra(era, era.defaultMaxNumSeqs, 'max_num_seqs')));
    const maxBatchedTokens = need(
      'rollout.maxBatchedTokens',
      choose(fromSetting(s?.rollout.maxNumBatchedTokens), [recipe ? sequenceCap : undefined, recipe ? recipeNote(recipe, 'max prompt + max response') : undefined], fromEra(era, era.defaultMaxBatchedTokens, 'max_num_batched_tokens')),
    );
    const enforceEager = need(
      'rollout.enforceEager',
      choose(configCandidate<boolean>(run, 'actor_rollout_ref.rollout.enforce_eager', 'boolean'), fromRecipe(recipe, 'enforceEager'), fromEra(era, era.defaultEnforceEager, 'enforce_eager')),
    );
    const prompts = need('batch.prompts', choose(fromSetting(s?.trainBatchSize), fromKnown(c.trainBatchSizePrompts, 'train_batch_size_prompts')));
    const miniBatchPrompts = need('batch.miniBatchPrompts', choose(fromSetting(s?.actor.ppoMiniBatchSize), fromKnown(c.ppoMiniBatchSize, 'ppo_mini_batch_size')));
    const moe = findModel(model)?.moe !== undefined;

    const w = row.workload;
    const known = (k: Known<number> | undefined, what: string) => {
      if (k?.inferred) assumed[`workload.${what}`] = `runs.csv ${what} inferred by the transcriber (~)`;
      return k?.value;
    };
    const lengths = Object.fromEntries(
      Object.entries({
        responseMeanTokens: known(w.responseLengthMean, 'response_length_mean'),
        responseMaxTokens: known(w.responseLengthMax, 'response_length_max'),
        responseClipRatio: known(w.responseClipRatio, 'response_clip_ratio'),
        promptMeanTokens: known(w.promptLengthMean, 'prompt_length_mean'),
        sequenceMeanTokens: known(w.seqLengthMean, 'seq_length_mean'),
      }).filter(([, v]) => v !== undefined),
    ) as FidelityStep['lengths'];

    const measuredS: Partial<Record<FidelityStage, number>> = {};
    for (const stage of STAGE_OF) {
      const value = row.stagesS[stage];
      if (value === undefined) continue;
      if (!(value.value > 0)) {
        notes.push(`${stage} reported as ${value.value} s: not compared (the stage did not run or was not timed)`);
        continue;
      }
      measuredS[stage] = value.value;
      if (value.inferred) assumed[`measured.${stage}`] = 'measured seconds inferred by the transcriber (~)';
    }
    return {
      ok: true,
      step: {
        id: row.runId,
        runKey: row.runKey,
        source: `${row.source.url ?? 'row'}${row.line ? `:${row.line}` : ''}`,
        step: row.stepIndex.kind === 'step' ? String(row.stepIndex.index) : 'avg',
        config: {
          framework: 'verl',
          date,
          algorithm: c.algorithm?.value.name ?? (s?.advEstimator?.value ?? 'unknown'),
          critic,
          referencePolicy,
          model,
          moe,
          gpu,
          nodes,
          gpusPerNode,
          rollout: { engine: rolloutEngine as 'vllm', tp: rolloutTp, n, gpuMemoryUtilization, maxNumSeqs, maxBatchedTokens, enforceEager },
          training: {
            backend,
            tp: trainTp,
            pp: trainPp,
            ep: trainEp,
            paramOffload,
            optimizerOffload,
            refParamOffload,
            gradientCheckpointing,
            removePadding,
            dynamicBatchSize: dynamic,
            ...(ppoTokens !== undefined ? { ppoMaxTokensPerGpu: ppoTokens } : {}),
            ...(logProbTokens !== undefined ? { logProbMaxTokensPerGpu: logProbTokens } : {}),
            microBatchPerGpu: microBatch,
            logProbMicroBatchPerGpu: logProbMicro,
            criticMicroBatchPerGpu: criticMicro,
            ulyssesSp,
            fsdpSize,
            epochs,
            entropyCoeff,
          },
          batch: { prompts, miniBatchPrompts },
          lengths: { maxPromptTokens: maxPrompt, maxResponseTokens: maxResponse },
        },
        lengths,
        measuredS,
        assumed,
        notes,
      },
    };
  } catch (error) {
    if (error instanceof MissingSetting) return fail(`its ${error.field} is stated nowhere (not in the row, its log, a known recipe, or a veRL default)`);
    throw error;
  }
}

class MissingSetting extends Error {
  constructor(readonly field: string) {
    super(field);
  }
}
