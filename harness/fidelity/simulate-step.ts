import { DEFAULT_COST_ASSUMPTIONS, type CostAssumptions } from '../cost/assumptions.js';
import type { Calibration } from '../cost/calibration/types.js';
import { gpuById, modelById } from '../cost/catalog/index.js';
import { parameterCount } from '../cost/model-shape.js';
import { resolveFramework, type ResolvedFramework } from '../cost/framework/resolve.js';
import type { FrameworkCalibration, TrainingEngine } from '../cost/framework/types.js';
import type { ServingEngine } from '../cost/engine-eras.js';
import { runExperiment } from '../run/experiment.js';
import { findScheduler } from '../schedulers/index.js';
import type { IterationResult } from '../sim/types.js';
import { workloadFromLengthStatistics, type LengthWorkload, type LengthWorkloadOptions } from '../traces/generate/from-statistics.js';
import type { FidelityStage } from './fidelity-step.js';
import type { StepSimulation } from './step-scenario.js';

/**
 * Simulating one recorded step: its synthesised workload replayed through its scheduler under a
 * cost model of its GPU — the kernel calibration (public GPU profiles), the assumptions its
 * configuration fixes, and a framework calibration's values for its training engine, serving
 * engine and GPU family (or explicit overrides, as the fit tries them) — reduced to veRL's stages.
 */
export interface PreparedStep {
  readonly simulation: StepSimulation;
  readonly workload: LengthWorkload;
  readonly context: StepContext;
}

/** What a framework calibration's values are picked by. */
export interface StepContext {
  readonly trainingEngine: TrainingEngine;
  readonly servingEngine: ServingEngine;
  readonly gpuId: string;
  readonly modelParametersB: number;
  readonly gpus: number;
}

export interface SimulatedStages {
  readonly stagesS: Partial<Readonly<Record<FidelityStage, number>>>;
  readonly result: IterationResult;
}

export function prepareStep(simulation: StepSimulation, options: LengthWorkloadOptions): PreparedStep {
  const workload = workloadFromLengthStatistics(simulation.lengths, options);
  const scenario = simulation.scenario;
  const model = modelById(scenario.models.actor);
  return {
    simulation,
    workload,
    context: {
      trainingEngine: simulation.step.config.training.backend === 'megatron' ? 'megatron' : 'fsdp',
      servingEngine: scenario.costModel.engine ?? DEFAULT_COST_ASSUMPTIONS.servingEngine,
      gpuId: scenario.cluster.gpu,
      modelParametersB: parameterCount(model) / 1e9,
      gpus: scenario.cluster.nodes * scenario.cluster.gpusPerNode,
    },
  };
}

/** A framework calibration's values for a prepared step, with why the step is outside what it covers. */
export function stepFramework(step: PreparedStep, calibration: FrameworkCalibration): ResolvedFramework {
  const { context } = step;
  return resolveFramework(calibration, { trainingEngines: [context.trainingEngine], servingEngine: context.servingEngine, gpu: gpuById(context.gpuId), modelParametersB: context.modelParametersB, gpus: context.gpus });
}

/** Simulated seconds of each stage the step's scheduler records ('step' = the iteration time). */
export function stageSeconds(result: IterationResult, stageTasks: StepSimulation['stageTasks']): Partial<Record<FidelityStage, number>> {
  const out: Partial<Record<FidelityStage, number>> = {};
  for (const [stage, tasks] of Object.entries(stageTasks) as [FidelityStage, readonly string[]][]) {
    let total = 0;
    let present = false;
    for (const task of tasks) {
      const s = result.tasksS[task];
      if (s !== undefined) {
        total += s;
        present = true;
      }
    }
    if (present) out[stage] = total;
  }
  out.step = result.iterationTimeS;
  return out;
}

/** One recorded step through the runner: its synthesised iteration, its scheduler, the kernel calibration and the assumptions its configuration and the framework calibration fix. */
export async function simulateStep(step: PreparedStep, kernelCalibration: Calibration, framework: Partial<CostAssumptions>, seed: number): Promise<SimulatedStages> {
  const { simulation } = step;
  const scheduler = findScheduler(simulation.scheduler);
  if (!scheduler) throw new Error(`no scheduler '${simulation.scheduler}'`);
  let result: IterationResult | undefined;
  await runExperiment(
    {
      scenario: simulation.scenario,
      workload: { kind: 'iterations', iterations: step.workload.workload.iterations },
      schedulers: [scheduler],
      seed,
      calibration: kernelCalibration,
      calibrationLabel: 'public-profiles',
      costAssumptions: framework,
    },
    { result: (r) => void (result = r) },
  );
  if (!result) throw new Error(`recorded step ${simulation.step.id}: the simulation produced no iteration`);
  return { stagesS: stageSeconds(result, simulation.stageTasks), result };
}
