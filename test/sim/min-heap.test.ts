import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../harness/sim/min-heap.js';

describe('MinHeap', () => {
  it('orders by key then tie, carries tags, and filters entries while keeping heap order', () => {
    const heap = new MinHeap<string>();
    heap.push(3, 0, 'c', 30);
    heap.push(1, 5, 'b', 10);
    heap.push(1, 2, 'a', 20);
    heap.push(2, 0, 'x', 99);
    expect([heap.peekKey(), heap.peekTie(), heap.peekTag(), heap.peek()]).toEqual([1, 2, 20, 'a']);
    heap.filter((item, tag) => item !== 'x' && tag !== 10);
    expect([heap.pop(), heap.pop(), heap.pop()]).toEqual(['a', 'c', undefined]);
    expect(heap.peekKey()).toBe(Infinity);
  });
});
