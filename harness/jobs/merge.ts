import { InputError, type InputProblem } from '../util/input-error.js';
import { byId, type Case, type CaseOutcome } from './cases.js';
import { canonicalJson, planCaseIds, type CasePlan } from './plan.js';
import type { ShardFileOnDisk } from './shard-file.js';
import { formatShard, shardAssignment } from './sharding.js';

/** Shards combined into what one unsharded run would have produced before its finalize step. */
export interface MergedRun<C extends Case = Case, Config = unknown, R = unknown> {
  readonly plan: CasePlan<C, Config>;
  readonly planHash: string;
  /** Every case's outcome exactly once, sorted by id. */
  readonly outcomes: readonly CaseOutcome<R>[];
  readonly shardCount: number;
}

const LISTED = 20;

function listIds(ids: readonly string[]): string {
  return ids.length <= LISTED ? ids.join(', ') : `${ids.slice(0, LISTED).join(', ')} … (${ids.length} in all)`;
}

/** Says how two plans differ, for a mismatch error a person can act on. */
function planDifference(reference: CasePlan, other: CasePlan): string {
  if (reference.command !== other.command) return `command '${other.command}' vs '${reference.command}'`;
  if (reference.seed !== other.seed) return `seed ${other.seed} vs ${reference.seed}`;
  const referenceIds = new Set(planCaseIds(reference));
  const otherIds = new Set(planCaseIds(other));
  const onlyOther = [...otherIds].filter((id) => !referenceIds.has(id));
  const onlyReference = [...referenceIds].filter((id) => !otherIds.has(id));
  if (onlyOther.length > 0 || onlyReference.length > 0) {
    return [onlyOther.length > 0 ? `cases only in this shard's plan: ${listIds(onlyOther)}` : '', onlyReference.length > 0 ? `cases missing from this shard's plan: ${listIds(onlyReference)}` : '']
      .filter(Boolean)
      .join('; ');
  }
  const referenceCases = new Map(reference.cases.map((c) => [c.id, canonicalJson(c)]));
  const changed = other.cases.filter((c) => referenceCases.get(c.id) !== canonicalJson(c)).map((c) => c.id);
  if (changed.length > 0) return `cases defined differently (a different suite or baseline?): ${listIds(changed.sort())}`;
  return 'the configuration differs (options such as --quick, or the command version)';
}

/**
 * Checks that shard files are shards of one plan and cover every case exactly once, and returns
 * the combined outcomes. Every problem is an InputError naming the file, the shard and the case
 * ids involved: files from another run, a missing shard, a shard copied twice.
 */
export function mergeShardFiles<C extends Case = Case, Config = unknown, R = unknown>(files: readonly ShardFileOnDisk[]): MergedRun<C, Config, R> {
  if (files.length === 0) throw new InputError({ file: '(merge)', message: 'no shard files to merge' });
  // The plan most files agree on is the reference; a stray file from another run is the one named.
  const votes = new Map<string, number>();
  for (const { file } of files) votes.set(file.planHash, (votes.get(file.planHash) ?? 0) + 1);
  const referenceHash = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const reference = files.find(({ file }) => file.planHash === referenceHash)!;
  const mismatches: InputProblem[] = files
    .filter(({ file }) => file.planHash !== referenceHash)
    .map(({ path, file }) => ({
      file: path,
      field: 'planHash',
      value: file.planHash.slice(0, 12),
      message: `shard ${formatShard(file.shard)} comes from a different run than ${reference.path} (plan ${referenceHash.slice(0, 12)}): ${planDifference(reference.file.plan, file.plan)}`,
    }));
  if (mismatches.length > 0) throw new InputError(mismatches);

  const shardCount = reference.file.shard.count;
  const countMismatch = files.filter(({ file }) => file.shard.count !== shardCount);
  if (countMismatch.length > 0) {
    throw new InputError(
      countMismatch.map(({ path, file }) => ({ file: path, field: 'shard', value: formatShard(file.shard), message: `was split into ${file.shard.count} shards, ${reference.path} into ${shardCount}: merge shards of one split` })),
    );
  }

  const seenIn = new Map<string, string[]>();
  const outcomes: CaseOutcome[] = [];
  for (const { path, file } of files) {
    for (const outcome of file.outcomes) {
      const where = seenIn.get(outcome.id);
      if (where) where.push(path);
      else {
        seenIn.set(outcome.id, [path]);
        outcomes.push(outcome);
      }
    }
  }
  const problems: InputProblem[] = [];
  const duplicates = [...seenIn.entries()].filter(([, paths]) => paths.length > 1).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [id, paths] of duplicates) problems.push({ file: paths.join(', '), field: 'case', value: id, message: 'case appears in more than one shard file (a shard copied twice?)' });
  const planIds = planCaseIds(reference.file.plan);
  const planIdSet = new Set(planIds);
  const unknown = [...seenIn.keys()].filter((id) => !planIdSet.has(id)).sort();
  if (unknown.length > 0) problems.push({ file: reference.path, field: 'case', value: listIds(unknown), message: 'results for cases the plan does not have' });
  const missing = planIds.filter((id) => !seenIn.has(id));
  if (missing.length > 0) {
    const byShard = new Map<number, string[]>();
    const assignment = shardAssignment(reference.file.plan.cases, shardCount);
    for (const id of missing) {
      const index = assignment.get(id)!;
      byShard.set(index, [...(byShard.get(index) ?? []), id]);
    }
    for (const [index, ids] of [...byShard.entries()].sort((a, b) => a[0] - b[0])) {
      const present = files.some(({ file }) => file.shard.index === index);
      problems.push({
        file: `shard ${index}/${shardCount}`,
        field: 'case',
        value: listIds(ids),
        message: present ? 'missing from its shard file' : `no results: the file ${reference.file.command}.shard-${index}-of-${shardCount}.json is missing (did that shard fail?)`,
      });
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return { plan: reference.file.plan as CasePlan<C, Config>, planHash: referenceHash, outcomes: outcomes.sort(byId) as CaseOutcome<R>[], shardCount };
}
