import type { SampleGroup, WorkloadIteration } from '../../traces/types.js';
import type { HistoryFold, ReplayHistory } from '../types.js';

/**
 * How an asynchronous pipeline's steady state is simulated within one scheduler call.
 *
 * A disaggregated pipeline spans iterations: the rollouter generates the next batches while the
 * trainer trains this one, and samples, the message queue and the staleness budget carry over
 * from one parameter version to the next. A scheduler call is pure (same inputs, same result), so
 * instead of carrying engine state between calls each call simulates a window of the replay from
 * a cold start:
 *
 *   warm-up iterations  |  the measured iteration  |  lookahead
 *
 * - warm-up: the `warmUp` iterations replayed before this one (the newest ones of the replay
 *   history), so the measured step starts from the state those left; where the replay has fewer
 *   (its first iterations) the current iteration stands in for the missing ones;
 * - the measured iteration: the result reports the trainer's time from the end of the update that
 *   completes the warm-up prompts to the end of the update that completes the measured prompts
 *   (each with the weight sync it triggers), and what was trained and generated in between;
 * - lookahead: the dataset goes on after the measured iteration, so the rollouter keeps generating
 *   while the trainer trains the measured prompts. A call cannot see the replay's next iteration,
 *   so copies of the current iteration stand in for it (enough prompts for the rollouter never to
 *   run dry before the window ends).
 *
 * The cost is (warm-up + 1 + lookahead) iterations of simulation per call; the window is stated
 * in every result's notes.
 */
export type WindowPart = 'warm-up' | 'measured' | 'lookahead';

export interface AsyncWindow {
  /** All the window's prompt groups in dataset order, group ids made unique: one workload the pipeline streams. */
  readonly combined: WorkloadIteration;
  /** Per combined group, the window part it belongs to. */
  readonly part: readonly WindowPart[];
  readonly warmUpPrompts: number;
  readonly measuredPrompts: number;
  /** How many of the warm-up iterations are the replay's own (the rest are stand-ins). */
  readonly warmUpFromReplay: number;
  readonly lookaheadCopies: number;
  readonly notes: readonly string[];
}

/** The most warm-up iterations a window takes (warm-up-iterations' range). */
export const MAX_WARM_UP_ITERATIONS = 4;

/**
 * The replay's newest iterations (at most MAX_WARM_UP_ITERATIONS, newest last): the only history
 * the asynchronous schedulers read. A 'replay' fold, so both schedulers share one state.
 */
export const recentIterationsFold: HistoryFold<WorkloadIteration[]> = {
  name: 'recent-iterations',
  scope: 'replay',
  initial: () => [],
  add(state, iteration) {
    state.push(iteration);
    if (state.length > MAX_WARM_UP_ITERATIONS) state.shift();
    return state;
  },
};

/** The iterations replayed before this one, newest last (at most `count`). */
export function recentIterations(history: ReplayHistory | undefined, count: number): readonly WorkloadIteration[] {
  if (!history || count <= 0) return [];
  const previous = history.state(recentIterationsFold);
  return previous.slice(Math.max(0, previous.length - count));
}

function relabel(groups: readonly SampleGroup[], label: string): SampleGroup[] {
  return groups.map((group) => ({ ...group, groupId: `${label}:${group.groupId}` }));
}

export function asyncWindow(iteration: WorkloadIteration, history: ReplayHistory | undefined, warmUp: number, lookaheadPrompts: number): AsyncWindow {
  const fromReplay = recentIterations(history, warmUp);
  const standIns = warmUp - fromReplay.length;
  const warmUpIterations: WorkloadIteration[] = [...Array.from({ length: standIns }, () => iteration), ...fromReplay];
  const prompts = iteration.groups.length;
  const lookaheadCopies = prompts === 0 ? 0 : Math.max(1, Math.ceil(lookaheadPrompts / prompts));
  const groups: SampleGroup[] = [];
  const part: WindowPart[] = [];
  let warmUpPrompts = 0;
  warmUpIterations.forEach((it, k) => {
    groups.push(...relabel(it.groups, `warm-up-${k}`));
    for (let i = 0; i < it.groups.length; i++) part.push('warm-up');
    warmUpPrompts += it.groups.length;
  });
  groups.push(...relabel(iteration.groups, 'measured'));
  for (let i = 0; i < prompts; i++) part.push('measured');
  for (let k = 0; k < lookaheadCopies; k++) {
    groups.push(...relabel(iteration.groups, `lookahead-${k}`));
    for (let i = 0; i < prompts; i++) part.push('lookahead');
  }
  const notes: string[] = [];
  if (standIns > 0) notes.push(`steady state: ${standIns} of the ${warmUp} warm-up iterations are copies of this one (the replay has ${fromReplay.length} before it)`);
  notes.push(`steady state: simulated ${warmUp} warm-up iteration(s), this one, then ${lookaheadCopies} cop${lookaheadCopies === 1 ? 'y' : 'ies'} of it as the dataset that follows (async-window.ts)`);
  return {
    combined: { iteration: iteration.iteration, ...(iteration.epoch !== undefined ? { epoch: iteration.epoch } : {}), groups },
    part,
    warmUpPrompts,
    measuredPrompts: prompts,
    warmUpFromReplay: fromReplay.length,
    lookaheadCopies,
    notes,
  };
}
