import { resolveFormat } from './formats/detect.js';
import { traceFormats, type TraceFormat, type TraceKind } from './formats/index.js';
import { collectWorkload, type LengthGroupStream } from './length-stream.js';
import { createProblemCollector, DEFAULT_MAX_PROBLEMS } from './problems.js';
import type { GpuProfile, StageTimingTrace, Workload } from './types.js';

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

/** Opens a response-length trace for streaming: `meta` now, groups one at a time (bounded memory for big files). */
export async function streamLengthGroups(path: string, options: ReadWorkloadOptions = {}): Promise<LengthGroupStream> {
  const format = await resolveFormat(path, traceFormats, { ...pick(options), kind: 'lengths' });
  if (format.kind !== 'lengths') throw new Error('unreachable: resolveFormat checked the kind');
  const problems = createProblemCollector(options.maxProblems ?? DEFAULT_MAX_PROBLEMS);
  return format.open(path, { problems, ...(options.maxResponseTokens !== undefined ? { maxResponseTokens: options.maxResponseTokens } : {}) });
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
}

/**
 * Reads any trace to the end, streaming where the format allows, and summarises it. Throws an
 * InputError with up to `maxProblems` problems when the trace is invalid.
 */
export async function checkTrace(path: string, options: ReadWorkloadOptions & { readonly kind?: TraceKind } = {}): Promise<TraceSummary> {
  const format: TraceFormat = await resolveFormat(path, traceFormats, { ...pick(options), ...(options.kind ? { kind: options.kind } : {}) });
  const problems = createProblemCollector(options.maxProblems ?? DEFAULT_MAX_PROBLEMS);
  const base = { path, format: format.name, kind: format.kind };
  switch (format.kind) {
    case 'lengths': {
      const stream = await format.open(path, { problems, ...(options.maxResponseTokens !== undefined ? { maxResponseTokens: options.maxResponseTokens } : {}) });
      let groups = 0;
      let samples = 0;
      const iterations = new Set<number>();
      for await (const { group } of stream.groups) {
        groups++;
        samples += group.responseTokens.length;
        iterations.add(group.iteration);
      }
      return { ...base, counts: { iterations: iterations.size, groups, samples }, notes: stream.meta.notes };
    }
    case 'gpu-profile': {
      const profile = await format.read(path, problems);
      return { ...base, counts: { rows: profile.rows.length }, notes: profile.notes };
    }
    case 'stage-timings': {
      const trace = await format.read(path, problems);
      return { ...base, counts: { iterations: trace.iterations.length }, notes: trace.notes };
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
