import { describe, expect, it } from 'vitest';
import { describeStepIndex, parseStepIndex } from '../../../harness/traces/recorded-runs/step-index.js';

describe('parseStepIndex', () => {
  it('reads a step number and the average forms', () => {
    expect(parseStepIndex('0')).toEqual({ kind: 'step', index: 0 });
    expect(parseStepIndex('101')).toEqual({ kind: 'step', index: 101 });
    expect(parseStepIndex('avg')).toEqual({ kind: 'average' });
    expect(parseStepIndex('avg5')).toEqual({ kind: 'average', overSteps: 5 });
  });

  it('rejects every other form', () => {
    for (const text of ['avg0', 'avg05', 'AVG', 'mean', '2.5', '-1', 'step 2', '']) expect(parseStepIndex(text)).toBeUndefined();
  });

  it('describes itself for reports', () => {
    expect(describeStepIndex({ kind: 'average', overSteps: 50 })).toBe('average over 50 steps');
    expect(describeStepIndex({ kind: 'step', index: 2 })).toBe('step 2');
  });
});
