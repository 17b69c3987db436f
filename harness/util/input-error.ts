/**
 * Errors about a user's input (a trace, a scenario, a baseline, a flag value).
 *
 * Every problem names where it is — file, line, column (1-based; column counts characters, or
 * the CSV column number) — and, when a field is involved, the field and its offending value.
 * The CLI prints each problem on one line as
 *   `file:line:column: field 'x' value 'y': what is wrong`
 * and exits with code 2.
 */
export interface InputProblem {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly field?: string;
  readonly value?: unknown;
  readonly message: string;
}

const MAX_VALUE_CHARS = 80;

/** Shortens and quotes a value so a 10 MB line never ends up in an error message. */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === undefined) text = 'undefined';
  else if (typeof value === 'number' && !Number.isFinite(value)) text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  if (text.length > MAX_VALUE_CHARS) text = `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} chars)`;
  return text.replace(/[\r\n]/g, (c) => (c === '\n' ? '\\n' : '\\r'));
}

export function formatProblem(problem: InputProblem): string {
  let where = problem.file;
  if (problem.line !== undefined) {
    where += `:${problem.line}`;
    if (problem.column !== undefined) where += `:${problem.column}`;
  }
  const subject: string[] = [];
  if (problem.field !== undefined) subject.push(`field '${problem.field}'`);
  if ('value' in problem) subject.push(`value '${describeValue(problem.value)}'`);
  return subject.length > 0 ? `${where}: ${subject.join(' ')}: ${problem.message}` : `${where}: ${problem.message}`;
}

/** One or more problems with the input; the CLI turns it into exit code 2. */
export class InputError extends Error {
  readonly problems: readonly InputProblem[];

  constructor(problems: InputProblem | readonly InputProblem[]) {
    const list = Array.isArray(problems) ? (problems as readonly InputProblem[]) : [problems as InputProblem];
    super(list.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = list;
  }
}

export function inputError(problem: InputProblem): InputError {
  return new InputError(problem);
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}
