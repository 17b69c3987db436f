import Tinypool from 'tinypool';
import type { Case, CaseKindsRef, TimedOutcome } from './cases.js';
import type { CaseTask } from './worker-pool-task.js';

/**
 * A pool of worker threads (tinypool) that run cases. Workers load TypeScript through tsx (see
 * worker-pool-entry.mjs) and import the case-kind registry named by reference. A worker that
 * dies (out of memory, a native crash) turns its case into an 'error' outcome; the other cases
 * still run.
 */
export interface CasePool {
  run(testCase: Case): Promise<TimedOutcome>;
  destroy(): Promise<void>;
}

export interface CasePoolOptions {
  readonly kinds: CaseKindsRef;
  /** Worker threads; at least 1. */
  readonly threads: number;
  readonly seed: number;
  readonly baseDir: string;
}

const WORKER_ENTRY = new URL('./worker-pool-entry.mjs', import.meta.url).href;

export function createCasePool(options: CasePoolOptions): CasePool {
  if (!Number.isInteger(options.threads) || options.threads < 1) throw new RangeError(`worker pool needs at least one thread, got ${options.threads}`);
  const pool = new Tinypool({
    filename: WORKER_ENTRY,
    runtime: 'worker_threads',
    minThreads: options.threads,
    maxThreads: options.threads,
    // Workers load the registry once and keep it: cases of one command share their modules.
    isolateWorkers: false,
  });
  return {
    async run(testCase) {
      const task: CaseTask = { kinds: options.kinds, testCase, seed: options.seed, baseDir: options.baseDir };
      const started = performance.now();
      try {
        return (await pool.run(task)) as TimedOutcome;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { outcome: { id: testCase.id, kind: testCase.kind, status: 'error', error: { message: `worker failed: ${message}`, inputError: false } }, seconds: (performance.now() - started) / 1000 };
      }
    },
    destroy: () => pool.destroy(),
  };
}
