import { isAbsolute, relative, resolve } from 'node:path';
import type { CliIo } from '../context.js';
import { InputError } from '../../util/input-error.js';

/**
 * A path the user typed, made usable by this process: relative paths are taken from `io.cwd` (so
 * in-process tests can run from any folder) and given back relative to the process, which keeps
 * them exactly as typed in normal use, and so in error messages.
 */
export function inputPath(io: CliIo, given: string): string {
  if (isAbsolute(given)) return given;
  return relative(process.cwd(), resolve(io.cwd, given)) || '.';
}

/** A bad flag value, reported like any other input problem (`--flag: field 'flag' value 'v': …`, exit 2). */
export function optionError(flag: string, value: unknown, message: string): InputError {
  return new InputError({ file: `--${flag}`, field: flag, value, message });
}

/** Parses a flag that must be a positive whole number, when given. */
export function positiveIntegerOption(flag: string, value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw optionError(flag, value, `must be a positive whole number${what ? ` of ${what}` : ''}`);
  return value;
}

/** Parses `--max-response`: a positive whole number of tokens. */
export function maxResponseOption(value: unknown): number | undefined {
  return positiveIntegerOption('max-response', value, 'tokens');
}
