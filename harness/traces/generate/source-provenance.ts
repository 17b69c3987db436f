import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { sharedRoot } from '../../util/shared-data.js';

/**
 * Where a fitted source came from, written so that it reads the same on every machine: paths
 * relative to the shared folder (`research/data/...`) when the source lives there, and the
 * upstream commit its SOURCE.md records.
 */
export function portablePath(path: string, env: Readonly<Record<string, string | undefined>> = process.env, cwd: string = process.cwd()): string {
  const absolute = resolve(path);
  const fromShared = relative(sharedRoot(env), absolute);
  if (!fromShared.startsWith('..') && !isAbsolute(fromShared)) return fromShared.split(sep).join('/');
  return relative(cwd, absolute).split(sep).join('/');
}

/** The nearest SOURCE.md at or above `path` (not above the shared data folder). */
export function findSourceDoc(path: string, env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const stop = resolve(sharedRoot(env), 'research', 'data');
  let directory = resolve(path);
  for (let i = 0; i < 32; i++) {
    const candidate = join(directory, 'SOURCE.md');
    if (existsSync(candidate)) return candidate;
    if (directory === stop || dirname(directory) === directory) return undefined;
    directory = dirname(directory);
  }
  return undefined;
}

/** The first 40-hex commit a SOURCE.md names after the word "commit". */
export function sourceCommitOf(sourceDocText: string): string | undefined {
  return /commit[^0-9a-f\n]{0,20}([0-9a-f]{40})/i.exec(sourceDocText)?.[1];
}

export function sourceProvenance(path: string): { sourceCommit?: string; sourceDoc?: string } {
  const doc = findSourceDoc(path);
  if (!doc) return {};
  const commit = sourceCommitOf(readFileSync(doc, 'utf8'));
  return { ...(commit ? { sourceCommit: commit } : {}), sourceDoc: portablePath(doc) };
}
