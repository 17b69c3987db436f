import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InputError } from '../../util/input-error.js';
import { openError } from '../source/open-error.js';
import { isPlainObject } from '../source/values.js';

/** Bytes of a file's start that detection looks at. */
export const PROBE_BYTES = 1 << 16;

/**
 * What format detection knows about a path: directory entries, or the start of the file with its
 * first data line read as a CSV header and as a JSON object. Cheap: reads at most PROBE_BYTES.
 */
export interface TraceProbe {
  readonly path: string;
  readonly name: string;
  readonly extension: string;
  readonly isDirectory: boolean;
  /** Directory entry names, sorted (directories only). */
  readonly entries: readonly string[];
  /** The first PROBE_BYTES of a file as text, BOM removed (empty for directories). */
  readonly head: string;
  /** First non-blank line that does not start with `#`, when it ends inside `head`. */
  readonly firstDataLine?: string;
  /** `firstDataLine` parsed as a CSV header, trimmed. */
  readonly csvHeader?: readonly string[];
  /** Keys of the first JSON object line (after a `$meta` line), when it parses. */
  readonly jsonKeys?: readonly string[];
  /** The `$meta.format` of a canonical file, from its first line or its leading `#` comment. */
  readonly metaFormat?: string;
  /** Not text: compressed (gzip, zip, …) or other binary data, which no trace format is. */
  readonly binary?: 'gzip' | 'zip' | 'zstd' | 'bzip2' | 'xz' | 'binary';
}

const MAGIC: readonly [readonly number[], NonNullable<TraceProbe['binary']>][] = [
  [[0x1f, 0x8b], 'gzip'],
  [[0x50, 0x4b, 0x03, 0x04], 'zip'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd'],
  [[0x42, 0x5a, 0x68], 'bzip2'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz'],
];

/**
 * NUL bytes per byte of the head above which a file is binary. Binary files (parquet, pickles,
 * tensors, UTF-16 text) are full of NULs; a console log can carry a stray one (a public veRL log has
 * two in 570 KB, from NCCL's debug output), which must not make the whole log unreadable.
 */
export const BINARY_NUL_FRACTION = 1 / 1024;

/** Compressed or binary content, from magic bytes or from NUL bytes in more than BINARY_NUL_FRACTION of the head. */
export function binaryKind(bytes: Uint8Array): TraceProbe['binary'] {
  for (const [magic, kind] of MAGIC) if (magic.every((byte, i) => bytes[i] === byte)) return kind;
  let nuls = 0;
  for (const byte of bytes) if (byte === 0) nuls++;
  return nuls > 0 && nuls >= Math.max(1, bytes.length * BINARY_NUL_FRACTION) ? 'binary' : undefined;
}

export async function probeTrace(path: string): Promise<TraceProbe> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw openError(path, error);
  }
  const name = basename(path);
  const extension = extname(name).toLowerCase();
  if (info.isDirectory()) {
    const entries = (await readdir(path)).sort();
    return { path, name, extension, isDirectory: true, entries, head: '' };
  }
  if (!info.isFile()) throw new InputError({ file: path, message: 'is not a regular file or directory' });
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw openError(path, error);
  });
  let bytes: Buffer;
  try {
    const buffer = Buffer.alloc(Math.min(PROBE_BYTES, info.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    bytes = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const binary = binaryKind(bytes);
  if (binary) return { path, name, extension, isDirectory: false, entries: [], head: '', binary };
  let head = bytes.toString('utf8');
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
  return { path, name, extension, isDirectory: false, entries: [], head, ...analyseHead(head, info.size <= PROBE_BYTES) };
}

function analyseHead(head: string, wholeFile: boolean): Pick<TraceProbe, 'firstDataLine' | 'csvHeader' | 'jsonKeys' | 'metaFormat'> {
  const lines = head.split('\n');
  // The last piece is only a whole line when the whole file fit in the head.
  const complete = wholeFile ? lines : lines.slice(0, -1);
  let metaFormat: string | undefined;
  let firstDataLine: string | undefined;
  let jsonKeys: string[] | undefined;
  for (const raw of complete) {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      metaFormat ??= metaFormatOf(line.slice(1).trim());
      continue;
    }
    const parsed = tryJson(line);
    if (isPlainObject(parsed) && '$meta' in parsed && firstDataLine === undefined && metaFormat === undefined) {
      metaFormat = isPlainObject(parsed.$meta) && typeof parsed.$meta.format === 'string' ? parsed.$meta.format : '';
      continue;
    }
    firstDataLine = line;
    if (isPlainObject(parsed)) jsonKeys = Object.keys(parsed);
    break;
  }
  let csvHeader: string[] | undefined;
  if (firstDataLine !== undefined && jsonKeys === undefined && !/^[[{]/.test(firstDataLine)) {
    try {
      const rows = parse(firstDataLine, { relax_column_count: true, relax_quotes: true }) as string[][];
      csvHeader = rows[0]?.map((cell) => cell.trim());
    } catch {
      csvHeader = undefined;
    }
  }
  return {
    ...(firstDataLine !== undefined ? { firstDataLine } : {}),
    ...(csvHeader ? { csvHeader } : {}),
    ...(jsonKeys ? { jsonKeys } : {}),
    ...(metaFormat !== undefined ? { metaFormat } : {}),
  };
}

function metaFormatOf(text: string): string | undefined {
  const parsed = tryJson(text);
  if (isPlainObject(parsed) && isPlainObject(parsed.$meta) && typeof parsed.$meta.format === 'string') return parsed.$meta.format;
  return undefined;
}

function tryJson(text: string): unknown {
  if (!text.startsWith('{')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The keys a probe shows: CSV header columns or JSON keys. */
export function probeKeys(probe: TraceProbe): readonly string[] {
  return probe.jsonKeys ?? probe.csvHeader ?? [];
}

/** How far a deep detection scans into a text file. */
export const DEEP_SCAN_BYTES = 16 << 20;

/** True when some line in the first `maxBytes` of the file passes `test`. Lines are read in 64 KiB chunks; a line cut at a chunk edge is joined. */
export async function someLineWithin(path: string, test: (line: string) => boolean, maxBytes: number = DEEP_SCAN_BYTES): Promise<boolean> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16, end: maxBytes - 1 });
  let pending = '';
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      if (pending.length > 1 << 20) pending = '';
      if (lines.some(test)) return true;
    }
    return pending !== '' && test(pending);
  } catch (error) {
    throw openError(path, error);
  } finally {
    stream.destroy();
  }
}
