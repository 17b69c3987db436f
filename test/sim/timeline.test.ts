import { describe, expect, it } from 'vitest';
import { Timeline } from '../../harness/sim/timeline.js';

describe('Timeline', () => {
  it('starts a task when its inputs exist and its GPUs are free', () => {
    const timeline = new Timeline(0, 4);
    const a = timeline.run({ name: 'p', firstGpu: 0, gpus: 2 }, { task: 'a', stage: 's', durationS: 5 });
    const b = timeline.run({ name: 'q', firstGpu: 1, gpus: 2 }, { task: 'b', stage: 's', durationS: 1, readyS: 2 });
    const c = timeline.run({ name: 'r', firstGpu: 3, gpus: 1 }, { task: 'c', stage: 's', durationS: 1, readyS: 2 });
    expect([a.startS, a.endS]).toEqual([0, 5]);
    expect([b.startS, b.endS]).toEqual([5, 6]); // waits for GPU 1
    expect([c.startS, c.endS]).toEqual([2, 3]); // GPU 3 was free
    expect(timeline.endS()).toBe(6);
    expect(timeline.spans().map((s) => s.task)).toEqual(['a', 'c', 'b']);
  });

  it('records zero-length tasks as a barrier but not as a span, and CPU work as a zero-GPU span', () => {
    const timeline = new Timeline(3, 2);
    timeline.record({ name: 'p', firstGpu: 0, gpus: 2 }, { task: 'barrier', stage: 's' }, 4, 4);
    expect(timeline.freeAtS({ name: 'p', firstGpu: 0, gpus: 2 })).toBe(4);
    timeline.record({ name: 'driver', firstGpu: 0, gpus: 0 }, { task: 'reward', stage: 'inference' }, 4, 5);
    expect(timeline.spans()).toEqual([{ pool: 'driver', firstGpu: 0, gpus: 0, task: 'reward', stage: 'inference', iteration: 3, startS: 4, endS: 5 }]);
    expect(() => timeline.run({ name: 'p', firstGpu: 0, gpus: 1 }, { task: 'x', stage: 's', durationS: -1 })).toThrow(/duration/);
  });
});
