import type { CollectiveKey, LinkParameters } from '../collectives.js';
import type { KernelClass, KernelEfficiency } from '../operators.js';

/**
 * A calibration: achieved efficiencies and overheads fitted from GPU profiles, per device, with
 * the provenance of every fitted group. Only fitted groups are stored; the cost model fills the
 * rest from the GPU's calibrationAlias or from the named default assumptions, and says which.
 */

export const CALIBRATION_SCHEMA = 'rlhf-replay.calibration/1';

/** Closed intervals of the keys the fitted rows covered; queries outside are counted as out of range. */
export interface ParameterRange {
  readonly tokens?: readonly [number, number];
  readonly batch?: readonly [number, number];
  /** Context tokens per sequence. */
  readonly contextTokens?: readonly [number, number];
  readonly bytes?: readonly [number, number];
  readonly workers?: readonly [number, number];
  readonly tp?: readonly [number, number];
}

export interface FitRecord {
  /** Profile files the rows came from, relative to the shared data folder when under it. */
  readonly sources: readonly string[];
  readonly rows: number;
  /** Distinct measured configurations (repeats of one configuration count once). */
  readonly configurations: number;
  readonly models: readonly string[];
  readonly ops: readonly string[];
  readonly inSampleMedianApePct: number;
  readonly range: ParameterRange;
  /** Which fields of the group were fitted; the others are named default assumptions. */
  readonly fittedFields?: readonly string[];
}

export type FittedKernel = KernelEfficiency & { readonly fit: FitRecord };
export type FittedLink = LinkParameters & { readonly fit: FitRecord };

/** Serving-engine costs of one decode step beyond its kernels (scheduling, sampling, launches, TP sync). */
export interface DecodeEngineParameters {
  readonly stepOverheadS: number;
  readonly perSequenceS: number;
  readonly perLayerS: number;
  /** Per layer and per additional TP rank: synchronisation the NCCL micro-benchmarks do not show. */
  readonly perLayerPerTpPeerS: number;
}

/** Serving-engine costs of one prefill batch beyond its kernels. */
export interface PrefillEngineParameters {
  readonly overheadS: number;
  readonly perSequenceS: number;
  readonly perLayerS: number;
  /** Multiplier on the layer's linear kernels (the engine's GEMMs may be slower than the profiled ones). */
  readonly kernelScale: number;
  /**
   * Share of attention computed over the whole packed batch (N² for N tokens) rather than per
   * sequence (Σ length²): 0 for a varlen/flash kernel, 1 for an engine that attends over the
   * concatenated prompts with a mask. SplitwiseSim's engine prefills a batch of 16 × 512 tokens in
   * the time of one 8,192-token prompt, which only a packed attention explains.
   */
  readonly packedAttentionFraction: number;
}

export type FittedDecode = DecodeEngineParameters & { readonly fit: FitRecord };
export type FittedPrefill = PrefillEngineParameters & { readonly fit: FitRecord };

export interface DeviceCalibration {
  readonly kernels?: Readonly<Partial<Record<KernelClass, FittedKernel>>>;
  readonly collectives?: Readonly<Partial<Record<CollectiveKey, FittedLink>>>;
  readonly decode?: FittedDecode;
  readonly prefill?: FittedPrefill;
}

export interface CalibrationSource {
  readonly file: string;
  readonly format: string;
  readonly rows: number;
  readonly provenance: readonly string[];
}

export interface CalibrationProvenance {
  readonly sources: readonly CalibrationSource[];
  readonly fitMethod: string;
  /** When the data were recorded or snapshotted, as the sources say (e.g. from their SOURCE.md). */
  readonly dataDates: readonly string[];
  readonly generatedBy: string;
  readonly notes: readonly string[];
}

export interface Calibration {
  readonly schema: typeof CALIBRATION_SCHEMA;
  readonly description: string;
  readonly provenance: CalibrationProvenance;
  /** Keyed by catalog GPU id, sorted. */
  readonly devices: Readonly<Record<string, DeviceCalibration>>;
}
