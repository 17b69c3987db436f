import { VALIDATION_ASYNC_KIND, type ValidationAsyncCase, type ValidationAsyncResult } from '../../../harness/reproduce/validation/async-cases.js';
import type { Case, CaseOutcome } from '../../../harness/jobs/cases.js';
import { VALIDATION_COST_KIND, VALIDATION_REPLAY_KIND, type ValidationCostResult, type ValidationReplayResult, type ValidationReplayCase } from '../../../harness/reproduce/validation/cases.js';

/**
 * Made-up outcomes of the validation cases, for tests that exercise the report on known numbers
 * (the reproduce synthetic fixture, the validation comparison): every cost check gets a value,
 * and each veRL DAPO replay simple round stage times that scale with the GPU count.
 */
export const SYNTHETIC_COST_VALUES: Readonly<Record<string, number>> = {
  'vllm-tpot.a100': 12.3,
  'vllm-tpot.h100': 7.5,
  'decode-flatness.7b-h800': 1.2,
  'decode-flatness.3b-l40s': 1.3,
  'weight-sync.l20.qwen2.5-3b': 0.2,
  'weight-sync.l20.qwen2.5-7b': 0.5,
  'weight-sync.l20.llama-3-8b': 0.5,
};

export function syntheticReplayResult(gpus: number): ValidationReplayResult {
  const scale = 64 / gpus;
  return {
    gpus,
    costModel: 'synthetic',
    iterationTimeS: 150 + 100 * scale + 20 * scale + 10 * scale + 1,
    tasksS: { 'weight-sync': 1, generate: 150, old_log_prob: 20 * scale, ref: 10 * scale, update_actor: 100 * scale },
    samples: 8192,
    meanResponseTokens: 580,
    maxResponseTokens: 28672,
    notes: [],
  };
}

/** The outcome of a validation case, or undefined for any other kind. */
export function syntheticValidationOutcome(testCase: Case): CaseOutcome | undefined {
  if (testCase.kind === VALIDATION_COST_KIND) {
    const result: ValidationCostResult = { values: Object.fromEntries(Object.entries(SYNTHETIC_COST_VALUES).map(([id, value]) => [id, { value, detail: 'synthetic' }])), costModels: ['synthetic'] };
    return { id: testCase.id, kind: testCase.kind, status: 'ok', result };
  }
  if (testCase.kind === VALIDATION_REPLAY_KIND) return { id: testCase.id, kind: testCase.kind, status: 'ok', result: syntheticReplayResult((testCase as ValidationReplayCase).gpus) };
  if (testCase.kind === VALIDATION_ASYNC_KIND) {
    // Synthetic asynchronous outcome: a fixed co-located and asynchronous step, no simulation.
    const gpus = (testCase as ValidationAsyncCase).gpus;
    const result: ValidationAsyncResult = { gpus, scheduler: (testCase as ValidationAsyncCase).scheduler, colocatedStepS: 200, asyncStepS: 100, asyncTrainerWaitS: 10, asyncUpdateS: 80, counters: {}, notes: [] };
    return { id: testCase.id, kind: testCase.kind, status: 'ok', result };
  }
  return undefined;
}
