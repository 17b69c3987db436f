import type { IterationResult } from '../../sim/types.js';
import type { HistoryFold } from '../types.js';

/**
 * Pre-warming (RLHFless §2): a function's next start is predicted from the shortest execution
 * time seen in earlier steps plus a fixed buffer, and its container is started so that it is warm
 * by then. Read as a chain [X]: the function that follows P is predicted to be needed at
 * P's start + P's shortest earlier execution time + buffer (generation counts from the step's
 * start; the next step's decode actors follow the learner, i.e. the step boundary). The history
 * is the scheduler's own earlier results, folded by the replay (`prewarmHistory`): every step records each
 * function's execution time (counters `prewarm.exec_s.<function>`) and how many decode actors it
 * ran — so the scheduler itself keeps no state.
 */
export const EXEC_COUNTER_PREFIX = 'prewarm.exec_s.';
export const DECODE_ACTORS_COUNTER = 'decode_actors';

export class PrewarmHistory {
  private constructor(
    private readonly shortestExecS: ReadonlyMap<string, number>,
    /** Decode actors of the latest earlier step: how many were kept warm for this one. */
    readonly warmDecodeActors: number,
    /** Whether any earlier step ran (the step boundary is then predictable). */
    readonly hasHistory: boolean,
  ) {}

  static empty(): PrewarmHistory {
    return new PrewarmHistory(new Map(), 0, false);
  }

  static fromResults(previous: readonly IterationResult[] | undefined): PrewarmHistory {
    let history = PrewarmHistory.empty();
    for (const result of previous ?? []) history = history.after(result);
    return history;
  }

  /** The history once `result` is one of the earlier steps (the map is updated in place: a fold's state is owned by its replay). */
  after(result: IterationResult): PrewarmHistory {
    const shortest = this.shortestExecS as Map<string, number>;
    for (const [key, value] of Object.entries(result.counters)) {
      if (!key.startsWith(EXEC_COUNTER_PREFIX)) continue;
      const name = key.slice(EXEC_COUNTER_PREFIX.length);
      shortest.set(name, Math.min(shortest.get(name) ?? Infinity, value));
    }
    return new PrewarmHistory(shortest, result.counters[DECODE_ACTORS_COUNTER] ?? 0, true);
  }

  /** Shortest earlier execution time of a function; undefined when it never ran before. */
  shortestExecutionS(name: string): number | undefined {
    return this.shortestExecS.get(name);
  }

  /** Predicted need of the function that follows `predecessor`, which started at `predecessorStartS`; undefined without history. */
  predictedNeedAfterS(predecessor: string, predecessorStartS: number, bufferS: number): number | undefined {
    const shortest = this.shortestExecS.get(predecessor);
    return shortest === undefined ? undefined : predecessorStartS + shortest + bufferS;
  }
}

/** The scheduler fold of pre-warming: the scheduler's own earlier results (an iteration without one changes nothing). */
export const prewarmHistory: HistoryFold<PrewarmHistory> = {
  name: 'rlhfless/prewarm',
  scope: 'scheduler',
  initial: () => PrewarmHistory.empty(),
  add: (state, _iteration, result) => (result ? state.after(result) : state),
};

export interface InvocationInput {
  /** When the function's inputs are ready (its actual need). */
  readonly neededAtS: number;
  /** When its GPUs are free (released by whatever ran there before). */
  readonly gpusFreeAtS: number;
  /** Container + runtime start; 0 for a function that stays warm (co-located with the learner). */
  readonly coldStartS: number;
  /** Weights (and optimizer state) onto the GPUs. */
  readonly loadS: number;
  /** Predicted need time (pre-warming); undefined: started on demand. */
  readonly predictedNeedS: number | undefined;
}

export interface InvocationTiming {
  /** GPUs allocated (billing starts). */
  readonly allocateS: number;
  readonly loadStartS: number;
  readonly loadEndS: number;
  /** When it starts its work. */
  readonly runStartS: number;
}

/**
 * When a function is allocated and starts [X: the paper gives no timings]. The container starts
 * ahead of time when pre-warmed (predicted need − load − cold start; this part holds no GPU), or
 * on demand at the need. GPUs are allocated at the planned load start (predicted need − load), or
 * at the need if that comes first, and never before they are free; the load starts once both the
 * GPUs and the container are ready. A late prediction therefore costs waiting with GPUs held, an
 * early one (negative buffer) idle GPUs held before the need — both billed.
 */
export function invocationTiming(input: InvocationInput): InvocationTiming {
  const { neededAtS, gpusFreeAtS, coldStartS, loadS, predictedNeedS } = input;
  const containerStartS = predictedNeedS === undefined ? neededAtS : Math.min(predictedNeedS - loadS - coldStartS, neededAtS);
  const containerReadyS = containerStartS + coldStartS;
  const plannedLoadStartS = predictedNeedS === undefined ? neededAtS : predictedNeedS - loadS;
  const allocateS = Math.max(gpusFreeAtS, Math.min(plannedLoadStartS, neededAtS));
  const loadStartS = Math.max(allocateS, containerReadyS);
  const loadEndS = loadStartS + loadS;
  return { allocateS, loadStartS, loadEndS, runStartS: Math.max(neededAtS, loadEndS) };
}
