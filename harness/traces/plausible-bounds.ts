/**
 * Plausibility bounds on the values an input may hold: the one place that says how large a token
 * count, a duration or a count can be before it is an error in the file (a unit mix-up, a parser
 * writing garbage, an overflowed counter) rather than a measurement. A value above its bound is an
 * InputError naming the bound and its reason; without these, `response_tokens` of 1e20 validated
 * and poisoned every statistic, and a prefill of 1e300 ms pushed the calibration fit to its limit.
 *
 * Each bound is far above anything real (the reason says what real looks like), so no genuine
 * trace is refused: they catch the impossible, not the unusual.
 */
export interface PlausibleBound {
  /** What the bound is about, for the message ("one prompt, response or turn"). */
  readonly what: string;
  /** The largest plausible value, in `unit`. */
  readonly max: number;
  readonly unit: string;
  /** Why nothing real goes above it. */
  readonly why: string;
}

const DAY_S = 86_400;

export const PLAUSIBLE = {
  sequenceTokens: {
    what: 'one prompt, response or turn',
    max: 10_000_000,
    unit: 'tokens',
    why: "the largest context window announced, Llama 4 Scout's 10M tokens: no prompt or response is longer",
  },
  batchTokens: {
    what: 'one batch or one measured operation',
    max: 10_000_000_000,
    unit: 'tokens',
    why: 'a thousand times the largest published training batch: 16M tokens, Llama 3 405B',
  },
  sequences: {
    what: 'the sequences of one batch or group',
    max: 10_000_000,
    unit: 'sequences',
    why: 'RLHF batches hold thousands of samples; serving batches hundreds',
  },
  prefillS: {
    what: 'one prefill',
    max: 3_600,
    unit: 's',
    why: 'even 10M tokens prefill in minutes; an hour is a unit error, ms or µs read as s',
  },
  decodeStepS: {
    what: 'one decode step',
    max: 60,
    unit: 's',
    why: 'a decode step takes milliseconds; a minute is a unit error or a whole generation',
  },
  operationS: {
    what: 'one measured GPU operation',
    max: 3_600,
    unit: 's',
    why: 'kernels, layers and collectives take microseconds to seconds; an hour is a unit error',
  },
  stageS: {
    what: 'one stage or step of an RL iteration',
    max: DAY_S,
    unit: 's',
    why: 'RL steps take seconds to tens of minutes; a day is a unit error',
  },
  latencyS: {
    what: 'the reward or tool latency of one sample',
    max: DAY_S,
    unit: 's',
    why: 'reward models and tools answer in seconds to minutes; a day is a unit error',
  },
  traceTimeS: {
    what: 'a time since the start of a trace',
    max: 366 * DAY_S,
    unit: 's',
    why: 'recorded traces span hours to weeks; more than a year is an absolute timestamp or a unit error',
  },
  iterations: {
    what: 'an iteration, step or epoch number',
    max: 10_000_000,
    unit: 'iterations',
    why: 'RL runs take hundreds to thousands of steps',
  },
  gpus: {
    what: 'a GPU count or parallel degree',
    max: 1_000_000,
    unit: 'GPUs',
    why: 'five times the largest clusters built, ~200k GPUs',
  },
  bytes: {
    what: 'one transfer or collective',
    max: 1e15,
    unit: 'bytes',
    why: 'a petabyte, above the memory of any cluster',
  },
} as const satisfies Record<string, PlausibleBound>;

export type PlausibleBoundName = keyof typeof PLAUSIBLE;

/** A bound for a file that stores the quantity in another unit: `perUnit` of `unit` make one of the bound's unit (1000 ms per s). */
export function boundIn(bound: PlausibleBound, unit: string, perUnit: number): PlausibleBound {
  return { ...bound, max: bound.max * perUnit, unit };
}

/** What a value above `bound` is told ("is above 10000000 tokens, the plausible maximum for one prompt, …"). */
export function boundProblem(bound: PlausibleBound): string {
  return `is above ${bound.max} ${bound.unit}, the plausible maximum for ${bound.what} (${bound.why})`;
}

/** The problem with `value`, or undefined when it is within the bound (NaN and infinities are the caller's concern). */
export function exceedsBound(value: number, bound: PlausibleBound): string | undefined {
  return value > bound.max ? boundProblem(bound) : undefined;
}
