import type { ServingEngine } from '../engine-eras.js';

/**
 * A framework calibration: the few cost-model parameters that no kernel profile shows and that
 * real RL frameworks add — how far a training framework's kernels fall short of the calibrated
 * roofline, its time per micro-batch pass, a serving engine's host time per sequence and step,
 * and the achieved efficiency of a GPU whose kernel efficiencies are borrowed from another family.
 * Fitted on recorded RL training runs only (../shared/research/data/rl-step-logs/) by
 * `rlhf-replay calibrate --runs`, with the in-sample and leave-one-run-out errors it reached and
 * the error bands derived from them.
 */

/** The training engine a scenario's models train and run forwards on. */
export const TRAINING_ENGINES = ['fsdp', 'megatron'] as const;
export type TrainingEngine = (typeof TRAINING_ENGINES)[number];

/** GPU families: kernels of one family behave alike as fractions of their own peaks. */
export const GPU_FAMILIES = ['nvidia-ampere', 'nvidia-ada', 'nvidia-hopper', 'nvidia-blackwell', 'amd-cdna3'] as const;
export type GpuFamily = (typeof GPU_FAMILIES)[number];

/** The cost-model assumptions a framework calibration fits (harness/cost/assumptions.ts says what each means). */
export const FRAMEWORK_PARAMETERS = ['fsdpKernelScale', 'megatronKernelScale', 'fsdpPassOverheadS', 'megatronPassOverheadS', 'decodeSequenceOverheadS', 'decodeTpSyncOverheadS', 'gpuKernelScale'] as const;
export type FrameworkParameterName = (typeof FRAMEWORK_PARAMETERS)[number];

/** Which training engine a parameter describes (the others describe a serving engine or a GPU family). */
export const TRAINING_ENGINE_OF_PARAMETER: Readonly<Partial<Record<FrameworkParameterName, TrainingEngine>>> = {
  fsdpKernelScale: 'fsdp',
  megatronKernelScale: 'megatron',
  fsdpPassOverheadS: 'fsdp',
  megatronPassOverheadS: 'megatron',
};

/**
 * What a parameter value applies to: every simulation (the training-engine parameters, whose
 * engine is in their name: the cost model applies each to the replicas that engine runs), one
 * serving-engine era, or one GPU (the kernel scale of a GPU that borrows another family's
 * kernel efficiencies).
 */
export type FrameworkScope = { readonly all: true } | { readonly servingEngine: ServingEngine } | { readonly gpu: string };

export interface FrameworkParameterValue {
  readonly name: FrameworkParameterName;
  readonly scope: FrameworkScope;
  readonly value: number;
  /** Recorded runs whose steps informed it (its scope's runs in the fit). */
  readonly runs: readonly string[];
}

/** Error of one stage kind over a set of compared steps: log-ratios ln(simulated / measured). */
export interface StageErrorSummary {
  readonly n: number;
  readonly medianAbsErrorPct: number;
  readonly p90AbsErrorPct: number;
  /** The 80 % band of ln(simulated / measured): split-conformal order statistics of the compared rows (harness/stats/conformal-band.ts). */
  readonly bandLogRatioLow: number;
  readonly bandLogRatioHigh: number;
  /** False when too few rows for the order statistics (the band is then their range). */
  readonly bandGuaranteed: boolean;
}

export interface FrameworkCalibration {
  readonly kind: 'framework-calibration';
  readonly description: string;
  readonly parameters: readonly FrameworkParameterValue[];
  /** What was fitted on: files, runs, steps, method. */
  readonly fit: {
    readonly sources: readonly string[];
    readonly runs: readonly string[];
    readonly steps: number;
    readonly stages: readonly string[];
    readonly method: string;
    readonly command: string;
  };
  /** Per stage kind: errors of the fitted model on the steps it was fitted on. */
  readonly inSample: Readonly<Record<string, StageErrorSummary>>;
  /** Per stage kind: errors on each run predicted by a fit that did not see it. */
  readonly leaveOneRunOut: Readonly<Record<string, StageErrorSummary>>;
  /**
   * For every run the fit saw: the parameter values fitted without it. Predicting a step of that
   * run with these (never with `parameters`) keeps every comparison on recorded runs out of sample.
   */
  readonly folds: readonly { readonly heldOutRun: string; readonly parameters: readonly FrameworkParameterValue[] }[];
  /** Share of left-out measurements inside the 80 % band built from the other runs' errors. */
  readonly bandCoverage: Readonly<Record<string, { readonly n: number; readonly inside: number }>>;
  /** What the fit covered, so a prediction outside it can say so and widen its band. */
  readonly covered: {
    readonly gpuFamilies: readonly GpuFamily[];
    readonly trainingEngines: readonly TrainingEngine[];
    readonly servingEngines: readonly ServingEngine[];
    readonly modelParametersB: readonly [number, number];
    readonly gpus: readonly [number, number];
  };
  readonly notes: readonly string[];
}
