import { InputError } from '../../util/input-error.js';
import { describeKinds, holdsKind, KIND_DESCRIPTIONS, type TraceContainer, type TraceFormat, type TraceKind } from './format.js';
import { listSome } from '../source/list-some.js';
import { probeKeys, probeTrace, someLineWithin, type TraceProbe } from './probe.js';

/** True when a format's default signature matches: right container and every required key present. */
export function matchesByKeys(format: TraceFormat, probe: TraceProbe): boolean {
  if (probe.isDirectory || format.keys.length === 0) return false;
  if (format.container === 'csv' && !probe.csvHeader) return false;
  if (format.container === 'jsonl' && !probe.jsonKeys) return false;
  const keys = new Set(probeKeys(probe));
  return format.keys.every((key) => keys.has(key));
}

export function formatMatches(format: TraceFormat, probe: TraceProbe): boolean {
  return format.detect ? format.detect(probe) : matchesByKeys(format, probe);
}

/** The container a path most likely is, from its content first and its extension second. */
export function likelyContainer(probe: TraceProbe): TraceContainer {
  if (probe.isDirectory) return 'directory';
  if (probe.jsonKeys || probe.metaFormat?.startsWith('rlhf-replay.') && probe.extension === '.jsonl') return 'jsonl';
  if (probe.extension === '.csv' || probe.extension === '.tsv') return 'csv';
  if (probe.extension === '.jsonl' || probe.extension === '.json' || probe.extension === '.ndjson') return 'jsonl';
  if (probe.extension === '.log' || probe.extension === '.txt' || probe.extension === '.out') return 'text';
  if (probe.csvHeader && probe.csvHeader.length > 1) return 'csv';
  return 'text';
}

export interface ResolveFormatOptions {
  /** A format name forced by the user (`--format`). */
  readonly format?: string;
  /** The kind the caller can read; a file of another kind is an error naming what it holds. */
  readonly kind?: TraceKind;
}

/**
 * Picks the format of `path`: the forced one, or the single format whose signature matches.
 * Errors say what was seen and what it could be, closest first, so the fix is one flag away.
 */
export async function resolveFormat(path: string, formats: readonly TraceFormat[], options: ResolveFormatOptions = {}): Promise<TraceFormat> {
  // Binary data is no format, forced or not: say so rather than let a reader quote its bytes.
  const probe = await probeTrace(path);
  if (probe.binary)
    throw new InputError({
      file: path,
      message:
        probe.binary === 'binary'
          ? 'is binary data, not a text trace (traces are CSV, JSON lines or logs)'
          : `is ${probe.binary}-compressed: decompress it first (traces are read as plain CSV, JSON lines or logs)`,
    });
  if (options.format !== undefined) {
    const forced = formats.find((format) => format.name === options.format);
    if (!forced)
      throw new InputError({
        file: path,
        field: 'format',
        value: options.format,
        message: `unknown format; known formats: ${formats.map((format) => format.name).join(', ')}`,
      });
    checkKind(path, forced, options.kind);
    return forced;
  }
  let matches = formats.filter((format) => formatMatches(format, probe));
  if (matches.length === 0 && !probe.isDirectory && likelyContainer(probe) === 'text') matches = await deepMatches(path, formats);
  if (matches.length === 1) {
    checkKind(path, matches[0]!, options.kind);
    return matches[0]!;
  }
  if (matches.length > 1) {
    const ofKind = options.kind ? matches.filter((format) => holdsKind(format, options.kind!)) : matches;
    if (ofKind.length === 1) return ofKind[0]!;
    throw new InputError({
      file: path,
      line: 1,
      message: `matches several formats (${matches.map((format) => format.name).join(', ')}); pass --format to pick one`,
    });
  }
  throw new InputError({ file: path, line: probe.isDirectory ? undefined : 1, message: unknownFormatMessage(probe, formats, options.kind) });
}

async function deepMatches(path: string, formats: readonly TraceFormat[]): Promise<TraceFormat[]> {
  const out: TraceFormat[] = [];
  for (const format of formats) {
    const marker = format.deepDetect;
    if (marker && (await someLineWithin(path, (line) => marker.pattern.test(line) && (marker.mustInclude === undefined || line.includes(marker.mustInclude))))) out.push(format);
  }
  return out;
}

function checkKind(path: string, format: TraceFormat, kind: TraceKind | undefined): void {
  if (kind !== undefined && !holdsKind(format, kind))
    throw new InputError({
      file: path,
      field: 'format',
      value: format.name,
      message: `holds ${describeKinds(format)}, but ${KIND_DESCRIPTIONS[kind]} is needed here`,
    });
}

/** How close a probe is to a format: the fraction of its keys present (0 for formats without keys). */
export function closeness(format: TraceFormat, probe: TraceProbe): number {
  if (format.keys.length === 0) return 0;
  const keys = new Set(probeKeys(probe));
  return format.keys.filter((key) => keys.has(key)).length / format.keys.length;
}

export function unknownFormatMessage(probe: TraceProbe, formats: readonly TraceFormat[], kind?: TraceKind): string {
  const container = likelyContainer(probe);
  const seen = probe.isDirectory
    ? `a directory of ${probe.entries.length} entries${probe.entries.length ? ` (${probe.entries.slice(0, 5).join(', ')}${probe.entries.length > 5 ? ', …' : ''})` : ''}`
    : probe.head.length === 0
      ? 'an empty file'
      : probe.jsonKeys
        ? `JSON lines with keys ${listSome(probe.jsonKeys)}`
        : probe.csvHeader && probe.csvHeader.length > 1
          ? `a CSV header with columns ${listSome(probe.csvHeader)}`
          : probe.firstDataLine === undefined
            ? `no complete first line in the first ${probe.head.length} characters`
            : /^[[{]/.test(probe.firstDataLine)
              ? 'a first line that is not a whole JSON object (pretty-printed JSON? traces hold one object per line)'
              : 'text that is neither a CSV header nor a JSON object';
  const candidates = formats
    .filter((format) => format.container === container && (kind === undefined || holdsKind(format, kind)))
    .map((format) => ({ format, score: closeness(format, probe) }))
    .sort((a, b) => b.score - a.score || a.format.name.localeCompare(b.format.name));
  const pool = candidates.length > 0 ? candidates : formats.filter((format) => kind === undefined || holdsKind(format, kind)).map((format) => ({ format, score: 0 }));
  const list = pool.map(({ format, score }) => {
    const missing = format.keys.filter((key) => !probeKeys(probe).includes(key));
    const hint = score > 0 && missing.length > 0 ? `; missing ${missing.join(', ')}` : '';
    return `${format.name} (${format.signature}${hint})`;
  });
  return `cannot tell the trace format: found ${seen}. It could be: ${list.join('; ')}. Pass --format NAME to force one`;
}
