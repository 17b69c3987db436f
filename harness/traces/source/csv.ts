import { createReadStream } from 'node:fs';
import { CsvError, Parser } from 'csv-parse';
import type { ProblemCollector } from '../problems.js';
import { MAX_LINE_CHARS } from './lines.js';
import { openError } from './open-error.js';
import { InputError } from '../../util/input-error.js';
import { listSome } from './list-some.js';

/** One data record of a CSV file: its cells and the 1-based line it ends on. */
export interface CsvRecord {
  readonly cells: readonly string[];
  readonly line: number;
}

/** A CSV file opened for streaming: the header is read, the records follow. */
export interface CsvTable {
  readonly path: string;
  readonly header: readonly string[];
  readonly headerLine: number;
  /** Column index of each header name (first occurrence). */
  readonly columnIndex: ReadonlyMap<string, number>;
  /**
   * The data records in order, in batches of whatever the parser has ready (one batch per file
   * chunk), which keeps per-record async overhead out of million-row reads. Consume once. Rows
   * whose cell count differs from the header's are reported and left out. After the last batch,
   * a file with no data rows is reported.
   */
  batches(): AsyncGenerator<readonly CsvRecord[]>;
  /** The same records one at a time, for small files. */
  records(): AsyncGenerator<CsvRecord>;
  /** Stops reading (closes the file) when a consumer ends early. */
  close(): void;
}

export interface OpenCsvOptions {
  readonly problems: ProblemCollector;
  /** Columns that must be present; a missing one is reported on the header line. */
  readonly requiredColumns?: readonly string[];
  /** Index columns without a name (pandas' unnamed first column) are allowed; other empty names are reported. */
  readonly allowUnnamedColumns?: boolean;
}

/**
 * csv-parse's Parser, pushing each record with the line it ends on. (csv-parse's own `info`
 * option builds a large object per record; a million-row trace only needs the line.)
 */
class LineTrackingParser extends Parser {
  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    return super.push(chunk === null ? null : ({ cells: chunk as string[], line: this.info.lines } satisfies CsvRecord), encoding);
  }
}

/**
 * Opens a CSV file with csv-parse in streaming mode: a BOM is dropped, LF and CRLF both work,
 * blank lines and lines starting with `#` are skipped (the canonical formats put metadata there),
 * and one record may be at most MAX_LINE_CHARS long, so a corrupt file never takes unbounded memory.
 */
export async function openCsv(path: string, options: OpenCsvOptions): Promise<CsvTable> {
  const { problems } = options;
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  const parser = new LineTrackingParser({
    bom: true,
    comment: '#',
    comment_no_infix: true,
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: MAX_LINE_CHARS,
  });
  let failure: unknown;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  stream.on('error', (error) => {
    failure ??= openError(path, error);
    notify();
  });
  parser.on('error', (error) => {
    failure ??= csvParseError(path, error);
    notify();
  });
  parser.on('readable', notify);
  parser.on('end', () => {
    ended = true;
    notify();
  });
  stream.pipe(parser);

  /** Everything the parser has ready, waiting for more when it has nothing yet; an empty array means the end. */
  const nextBatch = async (): Promise<CsvRecord[]> => {
    for (;;) {
      if (failure !== undefined) {
        stream.destroy();
        throw failure;
      }
      const batch: CsvRecord[] = [];
      let record: CsvRecord | null;
      while ((record = parser.read() as CsvRecord | null) !== null) batch.push(record);
      if (batch.length > 0) return batch;
      if (ended) return batch;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };

  let pending = await nextBatch();
  const headerRecord = pending.shift();
  if (!headerRecord) {
    stream.destroy();
    throw new InputError({ file: path, line: 1, column: 1, message: 'empty file: expected a CSV header line' });
  }
  const header = headerRecord.cells.map((name) => name.trim());
  const headerLine = headerRecord.line;
  const columnIndex = new Map<string, number>();
  header.forEach((name, index) => {
    if (name === '' && !options.allowUnnamedColumns) problems.add({ file: path, line: headerLine, column: index + 1, message: 'empty column name in the header' });
    else if (columnIndex.has(name)) problems.add({ file: path, line: headerLine, column: index + 1, field: name, message: 'column appears twice in the header' });
    else columnIndex.set(name, index);
  });
  const missing = (options.requiredColumns ?? []).filter((name) => !columnIndex.has(name));
  if (missing.length > 0) {
    stream.destroy();
    throw new InputError(
      missing.map((name) => ({ file: path, line: headerLine, column: 1, field: name, message: `missing column (header has: ${listSome(header) || 'nothing'})` })),
    );
  }
  if (problems.count > 0) stream.destroy();
  problems.throwIfAny();

  const width = header.length;
  async function* batches(): AsyncGenerator<readonly CsvRecord[]> {
    let sawRecord = false;
    try {
      for (;;) {
        const batch = pending.length > 0 ? pending : await nextBatch();
        pending = [];
        if (batch.length === 0) break;
        let good = batch;
        for (let i = 0; i < batch.length; i++) {
          if (batch[i]!.cells.length !== width) {
            good = batch.filter((record) => record.cells.length === width || reportWidth(record));
            break;
          }
        }
        sawRecord = true;
        if (good.length > 0) yield good;
      }
    } finally {
      stream.destroy();
    }
    if (!sawRecord) problems.add({ file: path, line: headerLine + 1, column: 1, message: 'no data rows after the header' });
  }
  function reportWidth(record: CsvRecord): false {
    problems.add({ file: path, line: record.line, column: Math.min(record.cells.length, width) + 1, message: `row has ${record.cells.length} cells but the header has ${width} columns` });
    return false;
  }

  return {
    path,
    header,
    headerLine,
    columnIndex,
    close: () => stream.destroy(),
    batches,
    async *records() {
      for await (const batch of batches()) yield* batch;
    },
  };
}

function csvParseError(path: string, error: unknown): unknown {
  // Any csv-parse failure is about the input (its codes are not all CSV_-prefixed: INVALID_OPENING_QUOTE).
  if (error instanceof CsvError) {
    const csvError = error as CsvError & { lines?: number };
    const message =
      csvError.code === 'CSV_MAX_RECORD_SIZE'
        ? `record is longer than ${MAX_LINE_CHARS} characters: not a trace row (a corrupt file, an unclosed quote, or not CSV?)`
        : `not valid CSV: ${(csvError.message || csvError.code).replace(/\s+(at|on) line \d+.*$/s, '').replace(/, value is .*$/s, '')}`;
    return new InputError({ file: path, ...(csvError.lines !== undefined ? { line: csvError.lines, column: 1 } : {}), message });
  }
  return openError(path, error);
}
