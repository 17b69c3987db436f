/**
 * What changed in veRL between the recorded runs, read from veRL's own history (volcengine/verl,
 * snapshot b178a3cd, 2026-01-29): every behaviour the simulator needs and a run's launch command
 * may leave unsaid, with the commit that introduced it. A run is placed in the latest era that
 * started on or before its date (the log's commit date where the log names one, else the date
 * its source gives). Defaults apply only where the run's own configuration is silent.
 */
export interface VerlEra {
  readonly id: string;
  /** First day (UTC, ISO) of the era. */
  readonly from: string;
  readonly label: string;
  /** The actor's log-probs of the rollout are recomputed inside generate_sequences, under the `gen` timer (no `old_log_prob` timer yet). */
  readonly oldLogProbInGen: boolean;
  /** `use_remove_padding` exists (rmpad / data packing with flash-attn varlen); before it, every forward and update runs on padded sequences. */
  readonly removePaddingAvailable: boolean;
  /** compute_log_prob also computes the entropy over the vocabulary (calculate_entropy=True). */
  readonly logProbWithEntropy: boolean;
  /** Default actor entropy_coeff: a non-zero coefficient computes the entropy over the vocabulary in every update micro-batch. */
  readonly defaultEntropyCoeff: number;
  /** Default rollout enforce_eager (True: vLLM without CUDA graphs). */
  readonly defaultEnforceEager: boolean;
  /** Default rollout gpu_memory_utilization. */
  readonly defaultGpuMemoryUtilization: number;
  /** Default vLLM max_num_batched_tokens and max_num_seqs. */
  readonly defaultMaxBatchedTokens: number;
  readonly defaultMaxNumSeqs: number;
  /** Every run computes the reference policy's log-probs (before verl 072fc9fe, 2025-04-01, the trainer always created the ref worker); later only with a KL loss or KL in the reward. */
  readonly referencePolicyAlways: boolean;
  /** The vLLM engine generation veRL ran: V0 until veRL required vLLM ≥ 0.9 with its V1 engine. */
  readonly vllmGeneration: 'v0' | 'v1';
  /** The hybrid engine puts vLLM to sleep between rollouts (weights offloaded to host) instead of freeing only the KV cache. */
  readonly vllmSleepMode: boolean;
  /** Commits and files each fact comes from. */
  readonly sources: readonly string[];
}

const VERL = 'volcengine/verl';

export const VERL_ERAS: readonly VerlEra[] = [
  {
    id: 'verl-2024-10',
    from: '2024-10-01',
    label: 'veRL v0.1 (Oct 2024 – Jan 10 2025): padded forwards, old log-prob inside gen, vLLM ≤ 0.6.3 SPMD',
    oldLogProbInGen: true,
    removePaddingAvailable: false,
    logProbWithEntropy: false,
    defaultEntropyCoeff: 0.001,
    defaultEnforceEager: true,
    defaultGpuMemoryUtilization: 0.5,
    defaultMaxBatchedTokens: 8192,
    defaultMaxNumSeqs: 1024,
    referencePolicyAlways: true,
    vllmGeneration: 'v0',
    vllmSleepMode: false,
    sources: [
      `${VERL} 50ac7252 verl/trainer/ppo/workers/fsdp_workers.py generate_sequences: old_log_probs = self.actor.compute_log_prob(...) inside the rollout call (the trainer times it as gen)`,
      `${VERL} 30911f13 verl/trainer/config/ppo_trainer.yaml: entropy_coeff 0.001, gpu_memory_utilization 0.5, enforce_eager True, free_cache_engine True, max_num_batched_tokens 8192, max_num_seqs 1024`,
      `${VERL} 569210e0 (2025-01-11, #91) introduced use_remove_padding: before it every forward ran on the padded (prompt + response) batch`,
    ],
  },
  {
    id: 'verl-2025-01',
    from: '2025-01-11',
    label: 'veRL Jan–Apr 2025: remove-padding available, old_log_prob timed on its own (from Jan 24), entropy in the update',
    oldLogProbInGen: false,
    removePaddingAvailable: true,
    logProbWithEntropy: false,
    defaultEntropyCoeff: 0.001,
    defaultEnforceEager: true,
    defaultGpuMemoryUtilization: 0.5,
    defaultMaxBatchedTokens: 8192,
    defaultMaxNumSeqs: 1024,
    referencePolicyAlways: true,
    vllmGeneration: 'v0',
    vllmSleepMode: false,
    sources: [
      `${VERL} 569210e0 (2025-01-11, #91): use_remove_padding (default False)`,
      `${VERL} e974fb19 (2025-01-24, #129): old_log_prob computed and timed outside generate_sequences; runs between Jan 11 and Jan 24 are rare enough to keep one era`,
      `${VERL} f8b4d085 (2025-02-15, #209): vLLM ≥ 0.7 SPMD integration (sleep mode used from vLLM 0.8, see the next era)`,
    ],
  },
  {
    id: 'verl-2025-04-01',
    from: '2025-04-01',
    label: 'veRL Apr 1–16 2025: the reference policy only with a KL term',
    oldLogProbInGen: false,
    removePaddingAvailable: true,
    logProbWithEntropy: false,
    defaultEntropyCoeff: 0.001,
    defaultEnforceEager: true,
    defaultGpuMemoryUtilization: 0.5,
    defaultMaxBatchedTokens: 8192,
    defaultMaxNumSeqs: 1024,
    referencePolicyAlways: false,
    vllmGeneration: 'v0',
    vllmSleepMode: false,
    sources: [`${VERL} 072fc9fe (2025-04-01, #644): "support no reference model": use_reference_policy only with use_kl_loss or use_kl_in_reward`],
  },
  {
    id: 'verl-2025-04',
    from: '2025-04-17',
    label: 'veRL Apr–Aug 2025: entropy computed in compute_log_prob, entropy_coeff 0, vLLM ≥ 0.8 with sleep mode, eager vLLM',
    oldLogProbInGen: false,
    removePaddingAvailable: true,
    logProbWithEntropy: true,
    defaultEntropyCoeff: 0,
    defaultEnforceEager: true,
    defaultGpuMemoryUtilization: 0.5,
    defaultMaxBatchedTokens: 8192,
    defaultMaxNumSeqs: 1024,
    referencePolicyAlways: false,
    vllmGeneration: 'v0',
    vllmSleepMode: true,
    sources: [
      `${VERL} 25b0f226 (2025-04-17, #1100): compute_log_prob(calculate_entropy=True), entropy_coeff default 0`,
      `${VERL} f976b185 (2025-04-14, #1054) and 58840419 (2025-04-16): vLLM 0.8.2/0.8.3 with sleep/wake_up in the sharding manager`,
    ],
  },
  {
    id: 'verl-2025-08',
    from: '2025-08-08',
    label: 'veRL from Aug 2025: vLLM with CUDA graphs by default',
    oldLogProbInGen: false,
    removePaddingAvailable: true,
    logProbWithEntropy: true,
    defaultEntropyCoeff: 0,
    defaultEnforceEager: false,
    defaultGpuMemoryUtilization: 0.5,
    defaultMaxBatchedTokens: 8192,
    defaultMaxNumSeqs: 1024,
    referencePolicyAlways: false,
    vllmGeneration: 'v1',
    vllmSleepMode: true,
    sources: [
      `${VERL} ff6978c1 (2025-08-08, #2956): enforce_eager default False ("enable vllm cuda graph in default")`,
      `${VERL} f50e5c2e docs/start/install.rst: "vllm 0.8.3 and later versions have been tested … We recommend turning on env var VLLM_USE_V1=1"; setup.py requires vllm >= 0.7.3, <= 0.9.1 and the example recipes export VLLM_USE_V1=1 (examples/grpo_trainer/run_qwen2-7b_math_megatron.sh)`,
    ],
  },
];

/** The era a run of date `isoDate` (YYYY-MM or YYYY-MM-DD) belongs to; undefined before veRL's first release. */
export function verlEraAt(isoDate: string): VerlEra | undefined {
  const date = isoDate.length === 7 ? `${isoDate}-01` : isoDate;
  let found: VerlEra | undefined;
  for (const era of VERL_ERAS) if (era.from <= date) found = era;
  return found;
}
