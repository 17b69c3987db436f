import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { resolveFormat } from '../../traces/formats/detect.js';
import { traceFormats } from '../../traces/formats/index.js';
import { readGpuProfile } from '../../traces/read.js';
import type { GpuProfile } from '../../traces/types.js';
import { InputError } from '../../util/input-error.js';
import { sharedDataPath } from '../../util/shared-data.js';
import type { CalibrationSource } from './types.js';

/**
 * The I/O edge of calibration: turns the paths a user gives (profile files, or folders holding
 * them; paths as this process resolves them) into GPU profiles, with provenance that never
 * records an absolute path — files under the shared data folder are named relative to it, others
 * relative to `cwd` —
 * and the data dates their SOURCE.md states.
 */

export interface ProfileInputs {
  readonly profiles: readonly GpuProfile[];
  readonly sources: readonly CalibrationSource[];
  readonly dataDates: readonly string[];
  readonly notes: readonly string[];
  /** Names a profile file in provenance (relative, stable across machines). */
  readonly label: (file: string) => string;
}

export async function readProfileInputs(paths: readonly string[], options: { cwd: string; format?: string }): Promise<ProfileInputs> {
  const sharedData = resolve(sharedDataPath());
  const label = (file: string): string => {
    const absolute = resolve(file);
    const underShared = relative(sharedData, absolute);
    const name = underShared.startsWith('..') || resolve(underShared) === underShared ? relative(options.cwd, absolute) : underShared;
    return name.split(sep).join('/');
  };
  const files: string[] = [];
  const notes: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => undefined);
    if (!info) throw new InputError({ file: given, message: 'GPU profile: file or folder not found' });
    if (info.isDirectory()) {
      const found = await profilesInFolder(given, options.format, notes, label);
      if (found.length === 0) throw new InputError({ file: given, message: 'folder holds no GPU profile CSV (Vidur mlp.csv / all_reduce.csv / send_recv.csv, SplitwiseSim perf_model.csv, canonical GPU-profile CSV)' });
      files.push(...found);
    } else files.push(given);
  }
  const unique = [...new Set(files)];
  const profiles: GpuProfile[] = [];
  const sources: CalibrationSource[] = [];
  const dates = new Set<string>();
  for (const file of unique) {
    const profile = await readGpuProfile(file, options.format ? { format: options.format } : {});
    profiles.push(profile);
    sources.push({ file: label(file), format: profile.format, rows: profile.rows.length, provenance: profile.provenance.map((p) => p.source + (p.date ? ` (${p.date})` : '')) });
    for (const p of profile.provenance) if (p.date) dates.add(`${label(file)}: ${p.date}`);
    const snapshot = await snapshotLine(file, label);
    if (snapshot) dates.add(snapshot);
  }
  return { profiles, sources, dataDates: [...dates].sort(), notes, label };
}

async function profilesInFolder(folder: string, format: string | undefined, notes: string[], label: (f: string) => string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.toLowerCase().endsWith('.csv')) {
        if (format !== undefined) {
          found.push(path);
          continue;
        }
        try {
          await resolveFormat(path, traceFormats, { kind: 'gpu-profile' });
          found.push(path);
        } catch {
          notes.push(`${label(path)}: not a GPU profile; skipped`);
        }
      }
    }
  };
  await walk(folder);
  return found;
}

/** The "Snapshot commit … (date)" line of the nearest SOURCE.md above a file, if any. */
async function snapshotLine(file: string, label: (f: string) => string): Promise<string | undefined> {
  let dir = dirname(resolve(file));
  for (let depth = 0; depth < 8; depth++) {
    const candidate = join(dir, 'SOURCE.md');
    const text = await readFile(candidate, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      const line = text.split('\n').find((l) => /snapshot/i.test(l) && /\d{4}-\d{2}-\d{2}/.test(l));
      return line ? `${label(candidate)}: ${line.replace(/^[-*\s]+/, '').trim()}` : undefined;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}
