import { describe, expect, it } from 'vitest';
import { findScheduler } from '../../../harness/schedulers/index.js';
import { interStageParameters, intraStageParameters, rlhfuseBaseParameters } from '../../../harness/schedulers/rlhfuse/parameters.js';
import { InputError } from '../../../harness/util/input-error.js';
import { createRng } from '../../../harness/util/rng.js';
import { linearCostModel } from '../../sim/fixtures/linear-cost.js';
import { iterationOf, testScenario } from '../fixtures/scenario.js';

const names = (group: Record<string, { name: string }>) => Object.values(group).map((p) => p.name);
const listed = (scheduler: string) => findScheduler(scheduler)!.assumptions.map((a) => a.name);

describe('the RLHFuse entries’ parameters', () => {
  it('compose the groups of what each runs: the base always, a fusion’s only with that fusion', () => {
    const base = names(rlhfuseBaseParameters);
    expect(base).toEqual(['admission-watermark', 'prompt-assignment', 'frozen-models-in-host-memory']);
    expect(listed('rlhfuse-base')).toEqual(base);
    expect(listed('rlhfuse-inter')).toEqual([...base, ...names(interStageParameters)]);
    expect(listed('rlhfuse-intra')).toEqual([...base, ...names(intraStageParameters)]);
    expect(listed('rlhfuse')).toEqual([...base, ...names(interStageParameters), ...names(intraStageParameters)]);
    expect(names(interStageParameters)).toContain('migration-threshold');
    expect(names(intraStageParameters)).toContain('fused-search-evaluations');
  });

  it('refuse the parameters of a fusion the entry lacks', () => {
    const refusal = (scheduler: string, parameters: Record<string, number | string | boolean>) => {
      const scenario = testScenario({ schedulerParameters: { [scheduler]: parameters } });
      try {
        findScheduler(scheduler)!.run(scenario, iterationOf([{ prompt: 10, responses: [10] }]), linearCostModel(), createRng(1));
      } catch (error) {
        if (error instanceof InputError) return error.problems.map((p) => `${p.field}: ${p.message.replace(/ \(known: .*\)$/, '')}`);
        throw error;
      }
      return [];
    };
    expect(refusal('rlhfuse-intra', { 'migration-threshold': 0.1 })).toEqual(['schedulerParameters.rlhfuse-intra.migration-threshold: is not a parameter of rlhfuse-intra']);
    expect(refusal('rlhfuse-inter', { 'fused-search-evaluations': 0 })).toEqual(['schedulerParameters.rlhfuse-inter.fused-search-evaluations: is not a parameter of rlhfuse-inter']);
    expect(refusal('rlhfuse-base', { 'kv-reservation': 'max-length', 'training-memory-reserve-gib': 1 })).toEqual([
      'schedulerParameters.rlhfuse-base.kv-reservation: is not a parameter of rlhfuse-base',
      'schedulerParameters.rlhfuse-base.training-memory-reserve-gib: is not a parameter of rlhfuse-base',
    ]);
    expect(refusal('rlhfuse', { 'fused-search-evaluations': 1.5 })).toEqual(['schedulerParameters.rlhfuse.fused-search-evaluations: must be a whole number']);
  });
});
