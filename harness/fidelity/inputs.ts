import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCalibration } from '../cost/calibration/load.js';
import type { Calibration } from '../cost/calibration/types.js';
import { loadFrameworkCalibration } from '../cost/framework/load.js';
import type { FrameworkCalibration } from '../cost/framework/types.js';
import { parseLengthModel, type LengthModel } from '../traces/generate/length-model.js';
import { InputError } from '../util/input-error.js';
import { projectRoot } from '../util/shared-data.js';

/**
 * The files the fidelity check and the framework calibration read besides the recorded runs,
 * with the shipped defaults: the kernel calibration fitted on the public GPU profiles, the
 * framework calibration fitted on the recorded runs, and the recorded length law that stands in
 * for steps whose source publishes no length statistics.
 */
export const DEFAULT_KERNEL_CALIBRATION = 'harness/cost/calibrations/public-profiles.json';
export const DEFAULT_FRAMEWORK_CALIBRATION = 'harness/cost/calibrations/rl-step-logs.json';
export const DEFAULT_FALLBACK_LENGTHS = 'traces/fitted/polytrace-dapo-32b.json';

/** A path relative to the package (the shipped defaults) made absolute. */
export function packagePath(relativePath: string): string {
  return join(projectRoot, relativePath);
}

export async function readKernelCalibration(path: string): Promise<Calibration> {
  return loadCalibration(path);
}

/** `none` turns the framework calibration off (the raw cost model). */
export async function readFrameworkCalibration(path: string): Promise<FrameworkCalibration | undefined> {
  return path === 'none' ? undefined : loadFrameworkCalibration(path);
}

export async function readFallbackLengths(path: string): Promise<{ model: LengthModel; file: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError({ file: path, message: `length model: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error)}` });
  }
  return { model: parseLengthModel(text, path), file: path.startsWith(projectRoot) ? path.slice(projectRoot.length + 1) : path };
}
