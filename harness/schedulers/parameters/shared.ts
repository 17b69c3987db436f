import { booleanParameter, numberParameter } from './declarations.js';

/**
 * Parameters more than one scheduler family reads, declared once. A scheduler that needs its own
 * context for one extends the why (`{ ...ADMISSION_WATERMARK, why: … }`); RLHFless names its
 * parameters in camelCase after the paper's symbols (`{ ...ADMISSION_WATERMARK, name: 'admissionWatermark' }`).
 * Parameters of one family live beside its mechanism (veRL's workers: baseline/verl-workers.ts;
 * RLHFuse: rlhfuse/parameters.ts; RLHFless: rlhfless/parameters.ts).
 */

/** The KV share vLLM-style admission keeps free (generation/instance.ts admits while KV ≤ capacity × (1 − watermark)). */
export const ADMISSION_WATERMARK = numberParameter({
  name: 'admission-watermark',
  default: 0.01,
  unit: 'fraction of KV capacity',
  why: "vLLM's default block watermark (SelfAttnBlockSpaceManager watermark=0.01, vllm/core/block_manager.py at 9a4b60a4): admission keeps this share of the KV cache free",
  range: [0, 0.2],
});

/** DeepSpeed ZeRO-3's collectives hidden behind compute (DeepSpeed-Chat and OpenRLHF both train with ZeRO-3). */
export const ZERO3_COMMUNICATION_OVERLAP = numberParameter({
  name: 'zero3-communication-overlap',
  default: 0,
  unit: 'fraction',
  why: "share of DeepSpeed ZeRO-3's parameter all-gathers (forwards and training) and gradient reduce-scatters hidden behind compute by prefetching, never more than the compute; not measured for these setups, 0 is the pessimistic end",
  range: [0, 1],
});

/** Whether the step runs the reference policy's forward (veRL-style frameworks skip it when no KL term needs it). */
export const REFERENCE_POLICY = booleanParameter({
  name: 'reference-policy',
  default: true,
  why: 'veRL computes the reference log-probs only when a KL term needs them (actor.use_kl_loss or algorithm.use_kl_in_reward; veRL <= 0.1 always did); GRPO-family recipes without KL (DAPO, GPG) skip the ref forward',
});
