import { MinHeap } from './min-heap.js';

/**
 * A priority queue of events ordered by time, then by a sequence number this queue hands out.
 * The sequence number is per queue (per simulation), so two simulations never share a counter
 * and events at the same time pop in the order they were pushed: same inputs, same order.
 */
export class EventQueue<T> {
  private readonly heap = new MinHeap<T>();
  private nextSeq = 0;

  get size(): number {
    return this.heap.size;
  }

  /** Adds an event; returns its sequence number (unique within this queue). */
  push(timeS: number, item: T): number {
    if (Number.isNaN(timeS)) throw new Error('EventQueue.push: time is NaN');
    const seq = this.nextSeq++;
    this.heap.push(timeS, seq, item);
    return seq;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTimeS(): number {
    return this.heap.peekKey();
  }

  peek(): T | undefined {
    return this.heap.peek();
  }

  /** Sequence number of the earliest event, or -1 when empty (lets callers skip stale entries). */
  peekSeq(): number {
    return this.heap.peekTie();
  }

  /** Removes and returns the earliest event (ties: first pushed first). */
  pop(): { timeS: number; seq: number; item: T } | undefined {
    if (this.heap.size === 0) return undefined;
    const timeS = this.heap.peekKey();
    const seq = this.heap.peekTie();
    const item = this.heap.pop()!;
    return { timeS, seq, item };
  }
}
