import { describe, expect, it } from 'vitest';
import { replayFidelity, simulatedStageSeconds } from '../../harness/whatif/fidelity.js';
import type { RecordedRun, RecordedStep } from '../../harness/whatif/recorded-run.js';
import { DEFAULT_STAGE_MAP, parseStageMap } from '../../harness/whatif/stage-map.js';
import { pairSteps } from '../../harness/whatif/step-pairing.js';
import { iterationResult } from './fixtures/iteration-result.js';

function recordedRun(steps: RecordedStep[], matchedStages: string[]): RecordedRun {
  return { format: 'kineto', files: 1, gpus: 1, runGpus: 1, spanS: 10, stepsFrom: 'profiler-steps', steps, annotations: [], matchedStages, busyFraction: 0.5, notes: [] };
}

const step = (n: number, durationS: number | undefined, stagesS: Record<string, number>): RecordedStep => ({ step: n, startS: 0, durationS, busyFraction: undefined, stagesS });

describe('fidelity of the baseline against the recording', () => {
  const results = [
    iterationResult({ iteration: 0, iterationTimeS: 10, tasksS: { 'weight-sync': 1, generate: 5, ref: 2, update_actor: 2 } }),
    iterationResult({ iteration: 1, iterationTimeS: 12, tasksS: { 'weight-sync': 1, generate: 7, ref: 2, update_actor: 2 } }),
  ];
  const steps = [step(0, 8, { gen: 5, ref: 2.5 }), step(1, 12, { gen: 10, ref: 2 })];
  const pairing = pairSteps(steps, [0, 1]);
  const fidelity = replayFidelity('verl', pairing.pairs, results, recordedRun(steps, ['gen', 'ref']), DEFAULT_STAGE_MAP);

  it('compares every recorded stage of every step with the sum of its simulated tasks', () => {
    expect(fidelity.rows.map((r) => [r.step, r.stage, r.recordedS, r.simulatedS, r.errorPct])).toEqual([
      [0, 'gen', 5, 6, 20],
      [0, 'ref', 2.5, 2, -20],
      [0, 'step', 8, 10, 25],
      [1, 'gen', 10, 8, -20],
      [1, 'ref', 2, 2, 0],
      [1, 'step', 12, 12, 0],
    ]);
  });

  it('summarises per stage in iteration order with signed and absolute mean errors', () => {
    expect(fidelity.stages.map((s) => [s.stage, s.iterations, s.recordedMeanS, s.simulatedMeanS, s.meanErrorPct, s.meanAbsErrorPct])).toEqual([
      ['gen', 2, 7.5, 7, 0, 20],
      ['ref', 2, 2.25, 2, -10, 10],
      ['step', 2, 10, 11, 12.5, 12.5],
    ]);
    expect(fidelity.stages[0]!.tasks).toEqual(['weight-sync', 'generate']);
    expect(fidelity.stages[2]!.tasks).toBeNull();
  });

  it('names the simulated tasks no recorded stage covers', () => {
    expect(fidelity.unrecordedTasks).toEqual([{ task: 'update_actor', simulatedMeanS: 2 }]);
    expect(fidelity.notes).toEqual(['no recorded stage covers the simulated update_actor (2.00 s): they count only in the step time']);
  });

  it('gives a stage whose tasks never ran no simulated time, and says so', () => {
    const map = parseStageMap('m.json', '{"stages": {"critic_fwd": ["values"]}}');
    const only = [step(0, undefined, { critic_fwd: 1 })];
    const f = replayFidelity('verl', pairSteps(only, [0]).pairs, [results[0]!], recordedRun(only, ['critic_fwd']), map);
    expect(f.rows).toEqual([{ step: 0, iteration: 0, stage: 'critic_fwd', recordedS: 1, simulatedS: undefined, errorPct: undefined }]);
    expect(f.notes[0]).toBe("stage 'critic_fwd' was recorded but verl runs none of its tasks (values): it has no simulated time");
  });

  it('warns when the step times are too far apart to be the same run', () => {
    const short = [step(0, 0.2, {})];
    const f = replayFidelity('verl', pairSteps(short, [0]).pairs, [results[0]!], recordedRun(short, []), DEFAULT_STAGE_MAP);
    expect(f.notes).toEqual(['the simulated iterations take 50× the recorded step time: the GPU trace, the lengths trace and the scenario probably do not describe the same run']);
    expect(f.unrecordedTasks).toEqual([]);
  });

  it('adds only the tasks that ran', () => {
    expect(simulatedStageSeconds(results[0]!, ['weight-sync', 'generate', 'absent'])).toBe(6);
    expect(simulatedStageSeconds(results[0]!, ['absent'])).toBeUndefined();
  });
});
