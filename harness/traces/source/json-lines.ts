import type { ProblemCollector } from '../problems.js';
import { readLines, type TextLine } from './lines.js';
import { describeJsonType, isPlainObject } from './values.js';
import { InputError } from '../../util/input-error.js';

/** One JSON object of a JSONL file, with the line it came from. */
export interface JsonLine {
  readonly value: Record<string, unknown>;
  readonly line: number;
}

/**
 * Parses one JSONL line as a JSON object. A bad line is reported (with the character column
 * where JSON.parse gave one) and undefined returned, so the reader can go on to the next line.
 * `columnOffset`: characters before `text` on its line (a `# {…}` comment's `# `).
 */
export function parseJsonObjectLine(text: string, line: number, file: string, problems: ProblemCollector, columnOffset = 0): Record<string, unknown> | undefined {
  // Problems of this line's fields are then reported at their value's column.
  problems.readingJsonLine(line, ' '.repeat(columnOffset) + text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { column, reason } = describeJsonError(error, text);
    problems.add({ file, line, column: column + columnOffset, message: reason });
    return undefined;
  }
  if (!isPlainObject(value)) {
    problems.add({ file, line, column: 1 + columnOffset, value, message: `expected one JSON object per line, got ${describeJsonType(value)}` });
    return undefined;
  }
  return value;
}

function describeJsonError(error: unknown, text: string): { column: number; reason: string } {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  const column = position ? Number(position[1]) + 1 : 1;
  if (/Unexpected end of JSON input|Unterminated string/.test(message))
    return { column: position ? column : text.length + 1, reason: 'truncated JSON: the line ends before the value is complete' };
  const reason = message
    .replace(/,\s*".*"(\.\.\.)? is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .trim();
  return { column, reason: `not valid JSON: ${reason}` };
}

/** Streams the JSON objects of a JSONL file, skipping blank lines; bad lines are reported and skipped. */
export async function* readJsonLines(path: string, problems: ProblemCollector): AsyncGenerator<JsonLine> {
  let sawLine = false;
  for await (const { text, line } of readLines(path, { problems }) as AsyncGenerator<TextLine>) {
    if (text.trim() === '') continue;
    sawLine = true;
    const value = parseJsonObjectLine(text, line, path, problems);
    if (value !== undefined) yield { value, line };
  }
  if (!sawLine && problems.count === 0) throw new InputError({ file: path, line: 1, column: 1, message: 'empty file: expected JSON lines' });
}

/** Reports keys a record may not have, naming the ones it may. */
export function checkKnownKeys(record: Record<string, unknown>, known: ReadonlySet<string>, file: string, line: number, problems: ProblemCollector): void {
  for (const key of Object.keys(record)) {
    if (!known.has(key)) problems.add({ file, line, field: key, value: record[key], message: `unknown key (known keys: ${[...known].join(', ')})` });
  }
}
