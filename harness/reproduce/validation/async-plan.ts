import type { TraceUse } from '../experiments/types.js';
import { VALIDATION_ASYNC_KIND, type ValidationAsyncCase } from './async-cases.js';

/**
 * The published asynchronous configurations, as read from veRL (volcengine/verl):
 *
 * - fully_async table (docs/advance/fully_async.md, "Asynchronous Training on 7B Model"): the page
 *   states require_batches 4, trigger_parameter_sync_step 4, staleness_threshold 0.5,
 *   partial_rollout True for all three splits (16:16, 32:32, 64:64), each version 4 × 4 × 32 = 512
 *   prompts like the co-located batch. The study scripts at 9f53cd71
 *   (recipe/fully_async_policy/exp/qwen2-7B-math_{32,64,128}/fsdp2_fully-async_*) differ: they
 *   train on 2 × trainer-GPU prompts per local step (required_samples = minimal_bsz × mini / n, i.e.
 *   require 1 / 2 / 4), trigger 16 / 8 / 4 (512 prompts per version too) and staleness 0.1. The
 *   64:64 row equals the staleness ablation's 0.5 row (150.63 s), so the page's configuration is
 *   taken; trainer workers from the scripts: actor offload off, Ulysses 4, fsdp_size 8 (16:16) or 2,
 *   dynamic batches 2 × / 3 × 30,720 tokens, rollout log-probs, no KL (no ref forward).
 * - staleness ablation (64:64): staleness 0 is the "stream off policy pipeline" row (trigger 4,
 *   require 4, no stale samples; partial rollout has no effect at 0); 0.1 / 0.3 / 0.5 with partial
 *   rollout.
 * - require_batches ablation (64:64): 1 / 2 / 4 with trigger 16 / 8 / 4 (512 prompts per version,
 *   the page's rule for comparing with co-located), staleness 0.5, partial rollout.
 * - one_step_off table (docs/advance/one_step_off.md, FSDP2 row): 16 H20, 4 rollout : 12 trainer
 *   GPUs, max response 20,480 (the page) with the script's n 12 and gen TP 2
 *   (recipe/one_step_off_policy/dapo_7b_math_fsdp2_4_12.sh at 9f53cd71), old log-probs recomputed.
 */
const WORKERS = { 'ulysses-sp': 4, 'log-prob-max-tokens-per-gpu': 92160, 'ppo-max-tokens-per-gpu': 61440, 'reference-policy': false } as const;
export const FULLY_ASYNC_TABLE = { 'require-batches': 4, 'trigger-parameter-sync-step': 4, 'staleness-threshold': 0.5, 'partial-rollout': true } as const;
export const FULLY_ASYNC_SPLITS = [32, 64, 128] as const;
export const STALENESS_ABLATION = [0, 0.1, 0.3, 0.5] as const;
export const REQUIRE_BATCHES_ABLATION = [1, 2, 4] as const;

export function asyncValidationCases(scenario: string, trace: TraceUse): ValidationAsyncCase[] {
  const common = { kind: VALIDATION_ASYNC_KIND, scenario, trace, samplesPerPrompt: 16, batchPrompts: 512, iterations: 3, seed: 1 } as const;
  const fully = (gpus: number, id: string, overrides: Record<string, number | boolean>): ValidationAsyncCase => ({
    ...common,
    id: `validation/verl-async/${id}`,
    gpus,
    scheduler: 'fully-async',
    parameters: { ...WORKERS, 'fsdp-size': gpus === 32 ? 8 : 2, 'rollout-gpus': gpus / 2, ...FULLY_ASYNC_TABLE, ...overrides },
  });
  return [
    ...FULLY_ASYNC_SPLITS.map((gpus) => fully(gpus, `split-g${gpus}`, {})),
    ...STALENESS_ABLATION.filter((s) => s !== 0.5).map((s) => fully(128, `staleness-${s}`, { 'staleness-threshold': s, 'partial-rollout': s > 0 })),
    ...REQUIRE_BATCHES_ABLATION.filter((r) => r !== 4).map((r) => fully(128, `require-${r}`, { 'require-batches': r, 'trigger-parameter-sync-step': 16 / r })),
    {
      ...common,
      id: 'validation/verl-async/one-step-off-g16',
      gpus: 16,
      samplesPerPrompt: 12,
      scheduler: 'one-step-off',
      parameters: { ...WORKERS, 'fsdp-size': 2, 'rollout-gpus': 4 },
      patch: { algorithm: { samplesPerPrompt: 12 }, lengths: { maxResponseTokens: 20480 }, generation: { tp: 2, maxBatchedTokens: 22528 } },
    },
  ];
}
