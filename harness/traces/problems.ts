import { InputError, type InputProblem } from '../util/input-error.js';
import { locateJsonPath } from '../util/json-input.js';

/**
 * Collects the problems a reader finds so one run reports many of them (as a linter does)
 * instead of stopping at the first. Readers skip a bad row and go on; once `maxProblems` are
 * collected the collector throws, so a file with a million bad rows stops early and stays cheap.
 */
export interface ProblemCollector {
  /** Records a problem; throws an InputError with everything collected once the limit is reached. */
  add(problem: InputProblem): void;
  /** Throws an InputError holding every problem collected so far, if there is any. */
  throwIfAny(): void;
  readonly count: number;
  readonly maxProblems: number;
  /**
   * Tells the collector the text of the JSON line being read: problems of that line added without
   * a column get the column of their field's value (1 when the field is absent), so JSONL errors
   * point at `file:line:column` as every other reader's do.
   */
  readingJsonLine(line: number, text: string): void;
}

/** Default problem limit of readers (the CLI's `--max-errors` overrides it). */
export const DEFAULT_MAX_PROBLEMS = 20;

export function createProblemCollector(maxProblems: number = DEFAULT_MAX_PROBLEMS): ProblemCollector {
  if (!Number.isInteger(maxProblems) || maxProblems < 1) throw new Error(`maxProblems must be a positive integer, got ${maxProblems}`);
  const problems: InputProblem[] = [];
  let jsonLine: { line: number; text: string } | undefined;
  return {
    add(problem) {
      if (jsonLine !== undefined && problem.line === jsonLine.line && problem.column === undefined && problem.file !== undefined) {
        const offset = problem.field === undefined ? undefined : locateJsonPath(jsonLine.text, problem.field);
        problems.push({ ...problem, column: offset === undefined ? 1 : offset + 1 });
      } else problems.push(problem);
      if (problems.length >= maxProblems) throw new ProblemLimitReached(problems, maxProblems);
    },
    throwIfAny() {
      if (problems.length > 0) throw new InputError(problems);
    },
    get count() {
      return problems.length;
    },
    maxProblems,
    readingJsonLine(line, text) {
      jsonLine = { line, text };
    },
  };
}

/** The InputError thrown when a collector fills up: the file may hold more problems than listed. */
export class ProblemLimitReached extends InputError {
  readonly limit: number;
  constructor(problems: readonly InputProblem[], limit: number) {
    super([...problems]);
    this.limit = limit;
    this.message += `\n(stopped after ${limit} problems; there may be more)`;
  }
}
