import type { SampleGroup, WorkloadIteration } from '../../traces/types.js';
import type { HistoryFold } from '../types.js';
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
 * Every earlier capped length observation of the replay, per prompt id, under both group
 * reductions (RLHFless may reduce a group by its max or its mean; both are kept so the fold reads
 * no scheduler parameter and one state serves every RLHFless variant of a replay). Built one
 * iteration at a time by `lengthObservations`, the replay fold.
 */
export class LengthObservations {
  /** Per prompt: [max, mean, max, mean, …] of its groups, oldest first. */
  private readonly byPrompt = new Map<string, number[]>();
  latestMax: number | undefined;
  latestMean: number | undefined;

  add(iteration: WorkloadIteration, capTokens: number): this {
    let sumMax = 0;
    let sumMean = 0;
    for (const group of iteration.groups) {
      const max = reduceGroup(group.responseTokens, 'max', capTokens);
      const mean = reduceGroup(group.responseTokens, 'mean', capTokens);
      sumMax += max;
      sumMean += mean;
      let list = this.byPrompt.get(group.promptId);
      if (!list) this.byPrompt.set(group.promptId, (list = []));
      list.push(max, mean);
    }
    if (iteration.groups.length > 0) {
      this.latestMax = sumMax / iteration.groups.length;
      this.latestMean = sumMean / iteration.groups.length;
    }
    return this;
  }

  /** The prompt's last `window` observations under `reduction`, oldest first. */
  recent(promptId: string, reduction: GroupReduction, window: number): number[] {
    const list = this.byPrompt.get(promptId);
    if (!list) return [];
    const offset = reduction === 'max' ? 0 : 1;
    const count = list.length / 2;
    const out: number[] = [];
    for (let i = Math.max(0, count - window); i < count; i++) out.push(list[2 * i + offset]!);
    return out;
  }

  get prompts(): number {
    return this.byPrompt.size;
  }
}

/** The replay fold of RLHFless's length history (capped at the scenario's response cap). */
export const lengthObservations: HistoryFold<LengthObservations> = {
  name: 'rlhfless/length-observations',
  scope: 'replay',
  initial: () => new LengthObservations(),
  add: (state, iteration, _result, scenario) => state.add(iteration, scenario.lengths.maxResponseTokens),
};

/**
 * What length prediction may know: for every prompt id, its reduced response length in each
 * earlier iteration of the replay where it occurred, oldest first, plus the mean reduced length of
 * the latest earlier iteration. Read from the replay's explicit history (ReplayHistory), so the
 * prediction of iteration k is a pure function of iterations 0..k−1.
 */
export class LengthHistory {
  private constructor(
    private readonly observations: LengthObservations | undefined,
    private readonly reduction: GroupReduction,
  ) {}

  static empty(): LengthHistory {
    return new LengthHistory(undefined, 'max');
  }

  static of(observations: LengthObservations, reduction: GroupReduction): LengthHistory {
    return new LengthHistory(observations, reduction);
  }

  static fromIterations(previous: readonly WorkloadIteration[], reduction: GroupReduction, capTokens: number): LengthHistory {
    const observations = new LengthObservations();
    for (const iteration of previous) observations.add(iteration, capTokens);
    return new LengthHistory(observations, reduction);
  }

  /** Mean reduced length of the most recent earlier iteration; undefined without history. */
  get latestIterationMeanTokens(): number | undefined {
    return this.reduction === 'max' ? this.observations?.latestMax : this.observations?.latestMean;
  }

  /** The prompt's last `window` observations, oldest first (empty when never seen). */
  recent(promptId: string, window: number): readonly number[] {
    return this.observations ? this.observations.recent(promptId, this.reduction, window) : [];
  }

  get prompts(): number {
    return this.observations?.prompts ?? 0;
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
