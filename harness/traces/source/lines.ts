import { createReadStream } from 'node:fs';
import type { ProblemCollector } from '../problems.js';
import { openError } from './open-error.js';

/** One line of a text file, 1-based, without its line ending (LF or CRLF) and without a leading BOM. */
export interface TextLine {
  readonly text: string;
  readonly line: number;
}

/**
 * Longest line a line-based reader accepts, in characters. Real trace lines are at most a few KB
 * (a PolyTrace multi-turn trajectory is the longest, ~10 KB); a longer one is a corrupt or
 * unrelated file, and reading it whole would let one line take unbounded memory.
 */
export const MAX_LINE_CHARS = 1 << 20;

export interface ReadLinesOptions {
  readonly problems: ProblemCollector;
  readonly maxLineChars?: number;
}

/**
 * Streams the lines of a UTF-8 text file with bounded memory: a line longer than the limit is
 * reported once and skipped up to its end without being held.
 */
export async function* readLines(path: string, options: ReadLinesOptions): AsyncGenerator<TextLine> {
  const maxLineChars = options.maxLineChars ?? MAX_LINE_CHARS;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 });
  let pending = '';
  let lineNumber = 1;
  let skippingLongLine = false;
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      let text = chunk;
      if (first) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      let start = 0;
      for (;;) {
        const newline = text.indexOf('\n', start);
        if (newline === -1) break;
        if (skippingLongLine) {
          skippingLongLine = false;
        } else {
          const piece = pending + text.slice(start, newline);
          pending = '';
          if (piece.length > maxLineChars) reportLongLine(options.problems, path, lineNumber, maxLineChars);
          else yield { text: stripCarriageReturn(piece), line: lineNumber };
        }
        lineNumber++;
        start = newline + 1;
      }
      if (!skippingLongLine) {
        pending += text.slice(start);
        if (pending.length > maxLineChars) {
          reportLongLine(options.problems, path, lineNumber, maxLineChars);
          pending = '';
          skippingLongLine = true;
        }
      }
    }
  } catch (error) {
    throw openError(path, error);
  } finally {
    stream.destroy();
  }
  if (!skippingLongLine && pending.length > 0) yield { text: stripCarriageReturn(pending), line: lineNumber };
}

function stripCarriageReturn(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function reportLongLine(problems: ProblemCollector, file: string, line: number, limit: number): void {
  problems.add({ file, line, column: 1, message: `line is longer than ${limit} characters: not a trace line (a corrupt file, or not a trace?)` });
}
