import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (the folder holding package.json). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The shared folder beside the project (`../shared`), which holds the papers, the reference
 * facts and the real public traces. Never copied into the project; read in place.
 * `RLHF_REPLAY_SHARED` overrides where it is.
 */
export function sharedRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.RLHF_REPLAY_SHARED ? resolve(env.RLHF_REPLAY_SHARED) : resolve(projectRoot, '..', 'shared');
}

/** A path under `shared/research/data/`. */
export function sharedDataPath(...parts: string[]): string {
  return join(sharedRoot(), 'research', 'data', ...parts);
}

export function hasSharedData(...parts: string[]): boolean {
  return existsSync(sharedDataPath(...parts));
}
