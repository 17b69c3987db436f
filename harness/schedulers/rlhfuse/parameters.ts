import { ADMISSION_WATERMARK, booleanParameter, choiceParameter, numberParameter } from '../parameters/index.js';

/**
 * RLHFuse's parameters (papers/rlhfuse.md §9 lists what the paper leaves open), in three groups:
 * RLHFuse-Base's low-level choices, which every RLHFuse entry reads; the inter-stage fusion's
 * (generation ⊕ inference, §2); the intra-stage fusion's (actor ‖ critic training, §3). Each
 * registry entry composes the groups of what it runs, so an ablation declares (and a scenario
 * may set) no parameter of the fusion it lacks. Every one is a value the paper does not give;
 * each says what it decides and why this value. The single-choice rules (`kv-transfer`,
 * `fused-layout`, `search-reference-sequence`, `fused-update`) name the one mechanism modelled,
 * so that reports list it.
 */

export const rlhfuseBaseParameters = {
  admissionWatermark: { ...ADMISSION_WATERMARK, why: `${ADMISSION_WATERMARK.why}; RLHFuse's in-house engine is not described, so vLLM's default is assumed` },
  promptAssignment: choiceParameter({
    name: 'prompt-assignment',
    default: 'contiguous',
    unit: 'policy',
    why: 'how RLHFuse assigns prompts to generation instances is not described (RLHFuse §9 item 6); contiguous equal shares',
    choices: ['contiguous', 'round-robin'],
  }),
  frozenModelsInHostMemory: booleanParameter({
    name: 'frozen-models-in-host-memory',
    default: true,
    why: 'RLHFuse keeps Ref/Reward weights in CPU memory and loads them for inference (RLHFuse §4); whether the load is on the critical path is not said (§9 item 8) — here it is',
  }),
};

export const interStageParameters = {
  migrationThreshold: numberParameter({
    name: 'migration-threshold',
    default: 0.2,
    unit: 'fraction of the batch still unfinished',
    why:
      'migration fires when the unfinished samples fall to this share of the batch. Set it (in the scenario, or with `sweep --param migration-threshold`) and it is used in every iteration; ' +
      'leave it unset and it is tuned per iteration by offline simulation over the previous iterations (RLHFuse §2.7), and this value is then only used when first-iteration-threshold says so. ' +
      '0.2 is the optimum the paper reports for its own setup (§2.7), not a tuned value',
    range: [0, 1],
  }),
  firstIterationThreshold: choiceParameter({
    name: 'first-iteration-threshold',
    default: 'half-capacity',
    unit: 'rule',
    why:
      'no length history exists before the first iteration (§9 item 7). half-capacity: the threshold at which constraint (a) lets half the instances go, ' +
      '⌊instances/2⌋ × flat-batch limit (at the prompt caps) ÷ batch samples — it uses the batch size, the layout and the cost model, never lengths. paper-optimum: migration-threshold as given (0.2)',
    choices: ['half-capacity', 'paper-optimum'],
  }),
  thresholdGridStep: numberParameter({
    name: 'threshold-grid-step',
    default: 0.025,
    unit: 'fraction of the batch',
    why: 'the offline tuner simulates generation + inference of the previous iteration at every multiple of this step from 0 to 1 and keeps the fastest (ties: the smaller threshold); the paper does not say how it searches (§9 item 7)',
    range: [0.005, 0.25],
  }),
  retuneDriftKs: numberParameter({
    name: 'retune-drift-ks',
    default: 0.1,
    unit: 'two-sample KS distance of response lengths',
    why:
      'lengths drift during RLHF, so the threshold is re-tuned (§2.7; how often is not given, §9 item 7): re-tuned on the latest iteration when its lengths differ from those the current threshold was tuned on by more than this KS distance ' +
      '(two same-law samples of 512 differ by ≈ 0.085 at the 5 % level); 0 re-tunes every iteration',
    range: [0, 1],
  }),
  flatBatchTolerance: numberParameter({
    name: 'flat-batch-tolerance',
    default: 0.25,
    unit: 'fraction above the batch-1 decode step',
    why:
      'constraint (a): the flat-batch limit is the largest batch whose decode step, every sequence at the unfinished samples’ mean context, costs at most (1 + this) × the step of one such sequence — where the step "stops being roughly flat" (§2.3a; the paper gives no number, §9 item 7)',
    range: [0.01, 4],
  }),
  kvReservation: choiceParameter({
    name: 'kv-reservation',
    default: 'current-context',
    unit: 'policy',
    why:
      "constraint (b): KV tokens reserved per unfinished sample when sizing the survivors. current-context: prompt + tokens generated so far (the paper's wording: the survivors' memory holds the migrated KV); " +
      'max-length: prompt + the response cap (no preemption even if every sample runs to the cap). The engine preempts and recomputes if memory runs out either way',
    choices: ['current-context', 'max-length'],
  }),
  survivorWorkProxy: choiceParameter({
    name: 'survivor-work-proxy',
    default: 'resident-kv-tokens',
    unit: 'policy',
    why:
      'the paper keeps the instances with the most remaining work so that the least data moves (§2.4) but names no measure (§9 item 7). resident-kv-tokens: the KV an instance holds (what migrating it would move; observable); ' +
      'unfinished-samples: its unfinished count; oracle-remaining-tokens: the true tokens left (uses the recorded lengths — an upper-bound ablation, not implementable). ' +
      'Each migrated sequence goes to the survivor with the least KV reserved so far (largest sequences first), which keeps the survivors’ batches even',
    choices: ['resident-kv-tokens', 'unfinished-samples', 'oracle-remaining-tokens'],
  }),
  kvTransfer: choiceParameter({
    name: 'kv-transfer',
    default: 'per-gpu-nic',
    unit: 'model',
    why:
      'KV migration cost (§2.5, RDMA): every GPU of an instance holds its TP shard of the KV and sends it over its own NIC (GPUDirect RDMA, 8 × 200 Gbps per node) or NVLink when both instances share a node; ' +
      'all transfers start at the trigger and one ends when the busier of its two ends (all bytes leaving the source, all arriving at the destination) has moved its bytes; the destination keeps decoding meanwhile',
    choices: ['per-gpu-nic'],
  }),
  inferenceSplit: choiceParameter({
    name: 'inference-split',
    default: 'work-proportional',
    unit: 'policy',
    why:
      'how freed GPUs are split among ref / reward / critic (§9 item 8): each freed instance serves one model; instances are dealt, in the order they are freed, to the model furthest below its target share. ' +
      "work-proportional: shares ∝ each model's forward time for the same tokens on its own layout (the cost model's); equal: one third each",
    choices: ['work-proportional', 'equal'],
  }),
  frozenWeightsLoad: choiceParameter({
    name: 'frozen-weights-load',
    default: 'after-release',
    unit: 'policy',
    why:
      'whether loading weights onto a freed instance is on its critical path (§9 item 8): after-release: ref/reward weights come from host memory (when frozen-models-in-host-memory) and the critic is resharded from its training layout once the instance is freed, before its first forward; ' +
      'prefetched: the copies overlap generation and cost no time',
    choices: ['after-release', 'prefetched'],
  }),
  releaseDrainedInstances: booleanParameter({
    name: 'release-drained-instances',
    default: false,
    why: 'whether an instance that runs out of samples before the threshold is handed to inference at once; the paper hands GPUs over at migration (§2.6), so by default a drained instance waits for the trigger',
  }),
};

export const intraStageParameters = {
  fusedLayout: choiceParameter({
    name: 'fused-layout',
    default: 'keep-tp',
    unit: 'rule',
    why:
      'how the two training layouts share stage slots (§3.2, fusion factors K1, K2; §9 item 9): each model keeps its scenario layout (RLHFuse picks per-task strategies before fusing, §4); a slot is as wide as the wider TP group and holds slot / TP pipelines of the narrower model side by side, in lockstep; ' +
      'the model with more pipeline stages is the large one (one bundle per fused group, downward), the other runs as PP_L / PP_S upward bundles. Layouts that cannot share slots (different GPU counts, PP_S not dividing PP_L) train unfused, with a note. ' +
      'Pipeline sends cost the larger of the two models’ activation sends',
    choices: ['keep-tp'],
  }),
  fusedSearchEvaluations: numberParameter({
    name: 'fused-search-evaluations',
    default: 20_000,
    unit: 'schedule evaluations',
    why:
      'budget of the offline fused-schedule search (greedy + constructions, annealing, memory pass), once per pipeline shape per run and reused for every mini-batch; deterministic (an evaluation count, not a clock). ' +
      'On the shipped testbeds the constructions already reach (or come within 0.1 % of) the latency lower bound, so 0, 20 000, 200 000 and 2 000 000 give the same iteration time to 0.2 %',
    range: [0, 100_000_000],
    integer: true,
  }),
  searchReferenceSequence: choiceParameter({
    name: 'search-reference-sequence',
    default: 'half-caps',
    unit: 'rule',
    why: 'stage times the offline search is run with (the schedule is then evaluated with each mini-batch’s own times): every sequence (max prompt + max response) / 2 tokens long',
    choices: ['half-caps'],
  }),
  trainingMemoryReserveGib: numberParameter({
    name: 'training-memory-reserve-gib',
    default: 3,
    unit: 'GiB per GPU',
    why: "memory cap of the fused schedule = GPU memory − both models' training state on the GPU (bf16 weights and gradients, Adam state sharded over DP) − this reserve (CUDA context, NCCL/cuBLAS workspaces; the cost model's runtime overhead figure); the paper gives no cap (§3.3)",
    range: [0, 64],
  }),
  fusedUpdate: choiceParameter({
    name: 'fused-update',
    default: 'serial',
    unit: 'rule',
    why: "after a mini-batch's fused forward/backward, both models' gradient syncs and optimizer steps run one after the other, as in the unfused baseline (the paper fuses only F and B)",
    choices: ['serial'],
  }),
};
