import type { SampleGroup, WorkloadIteration } from '../../traces/types.js';
import type { GroupReduction } from './parameters.js';

/** A group's response lengths (each capped at `capTokens`) as one per-prompt value. */
export function reduceGroup(responseTokens: readonly number[], reduction: GroupReduction, capTokens: number): number {
  if (responseTokens.length === 0) return 0;
  let max = 0;
  let sum = 0;
  for (const raw of responseTokens) {
    const tokens = Math.min(capTokens, Math.max(0, Math.round(raw)));
    if (tokens > max) max = tokens;
    sum += tokens;
  }
  return reduction === 'max' ? max : sum / responseTokens.length;
}

/**
 * What length prediction may know: for every prompt id, its reduced response length in each
 * earlier iteration of the replay where it occurred, oldest first, plus the mean reduced length of
 * the latest earlier iteration. Built from the replay's explicit history (ReplayHistory), so the
 * prediction of iteration k is a pure function of iterations 0..k−1.
 */
export class LengthHistory {
  private constructor(
    private readonly byPrompt: ReadonlyMap<string, readonly number[]>,
    /** Mean reduced length of the most recent earlier iteration; undefined without history. */
    readonly latestIterationMeanTokens: number | undefined,
  ) {}

  static empty(): LengthHistory {
    return new LengthHistory(new Map(), undefined);
  }

  static fromIterations(previous: readonly WorkloadIteration[], reduction: GroupReduction, capTokens: number): LengthHistory {
    const byPrompt = new Map<string, number[]>();
    let latestMean: number | undefined;
    for (const iteration of previous) {
      let sum = 0;
      for (const group of iteration.groups) {
        const value = reduceGroup(group.responseTokens, reduction, capTokens);
        sum += value;
        let list = byPrompt.get(group.promptId);
        if (!list) byPrompt.set(group.promptId, (list = []));
        list.push(value);
      }
      if (iteration.groups.length > 0) latestMean = sum / iteration.groups.length;
    }
    return new LengthHistory(byPrompt, latestMean);
  }

  /** The prompt's last `window` observations, oldest first (empty when never seen). */
  recent(promptId: string, window: number): readonly number[] {
    const list = this.byPrompt.get(promptId);
    if (!list) return [];
    return list.length <= window ? list : list.slice(list.length - window);
  }

  get prompts(): number {
    return this.byPrompt.size;
  }
}

/** EWMA over observations oldest first: s = v₁, then s ← α·v + (1 − α)·s. Window 1 is the last value. */
export function ewma(values: readonly number[], alpha: number): number {
  let s = values[0]!;
  for (let i = 1; i < values.length; i++) s = alpha * values[i]! + (1 - alpha) * s;
  return s;
}

/** The first-epoch fallback of one group: its reference answer's length, when the trace has it. */
export function referenceFallback(group: SampleGroup): number | undefined {
  return group.referenceAnswerTokens !== undefined && group.referenceAnswerTokens >= 0 ? group.referenceAnswerTokens : undefined;
}
