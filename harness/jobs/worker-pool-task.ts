import { loadCaseKinds, runTimedCase, type Case, type CaseKindsRef, type TimedOutcome } from './cases.js';

/** One unit of work sent to a pool worker: plain data only (functions cannot cross threads). */
export interface CaseTask {
  readonly kinds: CaseKindsRef;
  readonly testCase: Case;
  readonly seed: number;
  readonly baseDir: string;
}

/** Runs one case inside a worker: imports the registry (cached after the first task) and runs it. */
export async function runCaseTask(task: CaseTask): Promise<TimedOutcome> {
  const registry = await loadCaseKinds(task.kinds);
  return runTimedCase(registry, task.testCase, task.seed, task.baseDir);
}
