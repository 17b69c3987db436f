import type { SampleGroup } from '../../traces/types.js';
import type { Rng } from '../../util/rng.js';
import { ewma, LengthHistory, reduceGroup, referenceFallback } from './length-history.js';
import type { GroupReduction, PredictorSpec } from './parameters.js';

export interface PredictionSettings {
  readonly predictor: PredictorSpec;
  readonly ewmaWindow: number;
  readonly ewmaAlpha: number;
  readonly groupReduction: GroupReduction;
  /** The scenario's response cap: predictions and observations are capped lengths. */
  readonly capTokens: number;
}

export interface Predictions {
  /** Predicted per-prompt (reduced) response length, one per group, tokens. */
  readonly tokens: Float64Array;
  /** How many groups were predicted from their history, their reference answer, or the batch fallback. */
  readonly fromHistory: number;
  readonly fromReference: number;
  readonly fromFallback: number;
}

/**
 * RLHFless's EWMA predictor (§3.2): a prompt seen before gets the EWMA of its last `window`
 * reduced lengths; a new prompt gets its reference answer's length (the paper's first-epoch
 * fallback) or, when the trace has none, the mean reduced length of the latest earlier iteration,
 * or half the cap before any iteration ran [X].
 */
function ewmaPredictions(groups: readonly SampleGroup[], history: LengthHistory, settings: PredictionSettings): Predictions {
  const tokens = new Float64Array(groups.length);
  let fromHistory = 0;
  let fromReference = 0;
  let fromFallback = 0;
  const fallback = history.latestIterationMeanTokens ?? settings.capTokens / 2;
  groups.forEach((group, g) => {
    const past = history.recent(group.promptId, settings.ewmaWindow);
    if (past.length > 0) {
      tokens[g] = ewma(past, settings.ewmaAlpha);
      fromHistory++;
      return;
    }
    const reference = referenceFallback(group);
    if (reference !== undefined) {
      tokens[g] = reference;
      fromReference++;
    } else {
      tokens[g] = fallback;
      fromFallback++;
    }
  });
  return { tokens, fromHistory, fromReference, fromFallback };
}

function oracleTokens(groups: readonly SampleGroup[], settings: PredictionSettings): Float64Array {
  return Float64Array.from(groups, (group) => reduceGroup(group.responseTokens, settings.groupReduction, settings.capTokens));
}

/** Predicted per-prompt lengths for an iteration's groups under the chosen predictor. */
export function predictLengths(groups: readonly SampleGroup[], history: LengthHistory, settings: PredictionSettings, rng: Rng): Predictions {
  const spec = settings.predictor;
  if (spec.kind === 'oracle') return { tokens: oracleTokens(groups, settings), fromHistory: 0, fromReference: 0, fromFallback: 0 };
  if (spec.kind === 'noisy') {
    // Each prompt independently: its true length with probability `accuracy`, else the true
    // length of a uniformly drawn prompt of the batch — right on average, no ranking information.
    const truth = oracleTokens(groups, settings);
    const draws = rng.fork('noisy-predictor');
    const tokens = new Float64Array(groups.length);
    for (let g = 0; g < groups.length; g++) {
      const exact = draws.next() < spec.accuracy;
      const other = draws.int(groups.length);
      tokens[g] = exact ? truth[g]! : truth[other]!;
    }
    return { tokens, fromHistory: 0, fromReference: 0, fromFallback: 0 };
  }
  const predictions = ewmaPredictions(groups, history, settings);
  if (spec.kind === 'ewma') return predictions;
  // 'none': the same scale as the EWMA predictions, but one value for every prompt (no ranking).
  let sum = 0;
  for (const t of predictions.tokens) sum += t;
  const mean = groups.length > 0 ? sum / groups.length : 0;
  return { ...predictions, tokens: new Float64Array(groups.length).fill(mean) };
}
