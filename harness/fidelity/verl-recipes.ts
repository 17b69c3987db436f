/**
 * The launch settings of the veRL recipes that published per-step tables (veRL documentation
 * pages) were measured with, read from the recipe scripts in veRL's own repository. A table row
 * states the model, GPUs, batch and a few caps; everything else it was run with is in the script
 * the page names. Only settings a simulation needs are listed, each from the cited file; a row's
 * own cells always take precedence, and anything neither gives falls to the veRL era's default.
 */
export interface RecipeSettings {
  readonly rolloutTp?: number;
  readonly gpuMemoryUtilization?: number;
  readonly maxBatchedTokens?: number;
  readonly enforceEager?: boolean;
  readonly maxPromptTokens?: number;
  readonly samplesPerPrompt?: number;
  readonly useKl?: boolean;
  readonly paramOffload?: boolean;
  readonly optimizerOffload?: boolean;
  readonly refParamOffload?: boolean;
  readonly gradientCheckpointing?: boolean;
  readonly removePadding?: boolean;
  readonly dynamicBatchSize?: boolean;
  /** Multiples of (max prompt + max response) the scripts set the token budgets to. */
  readonly ppoMaxTokensPerGpuFactor?: number;
  readonly logProbMaxTokensPerGpuFactor?: number;
  readonly ulyssesSp?: number;
  readonly fsdpSize?: number;
  readonly microBatchPerGpu?: number;
  readonly logProbMicroBatchPerGpu?: number;
  readonly trainTp?: number;
  readonly trainPp?: number;
  readonly trainEp?: number;
}

export interface VerlRecipe {
  /** The run key of the table rows it applies to starts with this (the page's URL, then its table label). */
  readonly runKeyPrefix: string;
  readonly label: string;
  readonly settings: RecipeSettings;
  readonly source: string;
}

const VERL = 'volcengine/verl';
const DOCS = 'https://github.com/volcengine/verl/blob/main/docs';

const DAPO_FSDP2_COLOCATE: RecipeSettings = {
  rolloutTp: 4,
  gpuMemoryUtilization: 0.8,
  enforceEager: false,
  maxPromptTokens: 2048,
  useKl: false,
  paramOffload: true,
  optimizerOffload: true,
  refParamOffload: true,
  gradientCheckpointing: true,
  removePadding: true,
  dynamicBatchSize: true,
  ppoMaxTokensPerGpuFactor: 2,
  logProbMaxTokensPerGpuFactor: 3,
  ulyssesSp: 4,
  fsdpSize: 2,
};

export const VERL_RECIPES: readonly VerlRecipe[] = [
  {
    runKeyPrefix: `${DOCS}/advance/fully_async.md § doc table use_trainer_do_validate`,
    label: 'fully_async study, use_trainer_do_validate experiment, co-located sync baseline (FSDP2, vLLM)',
    settings: DAPO_FSDP2_COLOCATE,
    source: `${VERL} 9f53cd71 recipe/fully_async_policy/exp/qwen2-7B-math_32/fsdp2_colocate/run.sh (the study's co-located script; the page states only the 10K response cap, n 16 and mini-batch 32 for this experiment): gen_tp 4, gpu_memory_utilization 0.80, max_prompt_length 2048, use_kl_loss and use_kl_in_reward False, offload True (actor param and optimizer, ref param), gradient checkpointing, use_remove_padding, use_dynamic_bsz with ppo_max_token_len = 2 × and log_prob_max_token_len = 3 × (max prompt + max response), ulysses sp 4, fsdp_size 2; enforce_eager left at its default False (verl ff6978c1)`,
  },
  {
    runKeyPrefix: `${DOCS}/advance/fully_async.md`,
    label: 'fully_async study, co-located sync baseline at 32 / 64 / 128 GPUs (FSDP2, vLLM)',
    settings: DAPO_FSDP2_COLOCATE,
    source: `${VERL} 9f53cd71 recipe/fully_async_policy/exp/qwen2-7B-math_{32,64,128}/fsdp2_colocate/run.sh: gen_tp 4, gpu_memory_utilization 0.80, max_prompt_length 2048, use_kl_loss and use_kl_in_reward False, offload True (actor param and optimizer, ref param), gradient checkpointing, use_remove_padding, use_dynamic_bsz with ppo_max_token_len = 2 × and log_prob_max_token_len = 3 × (max prompt + max response), ulysses sp 4, fsdp_size 2; enforce_eager left at its default False (verl ff6978c1)`,
  },
  {
    runKeyPrefix: `${DOCS}/advance/one_step_off.md`,
    label: 'one_step_off study, co-located sync baselines (FSDP2 or Megatron, vLLM)',
    settings: { ...DAPO_FSDP2_COLOCATE, rolloutTp: 2, microBatchPerGpu: 2, logProbMicroBatchPerGpu: 4 },
    source: `${VERL} 2bb42bae verl/experimental/one_step_off_policy/shell/dapo_7b_math_fsdp2_colocate.sh (gen_tp 2, sp 4, fsdp_size 2, offload True, dynamic bsz 2 × / 3 ×, gpu_memory_utilization 0.80, max_prompt_length 2048, no KL) and dapo_7b_math_megatron_colocate.sh (gen_tp 2, TP 2, PP 2, param/optimizer/grad offload True, ppo_micro_batch_size_per_gpu 2, log_prob_micro_batch_size_per_gpu 4)`,
  },
  {
    runKeyPrefix: `${DOCS}/perf/dpsk.md`,
    label: 'DeepSeek-V3 671B GRPO benchmark (Megatron, vLLM) at 96 H20',
    settings: {
      rolloutTp: 32,
      maxPromptTokens: 2048,
      samplesPerPrompt: 8,
      useKl: true,
      paramOffload: true,
      optimizerOffload: true,
      refParamOffload: true,
      gradientCheckpointing: true,
      removePadding: true,
      dynamicBatchSize: true,
      ppoMaxTokensPerGpuFactor: 1,
      logProbMaxTokensPerGpuFactor: 1,
      microBatchPerGpu: 2,
      logProbMicroBatchPerGpu: 4,
      trainTp: 8,
      trainPp: 12,
      trainEp: 8,
    },
    source: `${VERL} bd756c15 examples/grpo_trainer/run_deepseek671b_math_megatron_96gb.sh (the page: "All configurations match the recommended settings"; 96 GPUs: TP 8, PP 12, EP 8): gen_tp 32, max_prompt_length 2048, n 8, use_kl_loss True, param/grad offload True, optimizer offload (fraction 1), use_dynamic_bsz with budgets 1 × (max prompt + max response), ppo_micro_batch_size_per_gpu 2, log_prob 4`,
  },
];

/** The recipe of a table row, by its run key (the most specific prefix wins). */
export function recipeFor(runKey: string): VerlRecipe | undefined {
  let best: VerlRecipe | undefined;
  for (const recipe of VERL_RECIPES) if (runKey.startsWith(recipe.runKeyPrefix) && (!best || recipe.runKeyPrefix.length > best.runKeyPrefix.length)) best = recipe;
  return best;
}
