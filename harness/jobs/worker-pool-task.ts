import { loadCaseKinds, runCase, type Case, type CaseKindsRef, type CaseOutcome } from './cases.js';

/** One unit of work sent to a pool worker: plain data only (functions cannot cross threads). */
export interface CaseTask {
  readonly kinds: CaseKindsRef;
  readonly testCase: Case;
  readonly seed: number;
  readonly baseDir: string;
}

/** Runs one case inside a worker: imports the registry (cached after the first task) and runs it. */
export async function runCaseTask(task: CaseTask): Promise<CaseOutcome> {
  const registry = await loadCaseKinds(task.kinds);
  return runCase(registry, task.testCase, task.seed, task.baseDir);
}
