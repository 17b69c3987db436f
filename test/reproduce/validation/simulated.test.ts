import { describe, expect, it } from 'vitest';
import type { CaseOutcome } from '../../../harness/jobs/cases.js';
import { simulatedValues } from '../../../harness/reproduce/validation/simulated.js';
import { syntheticReplayResult } from './synthetic-outcomes.js';

/** How the veRL DAPO replays become the quantities the measurements report. */
const replay = (gpus: number): CaseOutcome => ({ id: `validation/verl-dapo-h20/g${gpus}`, kind: 'reproduce-validation-replay', status: 'ok', result: syntheticReplayResult(gpus) });

describe('simulated counterparts of the veRL DAPO measurements', () => {
  it('gen wraps the weight sync; the step leaves out the reference forward DAPO does not run', () => {
    const values = simulatedValues([replay(64)]).values;
    // synthetic 64-GPU replay: weight sync 1, generate 150, old log-prob 20, ref 10, update 100; iteration 281
    expect(values.get('verl-dapo.64.gen')!.value).toBe(151);
    expect(values.get('verl-dapo.64.old-log-prob')!.value).toBe(20);
    expect(values.get('verl-dapo.64.update-actor')!.value).toBe(100);
    expect(values.get('verl-dapo.64.step')!.value).toBe(271);
    expect(values.get('generation-share.verl-dapo.64')!.value).toBeCloseTo((100 * 151) / 271, 12);
    expect(values.get('verl-dapo.update-vs-old-log-prob')!.value).toBe(5);
  });

  it('the 128-vs-64 ratios need both replays, and come out of their stage times', () => {
    expect(simulatedValues([replay(64)]).values.has('verl-dapo.gen-128-vs-64')).toBe(false);
    const values = simulatedValues([replay(128), replay(64)]).values;
    expect(values.get('verl-dapo.gen-128-vs-64')!.value).toBe(1); // 151 / 151
    expect(values.get('verl-dapo.update-128-vs-64')!.value).toBe(0.5); // 50 / 100
  });

  it('a failed replay marks its checks failed with the error; a failed cost case marks the cost checks', () => {
    const result = simulatedValues([{ id: 'validation/verl-dapo-h20/g32', kind: 'reproduce-validation-replay', status: 'error', error: { message: 'boom', inputError: false } }, { id: 'validation/cost-queries', kind: 'reproduce-validation-cost', status: 'error', error: { message: 'no calibration', inputError: true } }]);
    expect(result.failed.get('verl-dapo.32.gen')).toBe('boom');
    expect(result.failed.get('generation-share.verl-dapo.32')).toBe('boom');
    expect(result.failed.get('cost-queries')).toBe('no calibration');
    expect(result.values.size).toBe(0);
  });

  it('ignores other case kinds and does not depend on the outcome order', () => {
    const other: CaseOutcome = { id: 'run/x/s1', kind: 'reproduce-run', status: 'ok', result: {} };
    const a = simulatedValues([replay(32), other, replay(64), replay(128)]);
    const b = simulatedValues([replay(128), replay(64), other, replay(32)]);
    expect([...a.values]).toEqual([...b.values]);
    expect(a.notes).toEqual(b.notes);
  });
});
