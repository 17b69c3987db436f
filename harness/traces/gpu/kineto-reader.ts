import { inputError } from '../../util/input-error.js';
import { ChromeTraceScanner, type RawTraceEvent } from './chrome-trace-scanner.js';
import { catalogIdForGpuName } from './device-names.js';
import { readContentChunks } from './open-input.js';
import type { GpuTraceBuilder } from './trace-builder.js';
import type { GpuOpKind } from './types.js';

/**
 * torch.profiler / Kineto Chrome-trace JSON (`*.json`, `*.json.gz`, `*.pt.trace.json.gz`).
 *
 * Timestamps (`ts`) and durations (`dur`) of the Chrome trace format are microseconds; Kineto
 * writes them with a fractional part when it records nanosecond resolution. `displayTimeUnit`
 * ('ms' or 'ns' in the format's spec) only tells a viewer how to *display* them: the real
 * ns-resolution trace in HTA's test data says "ns" and still has `ts` in µs (a 4.928 µs kernel,
 * 35 ms steps). Producers that break the spec and write another unit are read with
 * `timeUnit: 'ns' | 'ms'` (CLI `--time-unit`).
 */
export type ChromeTraceTimeUnit = 'us' | 'ns' | 'ms';

export const TIME_UNIT_SECONDS: Readonly<Record<ChromeTraceTimeUnit, number>> = { us: 1e-6, ns: 1e-9, ms: 1e-3 };

export interface KinetoReadOptions {
  readonly timeUnit?: ChromeTraceTimeUnit;
  readonly onRawBytes?: (bytesRead: number) => void;
}

/** The spec names 'ms' and 'ns'; 'us' is harmless and seen in the wild. */
const DISPLAY_TIME_UNITS = new Set(['ms', 'us', 'µs', 'ns']);

/** Event categories by what they are; Kineto before ~2021 capitalised them ('Kernel', 'Memcpy'). */
function opKindOf(category: string): GpuOpKind | undefined {
  switch (category.toLowerCase()) {
    case 'kernel':
      return 'kernel';
    case 'gpu_memcpy':
    case 'memcpy':
      return 'memcpy';
    case 'gpu_memset':
    case 'memset':
      return 'memset';
    default:
      return undefined;
  }
}

const CAT_KEY = Buffer.from('"cat"');
const WANTED_CATEGORIES = new Set(['kernel', 'gpu_memcpy', 'memcpy', 'gpu_memset', 'memset', 'user_annotation', 'gpu_user_annotation', 'trace']);

/**
 * Whether an event may matter, decided from its bytes without parsing it: most of a trace is CPU
 * ops, runtime calls and flow arrows, and parsing them would cost more than scanning the file.
 * Reads the value of the one `"cat"` key; anything unusual (two "cat" keys, an escape in the
 * value) is parsed to be sure. Events without a category (metadata) are not needed.
 */
export function mayMatter(bytes: Buffer): boolean {
  const at = bytes.indexOf(CAT_KEY);
  if (at < 0) return false;
  if (bytes.indexOf(CAT_KEY, at + CAT_KEY.length) >= 0) return true;
  let i = at + CAT_KEY.length;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  if (bytes[i] !== 0x3a) return true;
  i++;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  if (bytes[i] !== 0x22) return true;
  const end = bytes.indexOf(0x22, i + 1);
  if (end < 0 || end - i > 64) return true;
  const value = bytes.toString('latin1', i + 1, end);
  if (value.includes('\\')) return true;
  return WANTED_CATEGORIES.has(value.toLowerCase());
}

/** A number, or a numeric string (some exporters quote timestamps). */
function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** An integer id from a number or a label such as "stream 7". */
function asId(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const m = /(-?\d+)\s*$/.exec(value.trim());
    if (m) return Number(m[1]);
  }
  return undefined;
}

interface ParsedEvent {
  readonly ph?: unknown;
  readonly cat?: unknown;
  readonly name?: unknown;
  readonly pid?: unknown;
  readonly tid?: unknown;
  readonly ts?: unknown;
  readonly dur?: unknown;
  readonly args?: Record<string, unknown>;
}

export async function readKinetoFile(file: string, builder: GpuTraceBuilder, options: KinetoReadOptions = {}): Promise<void> {
  const fileIndex = builder.addSource(file);
  const unit = options.timeUnit ?? 'us';
  const unitS = TIME_UNIT_SECONDS[unit];
  let gpuOps = 0;
  let nonCompleteGpuEvents = 0;

  const where = (raw: RawTraceEvent, field: string) => ({ file, line: raw.line, column: raw.column, field: `traceEvents[${raw.index}].${field}` });

  const timeOf = (raw: RawTraceEvent, event: ParsedEvent): { startS: number; endS: number } => {
    const ts = asNumber(event.ts);
    if (ts === undefined) throw inputError({ ...where(raw, 'ts'), value: event.ts, message: 'timestamp is missing or not a number' });
    const dur = asNumber(event.dur);
    if (dur === undefined) throw inputError({ ...where(raw, 'dur'), value: event.dur, message: 'duration is missing or not a number' });
    if (dur < 0) throw inputError({ ...where(raw, 'dur'), value: event.dur, message: 'negative duration' });
    const startS = builder.relativeS(ts, unitS);
    return { startS, endS: startS + dur * unitS };
  };

  const onEvent = (raw: RawTraceEvent): void => {
    builder.recordsRead++;
    if (!mayMatter(raw.bytes)) return;
    let event: ParsedEvent;
    try {
      event = JSON.parse(raw.bytes.toString('utf8')) as ParsedEvent;
    } catch (error) {
      throw inputError({ file, line: raw.line, column: raw.column, field: `traceEvents[${raw.index}]`, message: `not valid JSON (${(error as Error).message})` });
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw inputError({ file, line: raw.line, column: raw.column, field: `traceEvents[${raw.index}]`, value: event, message: 'an event must be a JSON object' });
    }
    if (typeof event.cat !== 'string') return;
    const kind = opKindOf(event.cat);
    const name = typeof event.name === 'string' ? event.name : '(unnamed)';
    if (kind) {
      if (event.ph !== undefined && event.ph !== 'X') {
        nonCompleteGpuEvents++;
        return;
      }
      const { startS, endS } = timeOf(raw, event);
      const device = asId(event.args?.device) ?? asId(event.pid);
      if (device === undefined) throw inputError({ ...where(raw, 'pid'), value: event.pid, message: 'GPU event without a device (args.device or a numeric pid)' });
      const stream = asId(event.args?.stream) ?? asId(event.tid) ?? 0;
      builder.addOp(fileIndex, device, kind, name, startS, endS, stream);
      gpuOps++;
      return;
    }
    const category = event.cat.toLowerCase();
    if ((category === 'user_annotation' || category === 'gpu_user_annotation') && (event.ph === undefined || event.ph === 'X')) {
      const { startS, endS } = timeOf(raw, event);
      if (category === 'gpu_user_annotation') {
        const device = asId(event.args?.device) ?? asId(event.pid);
        builder.addAnnotation({ name, source: 'gpu', fileIndex, ...(device !== undefined ? { deviceIndex: device } : {}), startS, endS });
      } else builder.addAnnotation({ name, source: 'cpu', fileIndex, startS, endS });
      return;
    }
    if (event.cat === 'Trace' && event.ph === 'X') {
      const { startS, endS } = timeOf(raw, event);
      builder.addProfilerWindow(startS, endS);
    }
  };

  const scanner = new ChromeTraceScanner(file, onEvent);
  for await (const chunk of readContentChunks(file, options.onRawBytes ? { onRawBytes: options.onRawBytes } : {})) scanner.push(chunk);
  const top = scanner.end();

  if (!top.sawTraceEvents) {
    throw inputError({ file, field: 'traceEvents', message: `JSON without a "traceEvents" array (top-level keys: ${Object.keys(top.otherKeys).join(', ') || 'none'}); not a Chrome / torch.profiler trace` });
  }
  const displayTimeUnit = top.otherKeys.displayTimeUnit;
  if (displayTimeUnit !== undefined && !(typeof displayTimeUnit === 'string' && DISPLAY_TIME_UNITS.has(displayTimeUnit))) {
    throw inputError({
      file,
      field: 'displayTimeUnit',
      value: displayTimeUnit,
      message: "unknown time unit; the Chrome trace format allows 'ms' or 'ns' (it only sets how a viewer displays µs timestamps; use --time-unit for a producer that writes another unit)",
    });
  }
  if (gpuOps === 0) {
    throw inputError({
      file,
      message: `no GPU events (cat 'kernel', 'gpu_memcpy', 'gpu_memset') among ${top.eventCount} events; record with torch.profiler activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]`,
    });
  }
  if (nonCompleteGpuEvents > 0) builder.note(`${file}: ${nonCompleteGpuEvents} GPU events with a phase other than 'X' (complete) were skipped`);
  if (unit !== 'us') builder.note(`${file}: timestamps read as ${unit} (--time-unit), not the format's µs`);

  const info = top.otherKeys.distributedInfo as { rank?: unknown; world_size?: unknown; backend?: unknown } | undefined;
  const rank = asId(info?.rank);
  const worldSize = asId(info?.world_size);
  builder.addRank({
    file,
    ...(rank !== undefined ? { rank } : {}),
    ...(worldSize !== undefined ? { worldSize } : {}),
    ...(typeof info?.backend === 'string' ? { backend: info.backend } : {}),
  });
  const properties = Array.isArray(top.otherKeys.deviceProperties) ? (top.otherKeys.deviceProperties as Record<string, unknown>[]) : [];
  for (const property of properties) {
    const index = asId(property?.id);
    if (index === undefined || !builder.hasDevice(fileIndex, index)) continue; // list only GPUs with activity
    const rawName = typeof property.name === 'string' ? property.name : undefined;
    const memoryBytes = asNumber(property.totalGlobalMem);
    const catalogId = rawName ? catalogIdForGpuName(rawName, memoryBytes) : undefined;
    builder.describeDevice(fileIndex, index, { ...(rawName ? { rawName } : {}), ...(catalogId ? { catalogId } : {}), ...(rank !== undefined ? { rank } : {}) });
  }
  // Devices with activity but no deviceProperties entry still carry the file's rank.
  if (rank !== undefined) for (const device of builder.deviceIndexesOf(fileIndex)) builder.describeDevice(fileIndex, device, { rank });
}
