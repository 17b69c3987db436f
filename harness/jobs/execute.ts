import type { Case, CaseKindRegistry, CaseKindsRef, CaseOutcome } from './cases.js';
import type { CasePlan } from './plan.js';
import { runCases } from './run.js';
import { buildShardFile, writeShardFile, type ShardFile } from './shard-file.js';
import { casesInShard, type Shard } from './sharding.js';

export interface ExecutePlanOptions {
  readonly shard: Shard;
  readonly jobs: number;
  readonly kinds: CaseKindsRef;
  readonly registry?: CaseKindRegistry;
  readonly baseDir: string;
  /** Where a shard writes its shard file. */
  readonly shardDir: string;
  readonly onProgress?: (done: number, total: number, id: string) => void;
  readonly onCaseTimed?: (id: string, seconds: number) => void;
}

export type PlanExecution<R> =
  | { readonly mode: 'whole'; readonly outcomes: readonly CaseOutcome<R>[] }
  | { readonly mode: 'shard'; readonly path: string; readonly file: ShardFile };

/**
 * The common shape of every sharded command: run the shard's cases (all of them when unsharded),
 * then either hand every outcome back for `finalize`, or write a shard file for `merge` to
 * finalize later. Both paths feed finalize the same JSON-normalised, id-sorted outcomes, so a
 * merge prints exactly what one unsharded run prints.
 */
export async function executePlan<C extends Case, Config, R>(plan: CasePlan<C, Config>, options: ExecutePlanOptions): Promise<PlanExecution<R>> {
  const cases = casesInShard(plan.cases, options.shard);
  const outcomes = (await runCases(cases, {
    seed: plan.seed,
    baseDir: options.baseDir,
    jobs: options.jobs,
    kinds: options.kinds,
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onCaseTimed ? { onCaseTimed: options.onCaseTimed } : {}),
  })) as CaseOutcome<R>[];
  if (options.shard.count === 1) return { mode: 'whole', outcomes };
  const file = buildShardFile(plan, options.shard, outcomes);
  const path = await writeShardFile(options.shardDir, file as ShardFile);
  return { mode: 'shard', path, file: file as ShardFile };
}
