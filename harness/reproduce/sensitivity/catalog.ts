import { DEFAULT_COST_ASSUMPTIONS, listAssumptions } from '../../cost/assumptions.js';
import type { AssumptionValue, SchedulerEntry } from '../../schedulers/types.js';
import type { PaperId } from '../paper-id.js';

/**
 * Which named assumptions the sensitivity analysis moves, and over which plausible values. The
 * values are the reproduction's own named assumptions (each with why); which assumption matters
 * most for a figure is then measured, never picked (sensitivity/tornado.ts).
 *
 * Scheduler assumptions: every boolean is flipped and every string tried at each of its other
 * choices, unless excluded below with a reason; numbers are moved only where a plausible range is
 * given here (a scheduler's declared `range` is what validation accepts, often far wider).
 * An assumption is moved jointly in every scheduler of a configuration that declares it, and only
 * where they all share its default: a parameter whose default differs between variants defines
 * the variants (rlhfless vs rlhfless-naive), which the ablation chart shows instead.
 */
export interface PlausibleValues {
  readonly values: readonly AssumptionValue[];
  readonly why: string;
}

export const SCHEDULER_RANGES: Readonly<Record<string, PlausibleValues>> = {
  'admission-watermark': { values: [0, 0.05], why: "vLLM's KV block watermark: none to 5 % of the cache (default 1 %)" },
  admissionWatermark: { values: [0, 0.05], why: "vLLM's KV block watermark: none to 5 % of the cache (default 1 %)" },
  'threshold-grid-step': { values: [0.0125, 0.05], why: 'half and twice the tuner’s grid step' },
  'retune-drift-ks': { values: [0, 0.2], why: 're-tune every iteration, or only on a drift twice the default' },
  'flat-batch-tolerance': { values: [0.1, 0.5], why: 'a decode step 10 % to 50 % above the batch-1 step still counts as flat' },
  'fused-search-evaluations': { values: [50_000, 400_000], why: 'a quarter and twice the offline search budget' },
  'training-memory-reserve-gib': { values: [1, 6], why: 'CUDA context and workspaces of 1-6 GiB per GPU' },
  'generation-batch-per-gpu': { values: [8, 32], why: "half and twice DeepSpeed-Chat's per-GPU generation batch" },
  'zero3-communication-overlap': { values: [0.5], why: 'up to half of ZeRO-3 gathers hidden behind compute' },
  'fsdp-communication-overlap': { values: [0.5], why: 'up to half of FSDP gathers hidden behind compute' },
  'generation-micro-batches': { values: [2, 4], why: 'ReaLHF splitting generation into 2-4 micro-batches per instance' },
  tau: { values: [0.3, 0.9], why: "the paper's swept range of the cut threshold (RLHFless §3.4)" },
  lambda: { values: [0.3, 0.9], why: "the paper's swept range of the time weight (RLHFless §3.5)" },
  ewmaWindow: { values: [2, 4], why: "the paper's tested windows (RLHFless §3.2)" },
  ewmaAlpha: { values: [0.25, 0.75], why: 'EWMA smoothing not given: a quarter to three quarters on the newest epoch' },
  minActors: { values: [3], why: 'N_min not given: at least the baseline’s 3 actors' },
  maxActors: { values: [4], why: 'N_max not given: a budget of 4 actors instead of every GPU' },
  prefillBatchCapacity: { values: [128, 1024], why: 'B_prefill not given: 128 to 1024 prefixes instead of the derived capacity' },
  coldStartS: { values: [0, 60], why: 'a function start of 0-60 s (container, runtime, engine) when not pre-warmed' },
  modelLoadS: { values: [0, 30], why: 'free to 30 s per function instead of the host-link estimate' },
  prewarmBufferS: { values: [-10, 10], why: 'pre-warm 10 s early (idle GPUs billed) or late (start waits)' },
};

/** Scheduler assumptions never moved, with why. */
export const SCHEDULER_EXCLUDED: Readonly<Record<string, string>> = {
  'migration-threshold': 'tuned per iteration by the offline simulation; its fixed-value curve is the migration-threshold figure',
  'survivor-work-proxy=oracle-remaining-tokens': 'uses the recorded lengths: an upper-bound ablation, not an implementable policy',
  'mini-batch-prompts': "a cited fact per scenario (DeepSpeed-Chat's mini-batch 256, RLHFuse §6)",
  'hybrid-engine-tp': "0 means the scenario's generation TP; other TPs are layout changes",
  deduplicatedPrefill: 'a technique switch: the ablation chart shows it',
  lengthPrediction: 'a technique switch: the ablation chart shows it',
  promptAssignment: 'a technique switch: the ablation chart shows it',
  cutAndMigrate: 'a technique switch: the ablation chart shows it',
  actorScaling: 'a technique switch: the ablation chart shows it',
  predictor: 'defines the variants (EWMA, oracle, weak predictor)',
  migrationScope: "defines RLHFless's model of RLHFuse (global-one) against RLHFless (per-actor)",
  'engine-gpu-share': 'OpenRLHF is not in either paper’s comparison',
  'actor-pool-share': 'OpenRLHF is not in either paper’s comparison',
};

export const COST_RANGES: Readonly<Record<string, PlausibleValues>> = {
  engineOverheadScale: { values: [0.5, 1.5], why: "half to 1.5 × the serving-engine overheads of the scenario's engine era (each era is fitted on one engine build and host)" },
  flashAttentionMfu: { values: [0.35, 0.75], why: 'attention of training and inference forwards at FlashAttention-2 on H100 (≈ 35 % of peak) to FlashAttention-3 (≈ 75 %, Shah et al. 2024)' },
  trainingKernelScale: { values: [0.8, 1.25], why: 'training kernels 20 % faster to 25 % slower than the calibrated serving kernels' },
  hostLinkEfficiency: { values: [0.6, 0.95], why: 'pinned host→GPU copies at 60-95 % of the PCIe rate' },
  runtimeOverheadBytesPerGpu: { values: [1.5 * 1024 ** 3, 6 * 1024 ** 3], why: '1.5-6 GiB per GPU of context, workspaces and graphs (the RLHFless feasibility note implies 1.9-4.4 GiB)' },
  activationRecomputation: { values: [false], why: 'training without full activation recomputation (RLHFuse does not say; veRL turns it on)' },
};

/** Scenario fields moved, by paper; each must be an 'assumption:' in the probe scenario's provenance. */
export const SCENARIO_RANGES: Readonly<Record<PaperId, Readonly<Record<string, PlausibleValues>>>> = {
  rlhfuse: {
    'generation.maxConcurrentSequences': { values: [128, 512], why: 'the in-house engine’s batch limit is not described: half to twice vLLM’s 256' },
    'generation.gpuMemoryUtilization': { values: [0.8, 0.95], why: 'memory share of the generation engine: 80-95 %' },
    'cluster.gpu': { values: ['h100-sxm'], why: "the paper says only 'Hopper': H100 SXM instead of the inferred H800 (NVLink 900 vs 400 GB/s)" },
    'lengths.maxPromptTokens': { values: [256, 1024], why: 'the HH-RLHF prompt cap is not given: 256 to 1024 tokens' },
    'costModel.engine': { values: ['splitwise-2023', 'kernels-only'], why: "the in-house engine is not described: SplitwiseSim's 2023 engine overheads, or none at all, instead of vLLM ≥ 0.6's" },
  },
  rlhfless: {
    'batch.miniBatchPrompts': { values: [32, 128], why: 'the mini-batch is not given: half and twice a quarter of the batch' },
    'generation.maxConcurrentSequences': { values: [256], why: "the simulation's engine limit is not given: 256 instead of veRL's 1024" },
    'generation.gpuMemoryUtilization': { values: [0.95], why: "whether Vidur enforced the KV limit is not given: 0.95 instead of vLLM's 0.9 (at 0.8 a 70B model on 2 H100 has no KV cache left)" },
    'costModel.engine': { values: ['vllm-2024'], why: "whether the simulation modelled engine overheads is not given: vLLM ≥ 0.6's per-step overhead instead of kernels only" },
  },
};

export interface VariedAssumption {
  /** 'scheduler:<name>', 'cost:<name>', 'scenario:<path>' or 'trace:<mapping>'. */
  readonly id: string;
  readonly kind: 'scheduler' | 'cost' | 'scenario' | 'trace';
  readonly name: string;
  readonly defaultValue: AssumptionValue;
  readonly values: readonly AssumptionValue[];
  readonly unit: string;
  readonly why: string;
}

/** The scheduler assumptions varied for a set of schedulers (one entry per name, values deduplicated). */
export function schedulerVariations(entries: readonly SchedulerEntry[]): VariedAssumption[] {
  const byName = new Map<string, VariedAssumption>();
  for (const entry of entries) {
    for (const assumption of entry.assumptions) {
      if (byName.has(assumption.name) || Object.hasOwn(SCHEDULER_EXCLUDED, assumption.name)) continue;
      const given = SCHEDULER_RANGES[assumption.name];
      let values: AssumptionValue[];
      let why: string;
      if (given) {
        values = [...given.values];
        why = given.why;
      } else if (typeof assumption.value === 'boolean') {
        values = [!assumption.value];
        why = 'the other setting';
      } else if (typeof assumption.value === 'string' && assumption.choices) {
        values = assumption.choices.filter((choice) => choice !== assumption.value && !Object.hasOwn(SCHEDULER_EXCLUDED, `${assumption.name}=${choice}`));
        why = 'each other choice';
      } else continue;
      values = values.filter((value) => value !== assumption.value);
      if (values.length === 0) continue;
      byName.set(assumption.name, { id: `scheduler:${assumption.name}`, kind: 'scheduler', name: assumption.name, defaultValue: assumption.value, values, unit: assumption.unit, why });
    }
  }
  return [...byName.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

export function costVariations(): VariedAssumption[] {
  const described = new Map(listAssumptions().map((a) => [a.name as string, a]));
  return Object.keys(COST_RANGES)
    .sort()
    .map((name) => ({
      id: `cost:${name}`,
      kind: 'cost' as const,
      name,
      defaultValue: DEFAULT_COST_ASSUMPTIONS[name as keyof typeof DEFAULT_COST_ASSUMPTIONS],
      values: COST_RANGES[name]!.values,
      unit: described.get(name)?.unit ?? '',
      why: COST_RANGES[name]!.why,
    }));
}
