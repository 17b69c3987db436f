/**
 * The columns of the recorded-runs table (`runs.csv`), in the documented order
 * (../shared/research/data/rl-step-logs/README.md; traces/README.md "Recorded runs").
 * Every column must be in the header (order free); an unknown column is an error, so a typo
 * is caught rather than read as "not reported".
 */
export const RECORDED_RUNS_COLUMNS = [
  'run_id',
  'source_url',
  'repo',
  'issue_or_pr',
  'date',
  'framework_and_version',
  'algorithm',
  'model',
  'model_params_b',
  'moe',
  'gpu_type',
  'nodes',
  'gpus_per_node',
  'rollout_engine',
  'rollout_tp',
  'train_backend',
  'train_tp',
  'train_pp',
  'offload',
  'grad_ckpt',
  'dynamic_bsz',
  'ppo_max_token_len_per_gpu',
  'train_batch_size_prompts',
  'rollout_n',
  'ppo_mini_batch_size',
  'ppo_micro_batch_size_per_gpu',
  'ppo_epochs',
  'max_prompt_len',
  'max_response_len',
  'step_index',
  'response_length_mean',
  'response_length_max',
  'response_clip_ratio',
  'prompt_length_mean',
  'seq_length_mean',
  'seq_length_max',
  'global_seqlen_mean',
  'timing_gen_s',
  'timing_old_log_prob_s',
  'timing_ref_s',
  'timing_values_s',
  'timing_adv_s',
  'timing_update_critic_s',
  'timing_update_actor_s',
  'timing_train_s',
  'timing_step_s',
  'throughput_tokens_per_s_per_gpu',
  'mfu_actor',
  'notes',
] as const;

export type RecordedRunsColumn = (typeof RECORDED_RUNS_COLUMNS)[number];

/** Cells that must not be empty. */
export const RECORDED_RUNS_REQUIRED: readonly RecordedRunsColumn[] = ['run_id', 'step_index'];

/** Columns whose text is kept as written, without a `~` reading (identity and provenance). */
export const PLAIN_TEXT_COLUMNS: readonly RecordedRunsColumn[] = ['run_id', 'source_url', 'repo', 'issue_or_pr', 'notes'];
