import { join } from 'node:path';
import type { Case, CaseKind } from '../../jobs/cases.js';
import { runExperiment } from '../../run/experiment.js';
import { loadScenario } from '../../scenario/loader.js';
import { patchScenario } from '../../scenario/patch.js';
import { findScheduler } from '../../schedulers/index.js';
import type { IterationResult } from '../../sim/types.js';
import { projectRoot } from '../../util/shared-data.js';
import type { TraceUse } from '../experiments/types.js';
import { loadShapedTrace } from '../traces/load.js';

/**
 * The simulated side of the asynchronous-RL validation (veRL's fully_async_policy and
 * one_step_off_policy tables): one case per published configuration, which replays the same
 * iterations through veRL's co-located scheduler on the whole cluster and through the
 * asynchronous scheduler on the split, and returns both steps. Like the other validation cases it
 * never sees the measured values (async-measurements.ts, read only by the comparison).
 */
export const VALIDATION_ASYNC_KIND = 'reproduce-validation-async';

export interface ValidationAsyncCase extends Case {
  readonly kind: typeof VALIDATION_ASYNC_KIND;
  readonly scenario: string;
  readonly gpus: number;
  readonly scheduler: 'fully-async' | 'one-step-off';
  /** The asynchronous scheduler's parameters (the published configuration, as read from the recipe). */
  readonly parameters: Readonly<Record<string, number | string | boolean>>;
  /** Scenario fields the configuration changes for both runs (samples per prompt, caps, generation TP). */
  readonly patch?: Readonly<Record<string, unknown>>;
  readonly trace: TraceUse;
  readonly samplesPerPrompt: number;
  readonly batchPrompts: number;
  /** Iterations replayed (the asynchronous scheduler's warm-up reads the earlier ones). */
  readonly iterations: number;
  readonly seed: number;
}

export interface ValidationAsyncResult {
  readonly gpus: number;
  readonly scheduler: string;
  /** Co-located veRL step without the reference forward (DAPO computes none), mean over iterations. */
  readonly colocatedStepS: number;
  readonly asyncStepS: number;
  readonly asyncTrainerWaitS: number;
  readonly asyncUpdateS: number;
  readonly counters: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

export async function runValidationAsyncCase(testCase: ValidationAsyncCase): Promise<ValidationAsyncResult> {
  const base = await loadScenario(join(projectRoot, testCase.scenario));
  const dp = { dp: testCase.gpus };
  const scheduler = findScheduler(testCase.scheduler)!;
  const scenario = patchScenario(base, {
    ...(testCase.patch ?? {}),
    cluster: { nodes: testCase.gpus / base.cluster.gpusPerNode },
    generation: { ...((testCase.patch?.['generation'] as object | undefined) ?? {}), instances: testCase.gpus / (((testCase.patch?.['generation'] as { tp?: number } | undefined)?.tp) ?? base.generation.tp) },
    layout: { actorTrain: dp, actorInference: dp, ref: dp },
    schedulerParameters: { ...base.schedulerParameters, [testCase.scheduler]: testCase.parameters },
    provenance: { 'cluster.nodes': `fact: the published run's ${testCase.gpus} GPUs`, [`schedulerParameters.${testCase.scheduler}`]: 'fact: the published configuration (harness/reproduce/validation/async-plan.ts says where each value is from)' },
  } as never);
  const shape = { kind: 'batches', batchPrompts: testCase.batchPrompts, warmup: 0, measured: testCase.iterations } as const;
  const shaped = await loadShapedTrace(testCase.trace, testCase.samplesPerPrompt, shape, testCase.seed);
  const results: IterationResult[] = [];
  await runExperiment({ scenario, workload: { kind: 'iterations', iterations: shaped.iterations }, schedulers: [findScheduler('verl')!, scheduler], seed: testCase.seed }, { result: (r) => void results.push(r) });
  const colocated = results.filter((r) => r.scheduler === 'verl');
  const asynchronous = results.filter((r) => r.scheduler === testCase.scheduler);
  const counters: Record<string, number> = {};
  for (const key of [...new Set(asynchronous.flatMap((r) => Object.keys(r.counters)))].sort()) counters[key] = mean(asynchronous.map((r) => r.counters[key] ?? 0));
  return {
    gpus: testCase.gpus,
    scheduler: testCase.scheduler,
    colocatedStepS: mean(colocated.map((r) => r.iterationTimeS - (r.tasksS['ref'] ?? 0))),
    asyncStepS: mean(asynchronous.map((r) => r.iterationTimeS)),
    asyncTrainerWaitS: mean(asynchronous.map((r) => r.counters['trainer_wait_s'] ?? 0)),
    asyncUpdateS: mean(asynchronous.map((r) => r.tasksS['update_actor'] ?? 0)),
    counters,
    notes: [...new Set([...shaped.notes, ...asynchronous.flatMap((r) => r.notes)])].slice(0, 6),
  };
}

export const validationAsyncKind: CaseKind<ValidationAsyncCase, ValidationAsyncResult> = { kind: VALIDATION_ASYNC_KIND, run: (testCase) => runValidationAsyncCase(testCase) };
