import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { readWorkload } from '../../traces/read.js';
import { parseLengthModel } from '../../traces/generate/length-model.js';
import { projectRoot, sharedRoot } from '../../util/shared-data.js';
import { TRACE_SOURCES, type TraceSourceId } from './sources.js';

/**
 * Which trace an experiment replays is decided once, when the plan is built, and written into
 * the plan with content hashes: the recording when shared/research/data holds it, else the
 * generator fitted to it. Shards and merges on other machines then replay exactly the same
 * input (a shard that lacks a recorded file the plan names fails, it never silently switches).
 */
export interface HashedFile {
  /** Portable path: 'research/data/…' (under the shared folder) or 'traces/fitted/…' (project). */
  readonly path: string;
  readonly sha256: string;
}

export interface TraceAvailability {
  readonly source: TraceSourceId;
  readonly recorded?: {
    readonly files: readonly HashedFile[];
    readonly groups: number;
    readonly samples: number;
    /** Samples per group of the recording (PolyTrace: 8; request traces: 1). */
    readonly samplesPerGroup: number;
  };
  readonly fitted: HashedFile;
  /** Why the recording is not available, when it is not. */
  readonly missing?: string;
}

async function sha256File(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

async function filesUnder(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => filesUnder(join(path, entry.name))));
  return nested.flat().sort();
}

/** Absolute path of a portable path (an absolute path, e.g. a user's own trace, stays as it is). */
export function portableToAbsolute(path: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (isAbsolute(path)) return path;
  return path.startsWith('research/') ? join(sharedRoot(env), path) : join(projectRoot, path);
}

/** What is available for a source on this machine: the recording (hashed, counted) or only the fit. */
export async function traceAvailability(source: TraceSourceId, env: Readonly<Record<string, string | undefined>> = process.env): Promise<TraceAvailability> {
  const spec = TRACE_SOURCES[source];
  const fittedPath = join(projectRoot, spec.fitted);
  const fittedText = await readFile(fittedPath, 'utf8');
  parseLengthModel(fittedText, fittedPath);
  const fitted: HashedFile = { path: spec.fitted, sha256: createHash('sha256').update(fittedText).digest('hex') };
  const recordingPath = join(sharedRoot(env), 'research', 'data', ...spec.recording);
  try {
    await stat(recordingPath);
  } catch {
    return { source, fitted, missing: `the recording ${join('research', 'data', ...spec.recording)} is not in the shared folder` };
  }
  const workload = await readWorkload(recordingPath);
  const groups = workload.iterations.flatMap((iteration) => iteration.groups);
  const samples = groups.reduce((sum, group) => sum + group.responseTokens.length, 0);
  const sizes = new Set(groups.map((group) => group.responseTokens.length));
  const files: HashedFile[] = [];
  for (const file of await filesUnder(recordingPath)) files.push({ path: relative(sharedRoot(env), file).split('\\').join('/'), sha256: await sha256File(file) });
  return { source, fitted, recorded: { files, groups: groups.length, samples, samplesPerGroup: sizes.size === 1 ? [...sizes][0]! : Math.min(...sizes) } };
}

/** Checks that the files a plan names are byte for byte those here (a shard on another machine, an edited file). */
export async function verifyHashedFiles(files: readonly HashedFile[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<string | undefined> {
  for (const file of files) {
    const absolute = portableToAbsolute(file.path, env);
    let digest: string;
    try {
      digest = await sha256File(absolute);
    } catch {
      return `${file.path} is named by the plan but missing here (${absolute})`;
    }
    if (digest !== file.sha256) return `${file.path} differs from the file the plan was built with (sha256 ${digest.slice(0, 12)} vs ${file.sha256.slice(0, 12)})`;
  }
  return undefined;
}
