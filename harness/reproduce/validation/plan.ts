import { join } from 'node:path';
import { DEFAULT_COST_ASSUMPTIONS } from '../../cost/assumptions.js';
import { loadScenario } from '../../scenario/loader.js';
import { projectRoot } from '../../util/shared-data.js';
import type { TraceUse } from '../experiments/types.js';
import { traceAvailability } from '../traces/resolve.js';
import { asyncValidationCases } from './async-plan.js';
import type { ValidationAsyncCase } from './async-cases.js';
import { VALIDATION_COST_KIND, VALIDATION_REPLAY_KIND, type ValidationCase, type ValidationCostCase, type ValidationReplayCase } from './cases.js';

/**
 * The validation's cases in the reproduce plan: one case of cost-model queries and one veRL DAPO
 * replay per measured GPU count. Everything the results depend on is decided here and written
 * into the cases (which engine era each setting runs under, the trace with its hash).
 */
export const VALIDATION_SCENARIO = 'harness/reproduce/validation/scenarios/verl-dapo-7b-h20.json';
export const VALIDATION_L20_GPU = 'harness/reproduce/validation/gpus/l20.json';
export const VALIDATION_CALIBRATION = 'harness/cost/calibrations/public-profiles.json';
/** The scenario whose engine the RLHFless-testbed checks (flatness on L40S, weight sync) run under. */
export const RLHFLESS_TESTBED_SCENARIO = 'harness/scenario/scenarios/rlhfless-3b-ppo.json';
/** The GPU counts of veRL's published co-located DAPO runs (reference §5.3). */
export const DAPO_GPU_COUNTS = [32, 64, 128] as const;

/** The era of the measured vLLM (v0.6.0 with CUDA graphs and multi-step scheduling, Sept 2024). */
export const MEASURED_VLLM_ENGINE = 'vllm-2024';
/** StreamRL's engine is not described: a modern CUDA-graph engine is assumed. */
export const STREAMRL_ENGINE = 'vllm-2024';

async function scenarioEngine(path: string): Promise<string> {
  const scenario = await loadScenario(join(projectRoot, path));
  return scenario.costModel.engine ?? DEFAULT_COST_ASSUMPTIONS.servingEngine;
}

export async function validationCases(env: Readonly<Record<string, string | undefined>> = process.env): Promise<(ValidationCase | ValidationAsyncCase)[]> {
  const dapo = await traceAvailability('polytrace-dapo', env);
  // Always the generator: the recording has groups of 8, the measured run samples 16 per prompt.
  const trace: TraceUse = {
    source: 'polytrace-dapo',
    mode: 'generated',
    path: dapo.fitted.path,
    files: [dapo.fitted],
    why: 'veRL DAPO validation: the measured run’s lengths are not published; 512 prompts × 16 samples drawn from the generator fitted to PolyTrace DAPO (its recording has groups of 8)',
  };
  const cost: ValidationCostCase = {
    kind: VALIDATION_COST_KIND,
    id: 'validation/cost-queries',
    calibration: VALIDATION_CALIBRATION,
    l20Gpu: VALIDATION_L20_GPU,
    engines: { vllm2024: MEASURED_VLLM_ENGINE, streamRl: STREAMRL_ENGINE, rlhflessTestbed: await scenarioEngine(RLHFLESS_TESTBED_SCENARIO) },
  };
  const replays = DAPO_GPU_COUNTS.map(
    (gpus): ValidationReplayCase => ({
      kind: VALIDATION_REPLAY_KIND,
      id: `validation/verl-dapo-h20/g${gpus}`,
      scenario: VALIDATION_SCENARIO,
      gpus,
      trace,
      samplesPerPrompt: 16,
      batchPrompts: 512,
      seed: 1,
    }),
  );
  // veRL's asynchronous recipes against its co-located runs, on the same stand-in workload.
  return [cost, ...replays, ...asyncValidationCases(VALIDATION_SCENARIO, trace)];
}
