import { withoutReplicates, type ConfigEstimate, type EstimateOptions } from '../../stats/estimate.js';
import type { ExperimentConfig } from '../experiments/types.js';
import type { TraceSourceId } from '../traces/sources.js';
import { EstimateBook } from './book.js';
import { FigureData, type RunRows } from './data.js';
import type { FigureComputation, FigureOutcome } from './types.js';

/**
 * A paper's figures recomputed on its grid replayed with another trace (the HH-RLHF stand-in
 * comparison): each stand-in configuration takes the place of the main configuration it names,
 * and the figure's own computation runs on a book of those runs — the same aggregation, the same
 * estimators, another trace. Figures that need runs the stand-in grid lacks (the threshold curve)
 * come out as not computed, with their reason.
 */
export interface StandInFigures {
  readonly source: TraceSourceId;
  readonly figures: readonly { readonly id: string; readonly outcome: FigureOutcome }[];
}

function strip(outcome: FigureOutcome): FigureOutcome {
  if (!outcome.ok) return outcome;
  return { ...outcome, estimate: withoutReplicates(outcome.estimate), perConfig: outcome.perConfig.map((e) => withoutReplicates(e) as ConfigEstimate) };
}

export function standInFigures(source: TraceSourceId, runs: readonly RunRows[], computations: readonly FigureComputation[], options: EstimateOptions, mainGroup: string): StandInFigures {
  const replaced: RunRows[] = runs
    .filter((run) => run.config.standIn?.source === source)
    .map((run) => {
      const { standIn, ...config } = run.config;
      const main: ExperimentConfig = { ...config, id: standIn!.replaces, group: mainGroup };
      return { ...run, config: main };
    });
  const book = new EstimateBook(new FigureData(replaced, []), { ...options, seed: `${options.seed}/stand-in/${source}` });
  return { source, figures: computations.map((figure) => ({ id: figure.id, outcome: strip(figure.compute(book)) })) };
}
