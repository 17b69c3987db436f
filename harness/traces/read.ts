import { resolveFormat } from './formats/detect.js';
import { lengthsOpener } from './formats/format.js';
import { traceFormats, type TraceFormat, type TraceKind } from './formats/index.js';
import { collectWorkload, type LengthGroupStream } from './length-stream.js';
import { createProblemCollector, DEFAULT_MAX_PROBLEMS } from './problems.js';
import type { GpuProfile, StageTimingTrace, Workload } from './types.js';
import { isInputError } from '../util/input-error.js';

/**
 * The one entry point for reading traces. Each function detects the format (from the header,
 * the JSON keys or the directory's files) unless `format` forces one, and throws an InputError
 * naming file, line, column, field and value for bad input. `maxProblems` bounds how many
 * problems are collected before giving up (default 20).
 */
export interface ReadOptions {
  /** A registry name (`rlhf-replay traces validate --help` lists them); skips detection. */
  readonly format?: string;
  readonly maxProblems?: number;
}

export interface ReadWorkloadOptions extends ReadOptions {
  /** The response length cap, tokens: overrides the recorded or inferred cap; samples at it count as truncated. */
  readonly maxResponseTokens?: number;
}

/**
 * Opens a response-length trace for streaming: `meta` now, groups one at a time (bounded memory
 * for big files). A file that holds another kind and also yields a workload (a veRL log: lengths
 * synthesized from its per-step statistics, `meta.synthetic`) is read that way.
 */
export async function streamLengthGroups(path: string, options: ReadWorkloadOptions = {}): Promise<LengthGroupStream> {
  const format = await resolveFormat(path, traceFormats, { ...pick(options), kind: 'lengths' });
  return openLengths(path, format, options);
}

function openLengths(path: string, format: TraceFormat, options: ReadWorkloadOptions): Promise<LengthGroupStream> {
  const open = lengthsOpener(format);
  if (!open) throw new Error('unreachable: resolveFormat checked the kind');
  const problems = createProblemCollector(options.maxProblems ?? DEFAULT_MAX_PROBLEMS);
  return open(path, { problems, ...(options.maxResponseTokens !== undefined ? { maxResponseTokens: options.maxResponseTokens } : {}) });
}

/** Counts a length stream to its end (every group checked on the way). */
async function countLengths(stream: LengthGroupStream): Promise<Record<string, number>> {
  let groups = 0;
  let samples = 0;
  const iterations = new Set<number>();
  for await (const { group } of stream.groups) {
    groups++;
    samples += group.responseTokens.length;
    iterations.add(group.iteration);
  }
  return { iterations: iterations.size, groups, samples };
}

/** Reads a whole response-length trace into memory. */
export async function readWorkload(path: string, options: ReadWorkloadOptions = {}): Promise<Workload> {
  return collectWorkload(await streamLengthGroups(path, options));
}

/** Reads a GPU profile (Vidur, Splitwise, or the canonical CSV). */
export async function readGpuProfile(path: string, options: ReadOptions = {}): Promise<GpuProfile> {
  const format = await resolveFormat(path, traceFormats, { ...pick(options), kind: 'gpu-profile' });
  if (format.kind !== 'gpu-profile') throw new Error('unreachable: resolveFormat checked the kind');
  return format.read(path, createProblemCollector(options.maxProblems ?? DEFAULT_MAX_PROBLEMS));
}

/** Reads per-iteration stage timings (a veRL console log, or the canonical JSONL / CSV). */
export async function readStageTimings(path: string, options: ReadOptions = {}): Promise<StageTimingTrace> {
  const format = await resolveFormat(path, traceFormats, { ...pick(options), kind: 'stage-timings' });
  if (format.kind !== 'stage-timings') throw new Error('unreachable: resolveFormat checked the kind');
  return format.read(path, createProblemCollector(options.maxProblems ?? DEFAULT_MAX_PROBLEMS));
}

/** What a full read of any trace found, for `traces validate`. */
export interface TraceSummary {
  readonly path: string;
  readonly format: string;
  readonly kind: TraceKind;
  /** Groups and samples (lengths), rows (GPU profiles, tables) or iterations (stage timings). */
  readonly counts: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
  /**
   * The workload a file of another kind also yields (a veRL log's synthesized lengths): its
   * counts and notes, or why this file yields none (a log that does not state its batch size).
   */
  readonly workload?: { readonly what: string; readonly counts: Readonly<Record<string, number>>; readonly notes: readonly string[] } | { readonly what: string; readonly unavailable: string };
}

/**
 * Reads any trace to the end, streaming where the format allows, and summarises it. Throws an
 * InputError with up to `maxProblems` problems when the trace is invalid.
 */
export async function checkTrace(path: string, options: ReadWorkloadOptions & { readonly kind?: TraceKind } = {}): Promise<TraceSummary> {
  const format: TraceFormat = await resolveFormat(path, traceFormats, { ...pick(options), ...(options.kind ? { kind: options.kind } : {}) });
  const problems = createProblemCollector(options.maxProblems ?? DEFAULT_MAX_PROBLEMS);
  if (options.kind === 'lengths' || format.kind === 'lengths') {
    const stream = await openLengths(path, format, options);
    return { path, format: format.name, kind: 'lengths', counts: await countLengths(stream), notes: stream.meta.notes };
  }
  const base = { path, format: format.name, kind: format.kind };
  switch (format.kind) {
    case 'gpu-profile': {
      const profile = await format.read(path, problems);
      return { ...base, counts: { rows: profile.rows.length }, notes: profile.notes };
    }
    case 'stage-timings': {
      const trace = await format.read(path, problems);
      const summary = { ...base, counts: { iterations: trace.iterations.length }, notes: trace.notes };
      if (!format.workload) return summary;
      // The file is valid stage timings either way; whether it also yields a workload is reported beside.
      const what = format.workload.what;
      try {
        const stream = await openLengths(path, format, options);
        return { ...summary, workload: { what, counts: await countLengths(stream), notes: stream.meta.notes } };
      } catch (error) {
        if (!isInputError(error)) throw error;
        return { ...summary, workload: { what, unavailable: error.message } };
      }
    }
    case 'table': {
      const table = await format.read(path, problems);
      return { ...base, counts: { rows: table.rows }, notes: table.notes };
    }
  }
}

function pick(options: ReadOptions): { format?: string } {
  return options.format !== undefined ? { format: options.format } : {};
}
