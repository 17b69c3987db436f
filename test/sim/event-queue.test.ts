import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../harness/sim/event-queue.js';

describe('EventQueue', () => {
  it('pops by time, and events at the same time in the order they were pushed', () => {
    const queue = new EventQueue<string>();
    queue.push(2, 'c');
    queue.push(1, 'a');
    queue.push(2, 'd');
    queue.push(1, 'b');
    expect([queue.pop()!.item, queue.pop()!.item, queue.pop()!.item, queue.pop()!.item]).toEqual(['a', 'b', 'c', 'd']);
    expect(queue.pop()).toBeUndefined();
    expect(queue.peekTimeS()).toBe(Infinity);
  });

  it('numbers events per queue, so two simulations never share a counter', () => {
    const a = new EventQueue<number>();
    const b = new EventQueue<number>();
    expect(a.push(1, 0)).toBe(0);
    expect(a.push(1, 0)).toBe(1);
    expect(b.push(1, 0)).toBe(0);
  });

  it('rejects NaN times', () => {
    expect(() => new EventQueue<number>().push(Number.NaN, 1)).toThrow(/NaN/);
  });

  it('matches a stable sort by time over random pushes and pops', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { maxLength: 200 }), (ops) => {
        const queue = new EventQueue<number>();
        const model: { t: number; seq: number }[] = [];
        let seq = 0;
        for (const [t, popToo] of ops) {
          queue.push(t, seq);
          model.push({ t, seq });
          seq++;
          if (popToo) {
            model.sort((x, y) => x.t - y.t || x.seq - y.seq);
            const expected = model.shift()!;
            const got = queue.pop()!;
            expect([got.timeS, got.item]).toEqual([expected.t, expected.seq]);
          }
        }
        model.sort((x, y) => x.t - y.t || x.seq - y.seq);
        for (const expected of model) expect(queue.pop()!.item).toBe(expected.seq);
      }),
      { seed: 1, numRuns: 100 },
    );
  });
});
