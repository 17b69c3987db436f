import { describe, expect, it } from 'vitest';
import { consistencyFindings } from '../../../harness/traces/recorded-runs/consistency.js';
import type { RecordedStep } from '../../../harness/traces/recorded-runs/types.js';

const k = (value: number) => ({ value, inferred: false });
const base: Omit<RecordedStep, 'findings'> = { runId: 'x', line: 2, runKey: 'x', source: {}, config: {}, stepIndex: { kind: 'average' }, workload: {}, stagesS: {} };

describe('consistencyFindings', () => {
  it('says nothing when the stages fit the step within the tolerances', () => {
    expect(consistencyFindings({ ...base, stagesS: { gen: k(50), update_actor: k(46), step: k(100) } })).toEqual([]); // 4 % rest
    expect(consistencyFindings({ ...base, stagesS: { gen: k(50), update_actor: k(50.9), step: k(100) } })).toEqual([]); // 0.9 % over: rounding
  });

  it('flags stages that add up to more than the step', () => {
    expect(consistencyFindings({ ...base, stagesS: { gen: k(60), update_actor: k(50), step: k(100) } })).toEqual([
      'stage times do not fit the step: gen + update_actor = 110 s, more than timing_step_s 100 s; a stage or the step value may be wrong',
    ]);
  });

  it('uses train only where update_* are absent, and flags both given together', () => {
    expect(consistencyFindings({ ...base, stagesS: { gen: k(40), train: k(58), step: k(100) } })).toEqual([]);
    expect(consistencyFindings({ ...base, stagesS: { gen: k(40), train: k(58), update_actor: k(58), step: k(100) } })).toEqual([
      'timing_train_s is given together with timing_update_*_s; train is meant only where a source gives actor + critic training combined',
    ]);
  });

  it('flags lengths above their caps', () => {
    const config = { maxPromptLen: k(512), maxResponseLen: k(1024) };
    expect(consistencyFindings({ ...base, config, workload: { promptLengthMean: k(600), seqLengthMax: k(1600) } })).toEqual([
      'prompt_length_mean 600 is above max_prompt_len 512',
      'seq_length_max 1600 is above max_prompt_len + max_response_len = 1536',
    ]);
  });
});
