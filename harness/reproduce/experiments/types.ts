import type { Json } from '../../scenario/patch.js';
import type { AssumptionValue } from '../../schedulers/types.js';
import type { PaperId } from '../paper-id.js';
import type { HashedFile } from '../traces/resolve.js';
import type { DatasetId, TraceSourceId } from '../traces/sources.js';
import type { WorkloadShape } from '../traces/shape.js';


/** Which trace a configuration replays, decided when the plan is built (traces/resolve.ts). */
export interface TraceUse {
  readonly source: TraceSourceId;
  readonly mode: 'recorded' | 'generated';
  /** recorded: the recording's folder or file (portable path); generated: the fitted parameter file. */
  readonly path: string;
  /** Every input file with its sha256 (checked by each case). */
  readonly files: readonly HashedFile[];
  /** Why this mode, in words for the report. */
  readonly why: string;
}

/**
 * One configuration of a paper's grid (one scenario × one trace), as plain data. `group` says
 * which figures use it; `dims` are what charts and tables show (pair, generation cap, model,
 * algorithm, dataset, nodes).
 */
export interface ExperimentConfig {
  readonly id: string;
  readonly paper: PaperId;
  readonly group: string;
  readonly label: string;
  readonly dims: Readonly<Record<string, string | number>>;
  /** Scenario file, relative to the project root. */
  readonly scenario: string;
  /** JSON merge patch over the scenario (with provenance entries for what it changes). */
  readonly scenarioPatch?: { readonly [key: string]: Json };
  readonly dataset: DatasetId;
  readonly trace: TraceUse;
  readonly samplesPerPrompt: number;
  readonly shape: WorkloadShape;
  readonly schedulers: readonly string[];
  /** Schedulers whose first measured iteration's spans are kept for the GPU-timeline chart. */
  readonly timeline?: readonly string[];
  /**
   * This configuration replays another trace in place of the main one's (the HH-RLHF stand-in
   * comparison): the main configuration it stands beside and the trace source it replays.
   */
  readonly standIn?: { readonly replaces: string; readonly source: TraceSourceId };
}

/** One named assumption moved to one value, for the sensitivity analysis. */
export type Perturbation =
  | { readonly kind: 'scheduler'; readonly assumption: string; readonly value: AssumptionValue }
  | { readonly kind: 'cost'; readonly assumption: string; readonly value: number | boolean }
  | { readonly kind: 'scenario'; readonly assumption: string; readonly value: number | string | boolean }
  | { readonly kind: 'trace'; readonly assumption: string; readonly value: string; readonly trace: TraceUse };
