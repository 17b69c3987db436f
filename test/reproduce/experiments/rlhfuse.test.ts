import { describe, expect, it } from 'vitest';
import { thresholdCurveConfig, thresholdGrid } from '../../../harness/reproduce/experiments/rlhfuse.js';
import type { TraceUse } from '../../../harness/reproduce/experiments/types.js';
import { iterationCount } from '../../../harness/reproduce/traces/shape.js';
import { thresholdGrid as tunerGrid } from '../../../harness/schedulers/rlhfuse/threshold-tuning.js';

const trace: TraceUse = { source: 'polytrace-dapo', mode: 'generated', path: 'traces/fitted/polytrace-dapo-32b.json', files: [], why: 'test' };

describe('the migration-threshold curve', () => {
  it('spans the domain the scheduler’s own offline tuner searches (no unfinished samples to the whole batch), evenly spaced', () => {
    // The tuner (harness/schedulers/rlhfuse/threshold-tuning.ts) picks its threshold anywhere in
    // [0, 1]; a curve cut at 0.5 cannot show an optimum the mechanism itself would choose above it.
    const domain = tunerGrid(0.025);
    for (const quick of [false, true]) {
      const grid = thresholdGrid(quick);
      expect(grid[0]).toBe(domain[0]);
      expect(grid.at(-1)).toBe(domain.at(-1));
      const steps = grid.slice(1).map((t, k) => t - grid[k]!);
      for (const step of steps) expect(step).toBeCloseTo(steps[0]!, 12);
    }
    expect(thresholdGrid(false).length).toBeGreaterThan(thresholdGrid(true).length);
  });

  it('replays its own number of iterations per seed, every one measured (a fixed threshold needs no warm-up)', () => {
    const config = thresholdCurveConfig(trace, { warmup: 1, measured: 2, quick: false, curveIterations: 8 });
    expect(iterationCount(config.shape)).toBe(8);
    expect(config.shape).toMatchObject({ kind: 'batches', warmup: 0, measured: 8 });
  });
});
