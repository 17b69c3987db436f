import { describe, expect, it } from 'vitest';
import { invocationTiming, PrewarmHistory } from '../../../harness/schedulers/rlhfless/prewarm.js';
import type { IterationResult } from '../../../harness/sim/types.js';

describe('when a serverless function is allocated and starts', () => {
  it('on demand (no history): GPUs held from the need, cold start then load before it runs', () => {
    expect(invocationTiming({ neededAtS: 100, gpusFreeAtS: 90, coldStartS: 15, loadS: 2, predictedNeedS: undefined })).toEqual({ allocateS: 100, loadStartS: 115, loadEndS: 117, runStartS: 117 });
  });

  it('pre-warmed exactly: the container is ready ahead, the load ends at the need', () => {
    expect(invocationTiming({ neededAtS: 100, gpusFreeAtS: 90, coldStartS: 15, loadS: 2, predictedNeedS: 100 })).toEqual({ allocateS: 98, loadStartS: 98, loadEndS: 100, runStartS: 100 });
  });

  it('pre-warmed but the GPUs are still busy: the load waits for them (on the critical path)', () => {
    expect(invocationTiming({ neededAtS: 100, gpusFreeAtS: 100, coldStartS: 15, loadS: 2, predictedNeedS: 100 })).toEqual({ allocateS: 100, loadStartS: 100, loadEndS: 102, runStartS: 102 });
  });

  it('predicted too late: the need comes first; the container is still starting and the GPUs wait, billed', () => {
    // Container planned at 110 − 2 − 15 = 93, ready at 108; needed at 100: GPUs held from 100.
    expect(invocationTiming({ neededAtS: 100, gpusFreeAtS: 0, coldStartS: 15, loadS: 2, predictedNeedS: 110 })).toEqual({ allocateS: 100, loadStartS: 108, loadEndS: 110, runStartS: 110 });
  });

  it('predicted early (negative buffer): loaded early, idle GPUs billed until the need', () => {
    expect(invocationTiming({ neededAtS: 100, gpusFreeAtS: 0, coldStartS: 15, loadS: 2, predictedNeedS: 90 })).toEqual({ allocateS: 88, loadStartS: 88, loadEndS: 90, runStartS: 100 });
  });
});

const result = (counters: Record<string, number>): IterationResult => ({ counters }) as unknown as IterationResult;

describe('pre-warm history from earlier results', () => {
  it('predicts the next function from its predecessor\'s start and shortest earlier execution, plus the buffer', () => {
    const history = PrewarmHistory.fromResults([
      result({ 'prewarm.exec_s.generation': 120, 'prewarm.exec_s.ref': 5, decode_actors: 4 }),
      result({ 'prewarm.exec_s.generation': 110, 'prewarm.exec_s.ref': 6, decode_actors: 6 }),
    ]);
    expect(history.predictedNeedAfterS('generation', 0, 0)).toBe(110);
    expect(history.predictedNeedAfterS('ref', 200, -1)).toBe(204);
    expect(history.predictedNeedAfterS('values', 200, 0)).toBeUndefined();
    expect(history.warmDecodeActors).toBe(6);
    expect(history.hasHistory).toBe(true);
    expect(PrewarmHistory.fromResults(undefined).hasHistory).toBe(false);
  });
});
