import { describe, expect, it } from 'vitest';
import { scenarioIterations } from '../../harness/scenario/batches.js';
import type { Workload } from '../../harness/traces/types.js';
import { iterationOf, testScenario } from '../schedulers/fixtures/scenario.js';

function workload(sizes: number[]): Workload {
  return {
    meta: { format: 'test', sources: [], synthetic: true, notes: [] },
    iterations: sizes.map((size, it) => iterationOf(Array.from({ length: size }, (_, g) => ({ prompt: 10 + g, responses: [it * 100 + g] })), it)),
  };
}

describe('scenarioIterations', () => {
  it('keeps trace iterations that already hold the scenario batch', () => {
    const { iterations, notes } = scenarioIterations(workload([4, 4, 4]), testScenario({ prompts: 4, miniBatchPrompts: 2 }), { iterations: 2 });
    expect(iterations.map((it) => it.iteration)).toEqual([0, 1]);
    expect(notes).toEqual([]);
  });

  it('re-cuts other traces into scenario batches, in trace order, dropping a partial tail', () => {
    const { iterations, notes } = scenarioIterations(workload([3, 3, 3]), testScenario({ prompts: 4, miniBatchPrompts: 2 }));
    expect(iterations.map((it) => it.groups.map((g) => g.responseTokens[0]))).toEqual([
      [0, 1, 2, 100],
      [101, 102, 200, 201],
    ]);
    expect(iterations[1]!.groups[0]!.groupId).toBe('1/g1');
    expect(notes).toContain('the last 1 prompts of the trace do not fill a batch and are not replayed');
  });

  it('replays a trace smaller than one batch as one iteration, or the trace batches when asked', () => {
    expect(scenarioIterations(workload([2]), testScenario({ prompts: 4, miniBatchPrompts: 2 })).iterations[0]!.groups).toHaveLength(2);
    const kept = scenarioIterations(workload([3, 3]), testScenario({ prompts: 4, miniBatchPrompts: 2 }), { keepTraceBatches: true, iterations: 5 });
    expect(kept.iterations.map((it) => it.groups.length)).toEqual([3, 3]);
    expect(kept.notes).toContain('asked for 5 iterations; the trace gives 2');
  });
});
