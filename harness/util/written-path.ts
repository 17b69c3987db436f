import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { projectRoot } from './shared-data.js';

/**
 * Paths an input file writes — a scenario's `extends`, `costModel.calibration` and model config.json
 * paths: relative to the file that writes them, or `package:<path>` relative to the rlhf-replay
 * package itself, so a scenario copied to any folder still finds the files shipped with the package
 * (`"calibration": "package:harness/cost/calibrations/public-profiles.json"`).
 */
export const PACKAGE_PREFIX = 'package:';

export function isPackagePath(written: string): boolean {
  return written.startsWith(PACKAGE_PREFIX);
}

/** The file a written path names: `package:` paths from the package root, absolute ones as they are, others from the writing file's folder. */
export function resolveWrittenPath(written: string, writingFile: string | undefined): string {
  if (isPackagePath(written)) return resolve(projectRoot, written.slice(PACKAGE_PREFIX.length));
  if (isAbsolute(written)) return written;
  return writingFile ? resolve(dirname(writingFile), written) : resolve(written);
}

/** The `package:` form of a file inside the package (forward slashes), or undefined for a file outside it. */
export function packagePathOf(file: string): string | undefined {
  const inside = relative(projectRoot, resolve(file));
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
  return `${PACKAGE_PREFIX}${inside.split(sep).join('/')}`;
}

/**
 * The same file written from another file: a path a parent scenario (`extends`) wrote, restated
 * for the scenario that inherits it — its `package:` form when it is inside the package, else
 * relative to the inheriting file's folder. Paths already in `package:` or absolute form stay.
 */
export function restatePath(written: string, writingFile: string, inheritingFile: string): string {
  if (isPackagePath(written) || isAbsolute(written)) return written;
  const target = resolveWrittenPath(written, writingFile);
  return packagePathOf(target) ?? relative(dirname(resolve(inheritingFile)), target).split(sep).join('/');
}

/** How to fix a path that names no file, for error messages. */
export function pathFixHint(field: string, writingFile: string | undefined): string {
  const folder = writingFile ? dirname(resolve(writingFile)) : process.cwd();
  return `${field} is read relative to the folder of the file that writes it (${folder}); write 'package:<path>' for a file shipped with rlhf-replay (e.g. 'package:harness/cost/calibrations/public-profiles.json')`;
}
