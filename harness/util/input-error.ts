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

/** Control characters other than tab, CR and LF, and U+FFFD (what an undecodable byte becomes): never printed raw. */
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/g;

/**
 * Whether text is really binary data read as UTF-8 (a NUL, or more than a tenth unprintable):
 * such text is never echoed into a message, where it could garble or drive the user's terminal.
 */
export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const unprintable = text.match(UNPRINTABLE)?.length ?? 0;
  return unprintable > Math.max(2, text.length / 10);
}

/**
 * Shortens and quotes a value so a 10 MB line never ends up in an error message; binary data is
 * named, not shown, and any other unprintable character is escaped (\x1b, \ufffd).
 */
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
  if (looksBinary(text)) return `binary data, ${text.length} chars`;
  if (text.length > MAX_VALUE_CHARS) text = `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} chars)`;
  return escapeUnprintable(text.replace(/[\r\n]/g, (c) => (c === '\n' ? '\\n' : '\\r')));
}

/** Control characters as \xNN and U+FFFD as \ufffd, so no byte of a file reaches the terminal raw. */
function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => (c === '\ufffd' ? '\\ufffd' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

export function formatProblem(problem: InputProblem): string {
  let where = problem.file;
  if (problem.line !== undefined) {
    where += `:${problem.line}`;
    if (problem.column !== undefined) where += `:${problem.column}`;
  }
  const subject: string[] = [];
  if (problem.field !== undefined) subject.push(`field '${escapeUnprintable(problem.field)}'`);
  if ('value' in problem) subject.push(`value '${describeValue(problem.value)}'`);
  // A message may quote the file (a parser's reason, a header): its control characters are escaped too.
  const message = escapeUnprintable(problem.message);
  return subject.length > 0 ? `${where}: ${subject.join(' ')}: ${message}` : `${where}: ${message}`;
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
