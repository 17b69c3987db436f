import type { Scenario } from '../scenario/scenario.js';
import type { IterationResult } from '../sim/types.js';
import type { WorkloadIteration } from '../traces/types.js';
import type { HistoryFold, ReplayHistory, SchedulerEntry } from './types.js';

/**
 * The replay histories of a set of schedulers: one state per 'scheduler' fold per scheduler, one
 * per 'replay' fold for all of them. After an iteration has run through every scheduler, `add`
 * folds it in; `of(name)` is what that scheduler's next call sees. Nothing else of the replay is
 * kept, so memory does not grow with the number of iterations (beyond what a fold itself keeps).
 */
export class ReplayHistories {
  private readonly own = new Map<string, Map<HistoryFold<unknown>, unknown>>();
  private readonly shared = new Map<HistoryFold<unknown>, unknown>();
  private replayed = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly entries: readonly SchedulerEntry[],
  ) {
    for (const entry of entries) {
      const states = new Map<HistoryFold<unknown>, unknown>();
      for (const fold of entry.history ?? []) {
        if (fold.scope === 'scheduler') states.set(fold, fold.initial());
        else if (!this.shared.has(fold)) this.shared.set(fold, fold.initial());
      }
      this.own.set(entry.name, states);
    }
  }

  /** What scheduler `name`'s next call may know. */
  of(name: string): ReplayHistory {
    const states = this.own.get(name);
    if (!states) throw new Error(`replay history: no scheduler '${name}'`);
    const shared = this.shared;
    return {
      replayed: this.replayed,
      state<S>(fold: HistoryFold<S>): S {
        const f = fold as HistoryFold<unknown>;
        if (states.has(f)) return states.get(f) as S;
        if (shared.has(f)) return shared.get(f) as S;
        throw new Error(`replay history: scheduler '${name}' does not declare the fold '${fold.name}'`);
      },
    };
  }

  /** Folds in one replayed iteration, with each scheduler's result for it where there is one (by name). */
  add(iteration: WorkloadIteration, results: ReadonlyMap<string, IterationResult>): void {
    for (const [fold, state] of this.shared) this.shared.set(fold, fold.add(state, iteration, undefined, this.scenario));
    for (const entry of this.entries) {
      const states = this.own.get(entry.name)!;
      for (const [fold, state] of states) states.set(fold, fold.add(state, iteration, results.get(entry.name), this.scenario));
    }
    this.replayed++;
  }
}

/**
 * The history a scheduler would see after replaying `previousIterations` (with its own
 * `previousResults` for them, where the caller has them): for tests and benchmarks that call
 * one scheduler on a later iteration directly.
 */
export function historyAfter(
  entry: SchedulerEntry,
  scenario: Scenario,
  previousIterations: readonly WorkloadIteration[],
  previousResults: readonly IterationResult[] = [],
): ReplayHistory {
  const histories = new ReplayHistories(scenario, [entry]);
  previousIterations.forEach((iteration, i) => {
    const result = previousResults[i];
    histories.add(iteration, result ? new Map([[entry.name, result]]) : new Map());
  });
  return histories.of(entry.name);
}
