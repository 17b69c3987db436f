import type { LoadedModels } from '../cost/catalog/model-reference.js';
import type { ServingEngine } from '../cost/engine-eras.js';

/**
 * A scenario: the cluster, models, algorithm, batch sizes, length caps, parallel layouts, engine
 * limits, price and cost model one replay runs under. Every parameter is a cited fact, a value
 * fitted from a trace, or a named assumption: `provenance` maps each field path (or a parent
 * path) to a string starting with "fact:", "fitted:" or "assumption:", and the loader refuses a
 * scenario with an unexplained field. Times are seconds, sizes tokens, prices USD.
 */

export type AlgorithmKind = 'ppo' | 'grpo';

/** The parallel layout of one task: TP × PP (× CP) GPUs per replica, DP replicas, and its batch size. */
export interface TaskLayout {
  readonly tp: number;
  readonly pp: number;
  readonly dp: number;
  /** Training: sequences per micro-batch. Inference: most sequences per forward batch. */
  readonly microBatchSamples: number;
  /** Added, optional (default 1): expert parallelism, the experts split over the TP × CP × DP GPUs of a stage (Megatron, expert TP 1). */
  readonly ep?: number;
  /** Added, optional (default 1): context parallelism, every sequence split over cp GPUs (ring attention); a replica has tp × pp × cp GPUs. */
  readonly cp?: number;
  /** Added, optional (default 1): virtual pipeline chunks per PP stage (interleaved 1F1B). */
  readonly vpp?: number;
}

export interface ScenarioLayouts {
  readonly actorTrain: TaskLayout;
  readonly criticTrain?: TaskLayout;
  /** Old log-probs recomputed by the actor (veRL, OpenRLHF); absent when the scheduler does not run it. */
  readonly actorInference?: TaskLayout;
  readonly ref: TaskLayout;
  readonly reward?: TaskLayout;
  readonly criticInference?: TaskLayout;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The file it was read from (absent for scenarios built in code). */
  readonly file?: string;
  readonly cluster: {
    /** Catalog GPU id (harness/cost/catalog). */
    readonly gpu: string;
    readonly nodes: number;
    readonly gpusPerNode: number;
    readonly priceUsdPerGpuHour: number;
  };
  readonly models: {
    readonly actor: string;
    /** PPO only. */
    readonly critic?: string;
    readonly ref: string;
    /** Absent for a rule-based reward (e.g. GSM8K answer checking), which costs no GPU time. */
    readonly reward?: string;
  };
  readonly algorithm: {
    readonly kind: AlgorithmKind;
    /** Responses per prompt the run samples (GRPO n); the trace's groups decide what is replayed. */
    readonly samplesPerPrompt: number;
    readonly ppoEpochs: number;
  };
  readonly batch: {
    /** Prompts per iteration (global batch). Traces are re-cut into batches of this many prompts. */
    readonly prompts: number;
    /** Prompts per PPO mini-batch (one optimizer step). */
    readonly miniBatchPrompts: number;
  };
  readonly lengths: {
    readonly maxPromptTokens: number;
    readonly maxResponseTokens: number;
  };
  readonly generation: {
    /** TP degree of one generation instance. */
    readonly tp: number;
    /** Generation instances (vLLM engines / decode actors). */
    readonly instances: number;
    /** vLLM max_num_seqs. */
    readonly maxConcurrentSequences: number;
    /** vLLM gpu_memory_utilization: the share of GPU memory for weights + KV cache. */
    readonly gpuMemoryUtilization: number;
    /** vLLM max_num_batched_tokens: prefill tokens per step. */
    readonly maxBatchedTokens: number;
    /** The n samples of a group prefill their prompt once and share its KV (vLLM n-sampling). */
    readonly promptSharing: boolean;
    /** Added, optional: the engine caches prompt prefixes across requests (default: the engine profile's, engine-eras.ts). */
    readonly prefixCaching?: boolean;
  };
  /** Required when scope is 'iteration'. */
  readonly layout?: ScenarioLayouts;
  readonly costModel: {
    readonly kind: 'roofline';
    /** Calibration file: relative to the scenario file that writes it, or `package:<path>` (scenario/paths.ts). */
    readonly calibration?: string;
    /** Serving-engine era of the simulated system's generation engine (default: the calibration's, 'splitwise-2023'). */
    readonly engine?: ServingEngine;
    /**
     * Framework calibration (fitted on recorded RL runs by `calibrate --runs`): a path written like
     * `calibration`, or 'none' for kernels and named assumptions only. Default: the shipped one,
     * package:harness/cost/calibrations/rl-step-logs.json.
     */
    readonly framework?: string;
    /** Named cost assumptions this run fixes (harness/cost/assumptions.ts), e.g. { "activationRecomputation": false } for a run without gradient checkpointing. */
    readonly assumptions?: Readonly<Record<string, number | string | boolean>>;
  };
  /** 'iteration': the whole RLHF step; 'generation': the generation stage only (RLHFless's 70B simulation). */
  readonly scope: 'iteration' | 'generation';
  /** Per scheduler, values for its named assumptions (by name). */
  readonly schedulerParameters: Readonly<Record<string, Readonly<Record<string, number | string | boolean>>>>;
  /** Field path → "fact: <source>", "fitted: <how>" or "assumption: <why>". */
  readonly provenance: Readonly<Record<string, string>>;
  /**
   * Added, not a file field: the models named by a config.json path in `models` (read by
   * loadScenario, relative to the scenario file), by the path as written.
   */
  readonly modelSpecs?: LoadedModels;
}

export const TASK_LAYOUT_NAMES = ['actorTrain', 'criticTrain', 'actorInference', 'ref', 'reward', 'criticInference'] as const;
export type TaskLayoutName = (typeof TASK_LAYOUT_NAMES)[number];

export function totalGpus(scenario: Scenario): number {
  return scenario.cluster.nodes * scenario.cluster.gpusPerNode;
}

export function samplesPerMiniBatch(scenario: Scenario, samplesPerPrompt: number): number {
  return Math.max(1, Math.round(scenario.batch.miniBatchPrompts * samplesPerPrompt));
}

export type ProvenanceKind = 'fact' | 'fitted' | 'assumption';

/** The provenance entry that explains a field (its own path or the nearest parent path). */
export function provenanceOf(scenario: Scenario, path: string): { path: string; kind: ProvenanceKind; text: string } | undefined {
  let at = path;
  for (;;) {
    const entry = scenario.provenance[at];
    if (entry !== undefined) {
      const match = /^(fact|fitted|assumption):\s*(.*)$/s.exec(entry);
      if (match) return { path: at, kind: match[1] as ProvenanceKind, text: match[2]! };
      return undefined;
    }
    const dot = at.lastIndexOf('.');
    if (dot < 0) return undefined;
    at = at.slice(0, dot);
  }
}

/** Every assumption the scenario states, sorted by path: what reports list and sweeps vary. */
export function scenarioAssumptions(scenario: Scenario): { path: string; why: string }[] {
  return Object.keys(scenario.provenance)
    .sort()
    .flatMap((path) => {
      const match = /^assumption:\s*(.*)$/s.exec(scenario.provenance[path]!);
      return match ? [{ path, why: match[1]! }] : [];
    });
}
