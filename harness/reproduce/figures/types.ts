import type { FigureScope } from '../compare.js';
import type { PaperId } from '../paper-id.js';
import type { ConfigEstimate, Estimate } from '../../stats/estimate.js';
import type { EstimateBook } from './book.js';
import type { DecompositionSpec } from './decomposition.js';

/**
 * How one published figure is re-derived from simulated mechanisms. A computation knows which
 * configurations, schedulers and metric it uses and how it aggregates them — never the published
 * number (only compare.ts reads those).
 */
export interface FigureComputation {
  readonly id: string;
  readonly paper: PaperId;
  /** Gets its own tornado chart. */
  readonly headline: boolean;
  /** A system figure, or a deterministic schedule-search outcome (counted apart in the headline). */
  readonly scope: FigureScope;
  /** How it is reproduced, in words (the report's "reproduced as" column). */
  readonly how: string;
  /** The configurations and schedulers its sensitivity analysis re-runs (empty: not analysed, with `noSensitivity`). */
  readonly probe: { readonly configs: readonly string[]; readonly schedulers: readonly string[] };
  readonly noSensitivity?: string;
  /**
   * How the figure splits into what serverless billing alone gives and what each technique adds
   * (figures/decomposition.ts), or why it does not split (`none`). RLHFless figures only.
   */
  readonly decomposition?: DecompositionSpec | { readonly none: string };
  /** The figure from the book's estimates (the book holds the data). */
  compute(book: EstimateBook): FigureOutcome;
}

export type FigureOutcome =
  | {
      readonly ok: true;
      readonly estimate: Estimate;
      /** Per configuration, when the figure aggregates several. */
      readonly perConfig: readonly ConfigEstimate[];
      /** Which configuration a best/worst case came from. */
      readonly selected?: string;
      /** Facts from the simulation that explain the number (stage shares, bounds), for a miss's reason. */
      readonly context?: string;
    }
  | { readonly ok: false; readonly reason: string };
