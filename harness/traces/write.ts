import { extname, basename } from 'node:path';
import { Readable } from 'node:stream';
import { InputError } from '../util/input-error.js';
import { writeFileAtomic, writeStreamAtomic } from '../util/atomic-write.js';
import { gpuProfileCsv, GPU_PROFILE_CSV_FORMAT } from './canonical/gpu-profile-csv.js';
import { LENGTHS_CSV_FORMAT, lengthsCsvChunks } from './canonical/lengths-csv.js';
import { LENGTHS_JSONL_FORMAT, lengthsJsonlChunks } from './canonical/lengths-jsonl.js';
import { stageTimingsCsv, stageTimingsJsonl, STAGE_TIMINGS_CSV_FORMAT, STAGE_TIMINGS_JSONL_FORMAT } from './canonical/stage-timings.js';
import { workloadGroups, type LengthGroupItem } from './length-stream.js';
import type { GpuProfile, StageTimingTrace, Workload, WorkloadMeta } from './types.js';

/** The canonical container a path asks for, from its extension. */
export function canonicalContainer(path: string, allowed: readonly ('jsonl' | 'csv')[] = ['jsonl', 'csv']): 'jsonl' | 'csv' {
  const extension = extname(path).toLowerCase();
  const container = extension === '.jsonl' ? 'jsonl' : extension === '.csv' ? 'csv' : undefined;
  if (!container || !allowed.includes(container))
    throw new InputError({ file: path, field: 'to', value: path, message: `output must end in ${allowed.map((c) => `.${c}`).join(' or ')}` });
  return container;
}

const CANONICAL_LENGTH_FORMATS = new Set([LENGTHS_JSONL_FORMAT, LENGTHS_CSV_FORMAT]);

/**
 * The metadata a canonical copy records: the same facts, plus where they came from when the
 * source was a public format (file names only, so output does not depend on where it ran).
 */
export function canonicalMeta(meta: WorkloadMeta): WorkloadMeta {
  if (CANONICAL_LENGTH_FORMATS.has(meta.format) || meta.derivedFrom) return meta;
  return { ...meta, derivedFrom: { format: meta.format, files: meta.sources.map((source) => basename(source)) } };
}

export interface WriteLengthsOptions {
  /** Allow dropping what the target cannot hold (per-turn data in CSV). */
  readonly allowLossy?: boolean;
}

/**
 * Writes a response-length trace in a canonical format (.jsonl or .csv, from the extension),
 * atomically. `groups` is a factory because the CSV writer makes two passes (columns, then rows);
 * each call must yield the same groups. Nothing appears at `path` unless every group was written.
 */
export async function writeLengthGroups(path: string, meta: WorkloadMeta, groups: () => AsyncIterable<LengthGroupItem>, options: WriteLengthsOptions = {}): Promise<void> {
  const container = canonicalContainer(path);
  const outMeta = canonicalMeta(meta);
  const chunks = container === 'jsonl' ? lengthsJsonlChunks(outMeta, groups()) : lengthsCsvChunks(outMeta, groups, { dropTurns: options.allowLossy ?? false, target: path });
  await writeStreamAtomic(path, Readable.from(chunks));
}

/** Writes an in-memory Workload in a canonical format (the generator and tests use this). */
export async function writeWorkload(path: string, workload: Workload, options: WriteLengthsOptions = {}): Promise<void> {
  await writeLengthGroups(path, workload.meta, () => workloadGroups(workload), options);
}

/** Writes a GPU profile as canonical CSV (times in seconds), atomically. */
export async function writeGpuProfile(path: string, profile: GpuProfile): Promise<void> {
  canonicalContainer(path, ['csv']);
  await writeFileAtomic(path, gpuProfileCsv(profile));
}

/** Writes stage timings as canonical JSONL or CSV (from the extension), atomically. CSV cannot hold metrics. */
export async function writeStageTimings(path: string, trace: StageTimingTrace, options: { allowLossy?: boolean } = {}): Promise<void> {
  const container = canonicalContainer(path);
  await writeFileAtomic(path, container === 'jsonl' ? stageTimingsJsonl(trace) : stageTimingsCsv(trace, { ...options, target: path }));
}

export const CANONICAL_FORMATS = {
  lengths: { jsonl: LENGTHS_JSONL_FORMAT, csv: LENGTHS_CSV_FORMAT },
  gpuProfile: { csv: GPU_PROFILE_CSV_FORMAT },
  stageTimings: { jsonl: STAGE_TIMINGS_JSONL_FORMAT, csv: STAGE_TIMINGS_CSV_FORMAT },
} as const;
