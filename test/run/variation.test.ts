import { describe, expect, it } from 'vitest';
import type { RunSpec } from '../../harness/run/spec.js';
import { applyVariation } from '../../harness/run/variation.js';
import { findScheduler } from '../../harness/schedulers/index.js';
import { iterationOf, testScenario } from '../schedulers/fixtures/scenario.js';

const spec: RunSpec = {
  scenario: testScenario(),
  workload: { kind: 'iterations', iterations: [iterationOf([{ prompt: 10, responses: [20] }])] },
  schedulers: [findScheduler('verl')!, findScheduler('rlhfless')!],
  seed: 1,
  costAssumptions: { engineOverheadScale: 2 },
};

describe('applyVariation', () => {
  it('sets a scheduler parameter for every scheduler of the run that declares it, and only those', () => {
    const varied = applyVariation(spec, { kind: 'scheduler', assumption: 'tau', value: 0.5 });
    expect(varied.scenario.schedulerParameters['rlhfless']).toEqual({ tau: 0.5 });
    expect(varied.scenario.schedulerParameters['verl']).toBeUndefined();
  });

  it('moves a cost assumption on top of the run’s others', () => {
    expect(applyVariation(spec, { kind: 'cost', assumption: 'trainingKernelScale', value: 1.25 }).costAssumptions).toEqual({ engineOverheadScale: 2, trainingKernelScale: 1.25 });
  });

  it('sets a scenario field through the scenario’s validation, with a provenance entry', () => {
    const varied = applyVariation(spec, { kind: 'scenario', assumption: 'generation.maxConcurrentSequences', value: 64 });
    expect(varied.scenario.generation.maxConcurrentSequences).toBe(64);
    expect(varied.scenario.provenance['generation.maxConcurrentSequences']).toBe('assumption: sensitivity variation of generation.maxConcurrentSequences to 64');
  });

  it('replays another workload', () => {
    const workload = { kind: 'iterations' as const, iterations: [] };
    expect(applyVariation(spec, { kind: 'trace', assumption: 'trace', value: 'other', workload }).workload).toBe(workload);
  });
});
