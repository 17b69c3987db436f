import { describe, expect, it } from 'vitest';
import { checkBarrier, checkExactlyOnce, checkPhaseOrder, checkSpans, checkSpansInsideAllocations } from '../../harness/sim/invariants.js';
import { SampleLedger } from '../../harness/sim/ledger.js';
import type { Span } from '../../harness/sim/types.js';

const span = (task: string, firstGpu: number, gpus: number, startS: number, endS: number): Span => ({ pool: task, firstGpu, gpus, task, stage: 's', iteration: 0, startS, endS });

describe('invariant checks (they must be able to fail)', () => {
  it('flag a GPU running two tasks at once, but not back-to-back tasks or disjoint GPUs', () => {
    expect(checkSpans([span('a', 0, 2, 0, 5), span('b', 2, 2, 1, 3), span('c', 0, 1, 5, 6)], 4)).toEqual([]);
    expect(checkSpans([span('a', 0, 2, 0, 5), span('b', 1, 2, 4, 6)], 4)).toHaveLength(1);
    expect(checkSpans([span('a', 3, 2, 0, 5)], 4)[0]).toMatch(/outside/);
  });

  it('flag spans on unallocated GPUs', () => {
    const allocations = [{ pool: 'x', firstGpu: 0, gpus: 2, fromS: 0, toS: 4 }];
    expect(checkSpansInsideAllocations([span('a', 0, 2, 0, 4)], allocations)).toEqual([]);
    expect(checkSpansInsideAllocations([span('a', 1, 2, 0, 4)], allocations)).toHaveLength(1);
    expect(checkSpansInsideAllocations([span('a', 0, 2, 0, 5)], allocations)).toHaveLength(1);
  });

  it('flag samples skipped, repeated, or processed before their inputs', () => {
    const ledger = new SampleLedger(3);
    ledger.markAll('generate', 0, 1);
    ledger.mark('ref', 0, 1, 2);
    ledger.mark('ref', 1, 0.5, 2);
    ledger.mark('ref', 1, 1, 2);
    ledger.markMany('train', [0, 1, 2], 1.5, 3);
    expect(checkExactlyOnce(ledger, ['generate'])).toEqual([]);
    expect(checkExactlyOnce(ledger, ['ref'])).toEqual(['sample 1 went through ref 2 times', 'sample 2 went through ref 0 times']);
    expect(checkPhaseOrder(ledger, ['generate'], ['train'])).toEqual([]);
    const early = new SampleLedger(1);
    early.mark('generate', 0, 0, 2);
    early.mark('ref', 0, 1, 3);
    expect(checkPhaseOrder(early, ['generate'], ['ref'])).toHaveLength(1);
    expect(checkBarrier(ledger, ['ref'], ['train'])).toHaveLength(3);
    expect(ledger.phases()).toEqual(['generate', 'ref', 'train']);
  });
});
