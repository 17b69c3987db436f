import { join } from 'node:path';
import { loadCalibration } from '../../cost/calibration/load.js';
import { gpuById, modelById } from '../../cost/catalog/index.js';
import { loadCustomGpu } from '../../cost/catalog/custom.js';
import { weightBytes } from '../../cost/model-shape.js';
import { createRooflineCostModel } from '../../cost/roofline/model.js';
import type { Calibration } from '../../cost/calibration/types.js';
import type { CostModel, GpuSpec, ModelSpec } from '../../cost/types.js';
import type { ServingEngine } from '../../cost/engine-eras.js';
import type { Case, CaseKind } from '../../jobs/cases.js';
import { loadScenario } from '../../scenario/loader.js';
import { findScheduler } from '../../schedulers/index.js';
import { runExperiment } from '../../run/experiment.js';
import type { IterationResult } from '../../sim/types.js';
import { reshardS } from '../../schedulers/weight-sync.js';
import { projectRoot } from '../../util/shared-data.js';
import type { TraceUse } from '../experiments/types.js';
import { patchScenario } from '../../scenario/patch.js';
import { loadShapedTrace } from '../traces/load.js';

/**
 * The simulated side of the validation against published measurements: two case kinds, plain
 * JSON in and out, so `reproduce` shards and merges them like every other case. They compute
 * what the harness's own models say for each measured setting and never see the measured
 * values (validation/measurements.ts, read only by validation/compare.ts).
 *
 * - cost queries: decode steps, their batch dependence and the co-located weight sync, asked of
 *   the cost model directly, each under the serving-engine era its setting names;
 * - replays: veRL's co-located scheduler replayed on the DAPO H20 setting at one GPU count.
 */
export const VALIDATION_COST_KIND = 'reproduce-validation-cost';
export const VALIDATION_REPLAY_KIND = 'reproduce-validation-replay';

export interface ValidationCostCase extends Case {
  readonly kind: typeof VALIDATION_COST_KIND;
  /** Calibration file, relative to the project root. */
  readonly calibration: string;
  /** The L20 GPU file (catalog custom-GPU format), relative to the project root. */
  readonly l20Gpu: string;
  /** Serving-engine era per setting: the measured engine's, or the one the scenario names. */
  readonly engines: { readonly vllm2024: string; readonly streamRl: string; readonly rlhflessTestbed: string };
}

export type ValidationCase = ValidationCostCase | ValidationReplayCase;

export interface SimulatedValue {
  readonly value: number;
  /** What was computed, in words (the query, the engine era, the parts). */
  readonly detail: string;
}

export interface ValidationCostResult {
  readonly values: Readonly<Record<string, SimulatedValue>>;
  readonly costModels: readonly string[];
}

export interface ValidationReplayCase extends Case {
  readonly kind: typeof VALIDATION_REPLAY_KIND;
  /** Scenario file, relative to the project root. */
  readonly scenario: string;
  readonly gpus: number;
  readonly trace: TraceUse;
  readonly samplesPerPrompt: number;
  readonly batchPrompts: number;
  readonly seed: number;
}

export interface ValidationReplayResult {
  readonly gpus: number;
  readonly costModel: string;
  readonly iterationTimeS: number;
  readonly tasksS: Readonly<Record<string, number>>;
  readonly samples: number;
  readonly meanResponseTokens: number;
  readonly maxResponseTokens: number;
  readonly notes: readonly string[];
}

/** The TPOT setting: 10 concurrent prompts; ≈ 256 tokens of context each (the run's prompts average 137 tokens). */
export const TPOT_BATCH = 10;
export const TPOT_CONTEXT_TOKENS = 256;
/** The flatness setting: batch 64 against batch 1 at 1,024 tokens of context per sequence. */
export const FLAT_BATCH = 64;
export const FLAT_CONTEXT_TOKENS = 1024;

function costModel(gpu: GpuSpec, calibration: Calibration, engine: string, label: string): CostModel {
  return createRooflineCostModel(gpu, calibration, { calibrationLabel: label, assumptions: { servingEngine: engine as ServingEngine } });
}

function decodeMs(cost: CostModel, model: ModelSpec, tp: number, batch: number, contextPerSequence: number): number {
  return 1000 * cost.replica(model, { tp, pp: 1 }).decodeStepS(batch, batch * contextPerSequence);
}

export async function runValidationCostCase(testCase: ValidationCostCase): Promise<ValidationCostResult> {
  const calibration = await loadCalibration(join(projectRoot, testCase.calibration));
  const l20 = await loadCustomGpu(join(projectRoot, testCase.l20Gpu));
  const values: Record<string, SimulatedValue> = {};
  const described = new Set<string>();
  const model = (gpu: GpuSpec, engine: string) => {
    const cost = costModel(gpu, calibration, engine, testCase.calibration);
    described.add(`${cost.description} · engine ${engine}`);
    return cost;
  };

  const llama3 = modelById('llama-3-8b');
  for (const gpuId of ['a100-80gb', 'h100-sxm'] as const) {
    const cost = model(gpuById(gpuId), testCase.engines.vllm2024);
    const ms = decodeMs(cost, llama3, 1, TPOT_BATCH, TPOT_CONTEXT_TOKENS);
    values[`vllm-tpot.${gpuId === 'a100-80gb' ? 'a100' : 'h100'}`] = { value: ms, detail: `decodeStepS(${TPOT_BATCH}, ${TPOT_BATCH} × ${TPOT_CONTEXT_TOKENS}) of Llama-3-8B TP 1 on ${gpuId}, engine ${testCase.engines.vllm2024}` };
  }

  const flatness = (id: string, gpu: GpuSpec, modelId: string, tp: number, engine: string) => {
    const cost = model(gpu, engine);
    const spec = modelById(modelId);
    const one = decodeMs(cost, spec, tp, 1, FLAT_CONTEXT_TOKENS);
    const many = decodeMs(cost, spec, tp, FLAT_BATCH, FLAT_CONTEXT_TOKENS);
    values[id] = { value: many / one, detail: `${modelId} TP ${tp} on ${gpu.id}, engine ${engine}: ${many.toFixed(2)} ms at batch ${FLAT_BATCH} vs ${one.toFixed(2)} ms at batch 1 (${FLAT_CONTEXT_TOKENS} tokens of context each)` };
  };
  flatness('decode-flatness.7b-h800', gpuById('h800'), 'qwen2.5-7b', 1, testCase.engines.streamRl);
  flatness('decode-flatness.3b-l40s', gpuById('l40s'), 'qwen2.5-3b', 2, testCase.engines.rlhflessTestbed);

  // The veRL scheduler's own weight sync: gather the full FSDP state dict on every GPU (8-way FSDP), vLLM TP 4.
  const l20Cost = model(l20, testCase.engines.rlhflessTestbed);
  for (const modelId of ['qwen2.5-3b', 'qwen2.5-7b', 'llama-3-8b'] as const) {
    const bytes = weightBytes(modelById(modelId));
    const seconds = reshardS(l20Cost, bytes, { train: { tp: 1, pp: 1, dp: 8 }, generation: { tp: 4, pp: 1 } }, 'gather-all', 'same-node');
    values[`weight-sync.l20.${modelId}`] = { value: seconds, detail: `reshardS(gather-all, FSDP dp 8 → vLLM TP 4, same node) of ${(bytes / 1e9).toFixed(1)} GB on the L20's PCIe Gen4 link` };
  }
  return { values, costModels: [...described].sort() };
}

export async function runValidationReplayCase(testCase: ValidationReplayCase): Promise<ValidationReplayResult> {
  const base = await loadScenario(join(projectRoot, testCase.scenario));
  const tp = base.generation.tp;
  const dp = { dp: testCase.gpus };
  const scenario = patchScenario(base, {
    cluster: { nodes: testCase.gpus / base.cluster.gpusPerNode },
    generation: { instances: testCase.gpus / tp },
    layout: { actorTrain: dp, actorInference: dp, ref: dp },
    provenance: { 'cluster.nodes': `fact: the co-located sync baseline ran on ${testCase.gpus} GPUs (reference §5.3)` },
  });
  const shape = { kind: 'batches', batchPrompts: testCase.batchPrompts, warmup: 0, measured: 1 } as const;
  const shaped = await loadShapedTrace(testCase.trace, testCase.samplesPerPrompt, shape, testCase.seed);
  let result: IterationResult | undefined;
  const outcome = await runExperiment(
    { scenario, workload: { kind: 'iterations', iterations: shaped.iterations, notes: shaped.notes }, schedulers: [findScheduler('verl')!], seed: testCase.seed },
    { result: (r) => void (result ??= r) },
  );
  const lengths = shaped.iterations[0]!.groups.flatMap((group) => group.responseTokens);
  return {
    gpus: testCase.gpus,
    costModel: outcome.costModel.description,
    iterationTimeS: result!.iterationTimeS,
    tasksS: result!.tasksS,
    samples: lengths.length,
    meanResponseTokens: lengths.reduce((sum, n) => sum + n, 0) / Math.max(1, lengths.length),
    maxResponseTokens: Math.max(0, ...lengths),
    notes: [...new Set([...outcome.notes, ...result!.notes])],
  };
}

export const validationCostKind: CaseKind<ValidationCostCase, ValidationCostResult> = { kind: VALIDATION_COST_KIND, run: (testCase) => runValidationCostCase(testCase) };
export const validationReplayKind: CaseKind<ValidationReplayCase, ValidationReplayResult> = { kind: VALIDATION_REPLAY_KIND, run: (testCase) => runValidationReplayCase(testCase) };
