import { MinHeap } from '../../sim/min-heap.js';

/**
 * Running sequences keyed by the decode step at which each finishes, ties broken by sample id
 * so finish order is deterministic. Each entry carries the sequence's token at push time; an
 * entry whose token no longer matches (the sequence was preempted, migrated or finished) is
 * stale and skipped (lazy deletion).
 */
export interface HeapSeq {
  readonly sampleId: number;
  finishStep: number;
  token: number;
}

export class FinishHeap<S extends HeapSeq> {
  private readonly heap = new MinHeap<S>();

  get size(): number {
    return this.heap.size;
  }

  push(seq: S): void {
    this.heap.push(seq.finishStep, seq.sampleId, seq, seq.token);
  }

  /** Drops stale entries at the top; returns the smallest live key, or Infinity. */
  minKey(): number {
    while (this.heap.size > 0 && this.heap.peekTag() !== this.heap.peek()!.token) this.heap.pop();
    return this.heap.peekKey();
  }

  /** Pops the live top (call after minKey()). */
  popTop(): S {
    return this.heap.pop()!;
  }

  /** Drops every stale entry (after a preemption or a migration). */
  compact(): void {
    this.heap.filter((seq, token) => seq.token === token);
  }
}
