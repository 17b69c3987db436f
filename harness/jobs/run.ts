import { byId, loadCaseKinds, runTimedCase, type Case, type CaseKindRegistry, type CaseKindsRef, type CaseOutcome, type TimedOutcome } from './cases.js';
import { createCasePool } from './worker-pool.js';

export interface RunCasesOptions {
  readonly seed: number;
  readonly baseDir: string;
  /** 1: run in this thread. N > 1: run non-exclusive cases on N worker threads. */
  readonly jobs: number;
  /** The registry by reference (what workers import). */
  readonly kinds: CaseKindsRef;
  /** The same registry already loaded in this thread; imported from `kinds` when absent. */
  readonly registry?: CaseKindRegistry;
  readonly onProgress?: (done: number, total: number, id: string) => void;
  /** The wall seconds each case took (what a case-costs file records for the next run's sharding). */
  readonly onCaseTimed?: (id: string, seconds: number) => void;
}

/**
 * Runs cases and returns their outcomes sorted by id, so nothing downstream depends on the order
 * they ran in or on the pool. The pool takes the longest estimated cases first (Case.costEstimateS),
 * so a long case does not start last and keep one thread busy while the others idle. Cases of
 * exclusive kinds (timings) run last, one at a time, in this thread, after the pool has finished
 * and shut down.
 */
export async function runCases(cases: readonly Case[], options: RunCasesOptions): Promise<CaseOutcome[]> {
  const registry = options.registry ?? (await loadCaseKinds(options.kinds));
  const ordered = [...cases].sort(byId);
  const longestFirst = (a: Case, b: Case) => (b.costEstimateS ?? 0) - (a.costEstimateS ?? 0) || byId(a, b);
  const isExclusive = (c: Case) => (Object.hasOwn(registry, c.kind) ? registry[c.kind]!.exclusive === true : false);
  const parallel = ordered.filter((c) => !isExclusive(c)).sort(longestFirst);
  const exclusive = ordered.filter(isExclusive);
  const outcomes: CaseOutcome[] = [];
  let done = 0;
  const finished = ({ outcome, seconds }: TimedOutcome) => {
    outcomes.push(outcome);
    options.onCaseTimed?.(outcome.id, seconds);
    options.onProgress?.(++done, ordered.length, outcome.id);
  };

  const threads = Math.min(options.jobs, parallel.length);
  if (threads > 1) {
    const pool = createCasePool({ kinds: options.kinds, threads, seed: options.seed, baseDir: options.baseDir });
    try {
      await Promise.all(parallel.map(async (c) => finished(await pool.run(c))));
    } finally {
      await pool.destroy();
    }
  } else {
    for (const c of parallel) finished(await runTimedCase(registry, c, options.seed, options.baseDir));
  }
  for (const c of exclusive) finished(await runTimedCase(registry, c, options.seed, options.baseDir));
  return outcomes.sort(byId);
}
