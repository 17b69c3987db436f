import { isAbsolute, relative, resolve } from 'node:path';
import type { Options } from 'yargs';
import type { CliIo } from '../util/cli-io.js';
import { readCaseCosts, recordCaseCosts } from '../jobs/costs.js';
import { resolveShard, SHARD_COUNT_ENV, SHARD_INDEX_ENV, type Shard } from '../jobs/sharding.js';
import { projectRoot } from '../util/shared-data.js';
import { findScheduler, schedulers } from '../schedulers/index.js';
import type { SchedulerEntry } from '../schedulers/types.js';
import { InputError } from '../util/input-error.js';
import { GPU_CATALOG, MODEL_CATALOG, findGpu, findModel } from '../cost/catalog/index.js';
import type { UserStatedRun } from '../fidelity/user-stated.js';

/**
 * Flag parsing shared by the commands. Every bad value is an InputError naming the flag and the
 * value (`--flag: field 'flag' value 'v': …`), which the CLI prints before exiting 2.
 */

/** A bad flag value, reported like any other input problem (`--flag: field 'flag' value 'v': …`, exit 2). */
export function optionError(flag: string, value: unknown, message: string): InputError {
  return new InputError({ file: `--${flag}`, field: flag, value, message });
}

/**
 * A path the user typed, made usable by this process: relative paths are taken from `io.cwd` (so
 * in-process tests can run from any folder) and given back relative to the process, which keeps
 * them exactly as typed in normal use, and so in error messages.
 */
export function inputPath(io: CliIo, given: string): string {
  if (isAbsolute(given)) return given;
  return relative(process.cwd(), resolve(io.cwd, given)) || '.';
}

/** A path for printing: relative to `io.cwd` when it lies below it, else as given. */
export function shownPath(io: CliIo, path: string): string {
  const relativePath = isAbsolute(path) ? relative(io.cwd, path) : path;
  return relativePath.startsWith('..') ? path : relativePath;
}

/** The values typed for each `--flag` (as `--flag v` or `--flag=v`), in order, by flag name; nothing after `--`. */
export function typedFlagValues(args: readonly string[]): Map<string, string[]> {
  const typed = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === '--') break;
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(token);
    if (match === null) continue;
    const value = match[2] ?? (i + 1 < args.length && !/^--/.test(args[i + 1]!) ? args[++i] : undefined);
    if (value !== undefined) typed.set(match[1]!, [...(typed.get(match[1]!) ?? []), value]);
  }
  return typed;
}

const kebabCase = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * yargs turns a number flag it cannot parse into NaN (`--iterations abc`) and a huge one into
 * Infinity; this puts back what the user typed, so the flag's check reports `value 'abc'`, not
 * `value 'NaN'`. Runs as a middleware before any handler sees the arguments.
 */
export function restoreTypedNumbers(argv: Record<string, unknown>, args: readonly string[]): void {
  const typed = typedFlagValues(args);
  const notFinite = (value: unknown) => typeof value === 'number' && !Number.isFinite(value);
  for (const [key, value] of Object.entries(argv)) {
    const given = typed.get(key) ?? typed.get(kebabCase(key));
    if (given === undefined || given.length === 0) continue;
    if (notFinite(value)) argv[key] = given[given.length - 1];
    else if (Array.isArray(value) && value.some(notFinite)) argv[key] = value.map((item, index) => (notFinite(item) ? (given[index] ?? item) : item));
  }
}

/** A string flag's value; given twice, the last one wins (as in most CLIs). */
export function lastString(value: unknown): string | undefined {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return last === undefined ? undefined : String(last);
}

/** Parses a flag that must be a positive whole number, when given; `what` names its unit in the error. */
export function positiveIntegerOption(flag: string, value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw optionError(flag, value, `must be a positive whole number${what ? ` of ${what}` : ''}`);
  return value;
}

/** Parses `--seed`: a whole number that fits the RNG's 32-bit seed. */
export function seedOption(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) throw optionError('seed', value, 'must be a whole number from 0 to 4294967295');
  return value;
}

/** Every registered scheduler name, comma-separated: for `--help` texts and errors. */
export function knownSchedulerNames(): string {
  return schedulers.map((s) => s.name).join(', ');
}

/** One registered scheduler by name (`flag` names the option in the error). */
export function schedulerOption(flag: string, name: string): SchedulerEntry {
  const entry = findScheduler(name);
  if (!entry) throw optionError(flag, name, `unknown scheduler; known: ${knownSchedulerNames()}`);
  return entry;
}

/** `--scheduler a,b --scheduler c` → entries in order, once each; every registered scheduler when absent. */
export function schedulerListOption(value: unknown): SchedulerEntry[] {
  const names = (Array.isArray(value) ? value : [value])
    .filter((v) => v !== undefined)
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (names.length === 0) return [...schedulers];
  const chosen: SchedulerEntry[] = [];
  for (const name of names) {
    const entry = schedulerOption('scheduler', name);
    if (!chosen.includes(entry)) chosen.push(entry);
  }
  return chosen;
}

/** `--shard i/n` and `--shards n`, as every command that writes shard files for `merge` declares them. */
export const shardOptions: Readonly<Record<'shard' | 'shards', Options>> = {
  shard: { type: 'string', describe: `Run only shard i of n ('i/n', 0 ≤ i < n) and write a shard file for \`merge\` [default: $${SHARD_INDEX_ENV} with --shards or $${SHARD_COUNT_ENV}]` },
  shards: { type: 'number', describe: `Number of shards when the index comes from $${SHARD_INDEX_ENV} (a Kubernetes Indexed Job)` },
};

/**
 * The shard this process runs, from `--shard` (`shard`, as the command reads it: `nightly` and
 * `reproduce` pass the last one given), `--shards` and the Indexed-Job environment of `io`.
 */
export function shardOption(io: CliIo, shard: unknown, shards: unknown): Shard {
  return resolveShard({
    // Passed through as given: a repeated flag (an array) is rejected by parseShard as not 'i/n'.
    ...(shard !== undefined ? { flag: shard as string } : {}),
    ...(shards !== undefined ? { countFlag: shards as number } : {}),
    env: io.env,
  });
}

/** `--jobs`: worker threads, a positive whole number; `fallback` when not given. */
export function jobsOption(value: unknown, fallback: number): number {
  return positiveIntegerOption('jobs', value, 'worker threads') ?? fallback;
}

export const caseCostsOptions: Readonly<Record<'case-costs' | 'record-case-costs', Options>> = {
  'case-costs': { type: 'string', describe: 'Wall seconds per case of a recorded run, which balance the shards [default: baselines/case-costs/<command>.json]' },
  'record-case-costs': { type: 'string', describe: "Write the wall seconds each case took to this file (over its other entries), for the next run's shards" },
};

/** The case costs a command's plan attaches (`--case-costs`, or the committed file of the command). */
export function caseCostsFor(io: CliIo, value: unknown, command: string): Promise<ReadonlyMap<string, number>> {
  const given = lastString(value);
  return readCaseCosts(given !== undefined ? inputPath(io, given) : resolve(projectRoot, 'baselines', 'case-costs', `${command}.json`), command);
}

/** Collects each case's seconds and, with `--record-case-costs`, writes them when the run is over. */
export function caseCostRecorder(io: CliIo, value: unknown, command: string): { onCaseTimed(id: string, seconds: number): void; write(): Promise<void> } {
  const path = lastString(value);
  const measured = new Map<string, number>();
  return {
    onCaseTimed: (id, seconds) => void measured.set(id, seconds),
    write: async () => {
      if (path !== undefined) await recordCaseCosts(inputPath(io, path), command, measured);
    },
  };
}

/** `--gpu`, `--model`, `--date`: what a veRL log cannot tell about its run, as the user states it (`scenario from-verl`, `fidelity`). */
export const userStatedRunOptions: Readonly<Record<'gpu' | 'model' | 'date', Options>> = {
  gpu: { type: 'string', describe: `The GPU the run used (a catalog id: ${GPU_CATALOG.map((g) => g.id).join(', ')}); veRL logs do not name it` },
  model: { type: 'string', describe: 'The model, as a catalog id, when the command names a checkpoint path the catalog does not know' },
  date: { type: 'string', describe: 'The date of the veRL code (YYYY-MM-DD): picks the era whose defaults fill what the command leaves out' },
};

/** The stated facts, each checked against the catalog or the date format (a located error otherwise). */
export function userStatedRun(argv: Record<string, unknown>): UserStatedRun {
  const gpu = lastString(argv.gpu);
  if (gpu !== undefined && !findGpu(gpu)) throw new InputError({ file: '--gpu', field: 'gpu', value: gpu, message: `unknown GPU id; the catalog has ${GPU_CATALOG.map((g) => g.id).join(', ')}` });
  const model = lastString(argv.model);
  if (model !== undefined && !findModel(model)) throw new InputError({ file: '--model', field: 'model', value: model, message: `unknown model id; the catalog has ${MODEL_CATALOG.map((m) => m.id).join(', ')}` });
  const date = lastString(argv.date);
  if (date !== undefined && !/^\d{4}-\d{2}(-\d{2})?$/.test(date)) throw new InputError({ file: '--date', field: 'date', value: date, message: 'must be YYYY-MM-DD or YYYY-MM' });
  return { ...(gpu ? { gpu } : {}), ...(model ? { model } : {}), ...(date ? { date } : {}) };
}
