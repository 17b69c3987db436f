import { describe, expect, it } from 'vitest';
import { fusedLayout } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/layout.js';
import { InputError } from '../../../../harness/util/input-error.js';

const models = { large: { name: 'actor', forward: 5, activationPerMicroBatch: 1.95 }, small: { name: 'critic', forward: 4, activationPerMicroBatch: 2 } };

describe('fusedLayout', () => {
  it('runs the large model down over N nodes and the small one up in N / PP_S blocks', () => {
    const { problem, largePipeline, smallPipelines } = fusedLayout({ ppLarge: 8, ppSmall: 4, microBatchesLarge: 8, ...models });
    expect(largePipeline).toBe(0);
    expect(smallPipelines).toEqual([1, 2]);
    expect(problem.pipelines.map((p) => [p.model, p.replica, p.microBatches, p.stageNodes])).toEqual([
      ['actor', 0, 8, [0, 1, 2, 3, 4, 5, 6, 7]],
      ['critic', 0, 4, [3, 2, 1, 0]],
      ['critic', 1, 4, [7, 6, 5, 4]],
    ]);
    expect(problem.pipelines[0]!.backwardDurations).toEqual(new Array(8).fill(10));
    expect(problem.pipelines[1]!.backwardDurations).toEqual([8, 8, 8, 8]);
  });

  it('takes per-stage times, e.g. an embedding on the first and an LM head on the last stage', () => {
    const forward = [1.3, 1, 1, 1.6];
    const { problem } = fusedLayout({ ppLarge: 4, ppSmall: 2, microBatchesLarge: 4, microBatchesSmall: 3, large: { name: 'actor', forward, backward: [2, 2, 2, 3], activationPerMicroBatch: 1 }, small: { name: 'critic', forward: [0.5, 0.7], activationPerMicroBatch: [1, 2] } });
    expect(problem.pipelines[0]!.forwardDurations).toEqual(forward);
    expect(problem.pipelines[0]!.backwardDurations).toEqual([2, 2, 2, 3]);
    expect(problem.pipelines[1]!.backwardDurations).toEqual([1, 1.4]);
    expect(problem.pipelines[2]!.microBatches).toBe(3);
  });

  it('names every bad field: PP_S not dividing PP_L, non-positive counts, wrong stage counts', () => {
    const problems = (spec: Parameters<typeof fusedLayout>[0]) => {
      try {
        fusedLayout(spec);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as InputError).problems.map((p) => `${p.field}: ${p.message}`);
      }
      throw new Error('expected an InputError');
    };
    expect(problems({ ppLarge: 8, ppSmall: 3, microBatchesLarge: 8, ...models })).toEqual(["ppSmall: must divide ppLarge (8): the small pipelines tile the large one's nodes"]);
    expect(problems({ ppLarge: 0, ppSmall: -1, microBatchesLarge: 1.5, ...models })).toHaveLength(3);
    expect(problems({ ppLarge: 8, ppSmall: 4, microBatchesLarge: 5, ...models })[0]).toMatch(/microBatchesSmall: .*not a positive integer/);
    expect(problems({ ppLarge: 2, ppSmall: 1, microBatchesLarge: 2, ...models, large: { ...models.large, forward: [1, 2, 3] } })).toEqual(['large.forward: needs one value per stage (2)']);
  });
});
