import type { ProblemCollector } from '../problems.js';
import { boundIn, exceedsBound, PLAUSIBLE, type PlausibleBound } from '../plausible-bounds.js';

/** Where a value sits, for the problem a bad value produces. */
export interface ValueSite {
  readonly file: string;
  readonly line: number;
  /** CSV column number or JSON character position, 1-based. */
  readonly column?: number;
  readonly field: string;
}

export interface NumberRules {
  /** Must be a whole number (token counts, iterations, TP degrees). */
  readonly integer?: boolean;
  /** Smallest allowed value; 0 for counts and durations. */
  readonly min?: number;
  /** Whether `min` itself is allowed (default true). A duration may be 0; a GPU count may not. */
  readonly minInclusive?: boolean;
  /** Largest plausible value (see plausible-bounds.ts); above it the value is an error in the file. */
  readonly bound?: PlausibleBound;
}

/** Ids, indices and ranks: whole, not negative, no size to be implausible about. */
const COUNT: NumberRules = { integer: true, min: 0 };
const POSITIVE_COUNT: NumberRules = { integer: true, min: 1 };
const NON_NEGATIVE: NumberRules = { min: 0 };

/** Rules of the quantities readers meet, each with its plausibility bound. */
export const rules = {
  COUNT,
  POSITIVE_COUNT,
  NON_NEGATIVE,
  /** Tokens of one prompt, response, turn or prefix. */
  TOKENS: { integer: true, min: 0, bound: PLAUSIBLE.sequenceTokens },
  /** A mean token count (not whole). */
  MEAN_TOKENS: { min: 0, bound: PLAUSIBLE.sequenceTokens },
  /** Tokens of a batch or of one measured operation. */
  BATCH_TOKENS: { integer: true, min: 0, bound: PLAUSIBLE.batchTokens },
  /** Sequences in a batch or group (at least one). */
  SEQUENCES: { integer: true, min: 1, bound: PLAUSIBLE.sequences },
  ITERATION: { integer: true, min: 0, bound: PLAUSIBLE.iterations },
  GPUS: { integer: true, min: 1, bound: PLAUSIBLE.gpus },
  BYTES: { integer: true, min: 0, bound: PLAUSIBLE.bytes },
  STAGE_S: { min: 0, bound: PLAUSIBLE.stageS },
  LATENCY_S: { min: 0, bound: PLAUSIBLE.latencyS },
  TRACE_TIME_S: { min: 0, bound: PLAUSIBLE.traceTimeS },
  PREFILL_S: { min: 0, bound: PLAUSIBLE.prefillS },
  DECODE_STEP_S: { min: 0, bound: PLAUSIBLE.decodeStepS },
  OPERATION_S: { min: 0, bound: PLAUSIBLE.operationS },
} as const satisfies Record<string, NumberRules>;

/** `numberRules` for a file that stores the quantity in another unit (e.g. ms: `inUnit(rules.PREFILL_S, 'ms', 1000)`). */
export function inUnit(numberRules: NumberRules, unit: string, perUnit: number): NumberRules {
  return numberRules.bound === undefined ? numberRules : { ...numberRules, bound: boundIn(numberRules.bound, unit, perUnit) };
}

/** Checks a number against its rules; returns the reason it fails, or undefined. */
export function numberProblem(value: number, numberRules: NumberRules): string | undefined {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (numberRules.integer && !Number.isInteger(value)) return 'must be a whole number';
  if (numberRules.min !== undefined) {
    const inclusive = numberRules.minInclusive ?? true;
    if (inclusive ? value < numberRules.min : value <= numberRules.min)
      return numberRules.min === 0 ? (inclusive ? 'must not be negative' : 'must be positive') : `must be ${inclusive ? 'at least' : 'above'} ${numberRules.min}`;
  }
  return numberRules.bound === undefined ? undefined : exceedsBound(value, numberRules.bound);
}

/**
 * The value of a cell that is a plain run of decimal digits (what writers put in token-count
 * columns), or undefined for anything else — the hot path of million-row reads, with the general
 * parser (and its error reporting) as the fallback.
 */
export function plainCount(text: string): number | undefined {
  const length = text.length;
  if (length === 0 || length > 15) return undefined;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return value;
}

/** A count cell: the fast path for plain digits (still held to the bound), else the general parser. */
export function parseCountCell(text: string, site: ValueSite, numberRules: NumberRules, problems: ProblemCollector): number | undefined {
  const plain = plainCount(text);
  if (plain === undefined || (numberRules.min !== undefined && plain < numberRules.min)) return parseNumberCell(text, site, numberRules, problems);
  const reason = numberRules.bound === undefined ? undefined : exceedsBound(plain, numberRules.bound);
  if (reason === undefined) return plain;
  problems.add({ ...site, value: text, message: reason });
  return undefined;
}

/**
 * Parses a CSV cell as a number. Accepts what a spreadsheet or pandas writes for numbers
 * (`12`, `12.0`, `1e3`, surrounding spaces); rejects empty cells, `NaN`, `inf` and text.
 */
export function parseNumberCell(text: string, site: ValueSite, numberRules: NumberRules, problems: ProblemCollector): number | undefined {
  const trimmed = text.trim();
  const value = trimmed === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed) ? Number.NaN : Number(trimmed);
  if (Number.isNaN(value) && !/^[+-]?(nan|inf(inity)?)$/i.test(trimmed)) {
    problems.add({ ...site, value: text, message: trimmed === '' ? 'is empty; expected a number' : 'is not a number' });
    return undefined;
  }
  const reason = numberProblem(value, numberRules);
  if (reason) {
    problems.add({ ...site, value: text, message: reason });
    return undefined;
  }
  return value;
}

/** Like parseNumberCell, but an empty cell means "not given". */
export function parseOptionalNumberCell(text: string | undefined, site: ValueSite, numberRules: NumberRules, problems: ProblemCollector): number | undefined | null {
  if (text === undefined || text.trim() === '') return undefined;
  const value = parseNumberCell(text, site, numberRules, problems);
  return value === undefined ? null : value;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'True', 'TRUE']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'False', 'FALSE']);

/** Parses a CSV cell as a boolean (`true`/`false`, `1`/`0`, as pandas and spreadsheets write them). */
export function parseBooleanCell(text: string, site: ValueSite, problems: ProblemCollector): boolean | undefined {
  const trimmed = text.trim();
  if (TRUE_WORDS.has(trimmed)) return true;
  if (FALSE_WORDS.has(trimmed)) return false;
  problems.add({ ...site, value: text, message: 'is not a boolean; expected true or false' });
  return undefined;
}

/** Checks a JSON value is a number within its rules. */
export function expectNumber(value: unknown, site: ValueSite, numberRules: NumberRules, problems: ProblemCollector): number | undefined {
  if (typeof value !== 'number') {
    problems.add({ ...site, value, message: `must be a number, not ${describeJsonType(value)}` });
    return undefined;
  }
  const reason = numberProblem(value, numberRules);
  if (reason) {
    problems.add({ ...site, value, message: reason });
    return undefined;
  }
  return value;
}

export function expectString(value: unknown, site: ValueSite, problems: ProblemCollector, options: { nonEmpty?: boolean } = {}): string | undefined {
  if (typeof value !== 'string') {
    problems.add({ ...site, value, message: `must be a string, not ${describeJsonType(value)}` });
    return undefined;
  }
  if (options.nonEmpty && value.length === 0) {
    problems.add({ ...site, value, message: 'must not be empty' });
    return undefined;
  }
  return value;
}

export function expectBoolean(value: unknown, site: ValueSite, problems: ProblemCollector): boolean | undefined {
  if (typeof value !== 'boolean') {
    problems.add({ ...site, value, message: `must be true or false, not ${describeJsonType(value)}` });
    return undefined;
  }
  return value;
}

/** Checks a JSON array whose every element is a number within the rules. */
export function expectNumberArray(value: unknown, site: ValueSite, numberRules: NumberRules, problems: ProblemCollector): number[] | undefined {
  if (!Array.isArray(value)) {
    problems.add({ ...site, value, message: `must be an array of numbers, not ${describeJsonType(value)}` });
    return undefined;
  }
  for (let i = 0; i < value.length; i++) {
    const element: unknown = value[i];
    const reason = typeof element === 'number' ? numberProblem(element, numberRules) : `must be a number, not ${describeJsonType(element)}`;
    if (reason) {
      problems.add({ ...site, field: `${site.field}[${i}]`, value: element, message: reason });
      return undefined;
    }
  }
  return value as number[];
}

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'undefined') return 'missing';
  return `a ${typeof value}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
