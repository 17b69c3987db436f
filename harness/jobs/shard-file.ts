import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InputError } from '../util/input-error.js';
import { byId, type Case, type CaseOutcome } from './cases.js';
import { PLAN_FORMAT_VERSION, planHash, type CasePlan } from './plan.js';
import { formatShard, shardAssignment, type Shard } from './sharding.js';

/**
 * What one shard writes: the whole plan (so `merge` needs nothing else and can check every shard
 * came from the same one), which shard this is, and the outcomes of its cases. Named
 * `<command>.shard-<i>-of-<n>.json`; `merge <dir>` reads every file so named.
 */
export const SHARD_FILE_FORMAT = 'rlhf-replay-shard';

export interface ShardFile<C extends Case = Case, Config = unknown, R = unknown> {
  readonly format: typeof SHARD_FILE_FORMAT;
  readonly version: number;
  readonly command: string;
  readonly planHash: string;
  readonly shard: Shard;
  /** Ids of the cases this shard ran, sorted. */
  readonly caseIds: readonly string[];
  readonly plan: CasePlan<C, Config>;
  /** Sorted by id. */
  readonly outcomes: readonly CaseOutcome<R>[];
}

export interface ShardFileOnDisk<C extends Case = Case, Config = unknown, R = unknown> {
  readonly path: string;
  readonly file: ShardFile<C, Config, R>;
}

const SHARD_FILE_NAME = /^(.+)\.shard-(\d+)-of-(\d+)\.json$/;

export function shardFileName(command: string, shard: Shard): string {
  return `${command}.shard-${shard.index}-of-${shard.count}.json`;
}

export function buildShardFile<C extends Case, Config, R>(plan: CasePlan<C, Config>, shard: Shard, outcomes: readonly CaseOutcome<R>[]): ShardFile<C, Config, R> {
  const sorted = [...outcomes].sort(byId);
  return {
    format: SHARD_FILE_FORMAT,
    version: PLAN_FORMAT_VERSION,
    command: plan.command,
    planHash: planHash(plan),
    shard,
    caseIds: sorted.map((o) => o.id),
    plan,
    outcomes: sorted,
  };
}

export function serializeShardFile(file: ShardFile): string {
  return `${JSON.stringify(file, null, 1)}\n`;
}

/** Writes the shard file into `dir` atomically and returns its path. */
export async function writeShardFile(dir: string, file: ShardFile): Promise<string> {
  const path = join(dir, shardFileName(file.command, file.shard));
  await writeFileAtomic(path, serializeShardFile(file));
  return path;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and checks the structure of a shard file; anything off is an InputError naming the file and field. */
export function parseShardFile(text: string, path: string): ShardFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError({ file: path, message: `shard file: not valid JSON (${error instanceof Error ? error.message : String(error)}); was it cut short while copying?` });
  }
  const fail = (field: string, shown: unknown, message: string): never => {
    throw new InputError({ file: path, field, value: shown, message: `shard file: ${message}` });
  };
  if (!isObject(value)) return fail('(root)', value, 'expected a JSON object');
  if (value.format !== SHARD_FILE_FORMAT) fail('format', value.format, `expected '${SHARD_FILE_FORMAT}' (not a shard file)`);
  if (value.version !== PLAN_FORMAT_VERSION) fail('version', value.version, `this harness reads version ${PLAN_FORMAT_VERSION}; re-run the shards with the same harness as the merge`);
  if (typeof value.command !== 'string' || value.command === '') fail('command', value.command, 'must name the command that wrote it');
  if (typeof value.planHash !== 'string' || !/^[0-9a-f]{64}$/.test(value.planHash)) fail('planHash', value.planHash, 'must be a SHA-256 hex digest');
  const shard = value.shard;
  if (!isObject(shard) || !Number.isInteger(shard.index) || !Number.isInteger(shard.count) || (shard.count as number) < 1 || (shard.index as number) < 0 || (shard.index as number) >= (shard.count as number)) {
    fail('shard', shard, 'must be { index, count } with 0 <= index < count');
  }
  const plan = value.plan;
  if (!isObject(plan) || plan.command !== value.command || typeof plan.seed !== 'number' || !Array.isArray(plan.cases)) fail('plan', undefined, 'must hold the command, seed, cases and config of the run');
  const planValue = plan as unknown as CasePlan;
  if (planValue.cases.some((c) => !isObject(c) || typeof c.id !== 'string' || typeof c.kind !== 'string')) fail('plan.cases', undefined, 'every case needs a string id and kind');
  const recomputed = planHash(planValue);
  if (recomputed !== value.planHash) fail('planHash', value.planHash, `does not match the plan it holds (${recomputed}): the file was edited or damaged`);
  if (!Array.isArray(value.outcomes)) fail('outcomes', value.outcomes, 'must be a list');
  const outcomes = value.outcomes as unknown[];
  outcomes.forEach((outcome, index) => {
    if (!isObject(outcome) || typeof outcome.id !== 'string' || typeof outcome.kind !== 'string' || (outcome.status !== 'ok' && outcome.status !== 'error')) {
      fail(`outcomes[${index}]`, outcome, "must be { id, kind, status: 'ok', result } or { id, kind, status: 'error', error }");
    }
    if ((outcome as Record<string, unknown>).status === 'error' && !isObject((outcome as Record<string, unknown>).error)) fail(`outcomes[${index}].error`, undefined, 'must be { message, inputError }');
  });
  const caseIds = value.caseIds;
  const outcomeIds = (outcomes as CaseOutcome[]).map((o) => o.id);
  if (!Array.isArray(caseIds) || caseIds.length !== outcomeIds.length || caseIds.some((id, i) => id !== outcomeIds[i])) fail('caseIds', caseIds, 'must list the ids of its outcomes, in order');
  return value as unknown as ShardFile;
}

/** Every `*.shard-<i>-of-<n>.json` file in `dir`, parsed and checked, sorted by file name. */
export async function readShardFiles(dir: string): Promise<ShardFileOnDisk[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError({ file: dir, message: code === 'ENOENT' ? 'folder not found' : code === 'ENOTDIR' ? 'is a file, not a folder of shard files' : `cannot be read (${code ?? String(error)})` });
  }
  const shardNames = names.filter((name) => SHARD_FILE_NAME.test(name)).sort();
  if (shardNames.length === 0) throw new InputError({ file: dir, message: 'no shard files here (expected <command>.shard-<i>-of-<n>.json, written by a command run with --shard i/n)' });
  const files: ShardFileOnDisk[] = [];
  for (const name of shardNames) {
    const path = join(dir, name);
    const file = parseShardFile(await readFile(path, 'utf8'), path);
    const [, command, index, count] = SHARD_FILE_NAME.exec(name)!;
    if (command !== file.command || Number(index) !== file.shard.index || Number(count) !== file.shard.count) {
      throw new InputError({ file: path, message: `shard file: its name says ${command} shard ${index}/${count} but it holds ${file.command} shard ${formatShard(file.shard)}` });
    }
    const assignment = shardAssignment(file.plan.cases, file.shard.count);
    for (const outcome of file.outcomes) {
      if (assignment.get(outcome.id) !== file.shard.index) throw new InputError({ file: path, field: 'outcomes', value: outcome.id, message: `case does not belong to shard ${formatShard(file.shard)}` });
    }
    files.push({ path, file });
  }
  return files;
}
