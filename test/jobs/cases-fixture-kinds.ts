import { isMainThread, threadId } from 'node:worker_threads';
import type { Case, CaseKindRegistry } from '../../harness/jobs/cases.js';
import { InputError } from '../../harness/util/input-error.js';

/**
 * Case kinds for the framework's own tests (imported by pool workers through its URL):
 * - draw: three numbers from the case's random stream, so results show which seed a case got;
 * - where: which thread ran it (exclusive kinds must run on the main thread);
 * - fail: throws, as a bad input or as a bug;
 * - crash: an uncaught exception outside the case's promise, which kills its worker thread.
 */
export interface DrawCase extends Case {
  readonly kind: 'draw';
  readonly scale: number;
}

export const fixtureKinds: CaseKindRegistry = {
  draw: {
    kind: 'draw',
    run: (c: DrawCase, { rng }) => ({ id: c.id, values: [rng.next(), rng.next(), rng.next()].map((v) => v * c.scale) }),
  },
  where: { kind: 'where', exclusive: true, run: () => ({ mainThread: isMainThread, threadId }) },
  'where-parallel': { kind: 'where-parallel', run: () => ({ mainThread: isMainThread, threadId }) },
  fail: {
    kind: 'fail',
    run: (c: Case & { readonly input?: boolean }) => {
      if (c.input) throw new InputError({ file: 'fixture.json', line: 3, field: 'x', value: 1, message: 'bad x' });
      throw new Error('boom');
    },
  },
  crash: {
    kind: 'crash',
    run: () => {
      if (isMainThread) throw new Error('crash only runs in a worker');
      setTimeout(() => {
        throw new Error('uncaught in a timer');
      }, 1);
      return new Promise(() => {});
    },
  },
};

export const FIXTURE_KINDS_REF = { module: import.meta.url, exportName: 'fixtureKinds' } as const;
