import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { inputError } from '../../util/input-error.js';
import { readContentChunks, readContentHead, type ByteStreamOptions } from './open-input.js';

/**
 * CSV rows of a (possibly gzip) file, streamed through csv-parse, each with its 1-based line.
 * Tools print a preamble before the header (nsys: "Processing [...] with [cuda_gpu_trace.py]..."),
 * so the caller says which line the header is on; rows before it are never parsed.
 */
export interface CsvRow {
  readonly cells: readonly string[];
  readonly line: number;
}

export async function* csvRows(file: string, fromLine: number, options: ByteStreamOptions = {}): AsyncGenerator<CsvRow> {
  const parser = parse({
    from_line: fromLine,
    info: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    bom: true,
  });
  Readable.from(readContentChunks(file, options)).on('error', (error) => parser.destroy(error)).pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { cells: record, line: info.lines };
    }
  } catch (error) {
    if ((error as { name?: string }).name === 'InputError') throw error;
    const csvError = error as { code?: string; lines?: number; message: string };
    if (typeof csvError.code === 'string' && csvError.code.startsWith('CSV_')) {
      throw inputError({ file, ...(csvError.lines !== undefined ? { line: csvError.lines } : {}), message: `not valid CSV: ${csvError.message}` });
    }
    throw error;
  }
}

/** The 1-based line of the first line `isHeader` accepts within the file's first 64 KB, or undefined. */
export async function findHeaderLine(file: string, isHeader: (line: string) => boolean): Promise<{ line: number; text: string } | undefined> {
  const { head } = await readContentHead(file);
  const lines = head.toString('utf8').replace(/^\uFEFF/, '').split('\n');
  // The last piece may be cut mid-line; a header is never that long anyway.
  for (let i = 0; i < lines.length; i++) {
    const text = (lines[i] as string).replace(/\r$/, '');
    if (isHeader(text)) return { line: i + 1, text };
  }
  return undefined;
}
