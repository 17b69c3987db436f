import type { GpuProfile } from '../../traces/types.js';
import { classifyProfiles, type CalibrationRow } from '../calibration/profile-rows.js';
import type { Calibration } from '../calibration/types.js';
import { operatorTimeS, type LayerOperator } from '../operators.js';
import { createRangeCounter, recordQuery } from '../range-counter.js';
import { createLinkCosts, createRooflineCostModel, memoizeReplicas, replicaInputs, type CalibratedCostModel, type CalibratedReplicaCost, type CostModelOptions } from '../roofline/model.js';
import { RooflineReplica } from '../roofline/replica.js';
import type { GpuSpec, ModelSpec, RangeCounter, ShardLayout } from '../types.js';
import type { CrossGrid, Grid1D } from './grid.js';
import { buildProfileGrids, collectiveGridKey, kernelGridKey, replicaGridKey, type ProfileGrids } from './grids.js';

/**
 * The profile-interpolating cost model: where a measured grid covers a query (this GPU, this
 * model, this TP, keys inside the measured range) it answers by monotone piecewise-linear
 * interpolation of the measurements; elsewhere it falls back to the calibrated roofline and
 * counts the query as out of range. Grids are per GPU id: an aliased GPU (H800) borrows fitted
 * efficiencies, never another GPU's raw measurements.
 */

export interface ProfileCostModel extends CalibratedCostModel {
  readonly grids: ProfileGrids;
}

export function createProfileCostModel(gpu: GpuSpec, profiles: GpuProfile | readonly GpuProfile[], calibration?: Calibration, options: CostModelOptions = {}): ProfileCostModel {
  const list = Array.isArray(profiles) ? (profiles as readonly GpuProfile[]) : [profiles as GpuProfile];
  return createProfileCostModelFromRows(gpu, classifyProfiles(list).rows, calibration, options);
}

/** The same from already classified rows (calibration's fidelity report builds one per fold). */
export function createProfileCostModelFromRows(gpu: GpuSpec, rows: readonly CalibrationRow[], calibration?: Calibration, options: CostModelOptions = {}): ProfileCostModel {
  const grids = buildProfileGrids(rows.filter((r) => r.gpu.id === gpu.id));
  const counter = options.rangeCounter ?? createRangeCounter();
  // The fallback records into a scratch counter: this model records each query once, itself.
  const scratch = createRangeCounter();
  const fallback = createRooflineCostModel(gpu, calibration, { ...options, rangeCounter: scratch });
  const links = createLinkCosts(gpu, fallback.parameters, scratch);

  const allReduceS = (bytes: number, workers: number, crossNode: boolean, gpusPerNode?: number): number => {
    const grid = grids.collective.get(collectiveGridKey('all_reduce', crossNode, workers));
    const covered = grid !== undefined && gpusPerNode === undefined && grid.covers(bytes);
    recordQuery(counter, covered, 'all_reduce');
    return covered ? grid.at(bytes) : links.allReduceS(bytes, workers, crossNode, gpusPerNode);
  };
  const sendRecvS = (bytes: number, crossNode: boolean): number => {
    const grid = grids.collective.get(collectiveGridKey('send_recv', crossNode, 2));
    const covered = grid !== undefined && grid.covers(bytes);
    recordQuery(counter, covered, 'send_recv');
    return covered ? grid.at(bytes) : links.sendRecvS(bytes, crossNode);
  };

  return {
    gpu,
    description: `profile-interpolating on ${gpu.id} (${grids.kernel.size} kernel, ${grids.collective.size} collective, ${grids.decode.size} decode, ${grids.prefill.size} prefill grids; else ${fallback.description})`,
    rangeCounter: counter,
    assumptions: fallback.assumptions,
    parameters: fallback.parameters,
    grids,
    replica: memoizeReplicas((model, layout) => {
      const measured = layout.pp === 1 ? measuredLinearKernels(grids, model, layout.tp) : undefined;
      const inputs = replicaInputs(gpu, model, layout, fallback.parameters, fallback.assumptions, scratch, links, measured);
      const roofline = new RooflineReplica({ ...inputs, gradientAllReduceS: (bytes, dp, crossNode) => allReduceS(bytes, dp, crossNode) });
      // Composite grids describe a whole replica; with pipeline stages the roofline answers.
      const gridKey = replicaGridKey(model.id, layout.tp);
      return layout.pp === 1
        ? new ProfileReplica(roofline, counter, grids.decode.get(gridKey), grids.prefill.get(gridKey), measured)
        : new ProfileReplica(roofline, counter, undefined, undefined, undefined);
    }),
    operatorS(model, tp, op, tokens) {
      const grid = grids.kernel.get(kernelGridKey(model.id, op, tp));
      const covered = grid !== undefined && grid.covers(tokens);
      recordQuery(counter, covered, 'operator');
      return covered ? grid.at(tokens) : operatorTimeS(op, model, tp, tokens, gpu, fallback.parameters.kernels, fallback.assumptions.gemmTileTokens);
    },
    allReduceS,
    sendRecvS,
    transferS: (bytes, placement) => (placement === 'same-gpu' ? fallback.transferS(bytes, placement) : sendRecvS(bytes, placement === 'other-node')),
    hostToGpuS: fallback.hostToGpuS,
  };
}

/** The layer operators a replica's linear kernels sum (see roofline/replica.ts), with their counts. */
const LINEAR_OPERATORS: readonly (readonly [LayerOperator, number])[] = (
  ['input_layernorm', 'attn_pre_proj', 'attn_rope', 'attn_post_proj', 'post_attention_layernorm', 'mlp_up_proj', 'mlp_act', 'mlp_down_proj', 'add'] as const
).map((op) => [op, op === 'add' ? 2 : 1] as const);

/** Σ of measured linear operators at `tokens`, or undefined when some operator has no grid for (model, tp). */
function measuredLinearKernels(grids: ProfileGrids, model: ModelSpec, tp: number): ((tokens: number) => number) | undefined {
  const parts: { grid: Grid1D; count: number }[] = [];
  for (const [op, count] of LINEAR_OPERATORS) {
    const grid = grids.kernel.get(kernelGridKey(model.id, op, tp));
    if (!grid) return undefined;
    parts.push({ grid, count });
  }
  return (tokens: number) => {
    let total = 0;
    for (let i = 0; i < parts.length; i++) total += parts[i]!.count * parts[i]!.grid.at(tokens); // NaN outside any grid
    return total;
  };
}

/** A replica answering from measured composite grids where they cover the query, else from the roofline. */
class ProfileReplica implements CalibratedReplicaCost {
  readonly model: ModelSpec;
  readonly gpu: GpuSpec;
  readonly layout: ShardLayout;
  readonly gpus: number;
  readonly weightBytesPerGpu: number;
  readonly kvBytesPerTokenPerGpu: number;
  readonly kvBytesPerToken: number;
  readonly parametersPerGpu: number;

  constructor(
    private readonly roofline: RooflineReplica,
    private readonly counter: RangeCounter,
    private readonly decode: CrossGrid | undefined,
    private readonly prefill: CrossGrid | undefined,
    private readonly measuredKernels: ((tokens: number) => number) | undefined,
  ) {
    this.model = roofline.model;
    this.gpu = roofline.gpu;
    this.layout = roofline.layout;
    this.gpus = roofline.gpus;
    this.weightBytesPerGpu = roofline.weightBytesPerGpu;
    this.kvBytesPerTokenPerGpu = roofline.kvBytesPerTokenPerGpu;
    this.kvBytesPerToken = roofline.kvBytesPerToken;
    this.parametersPerGpu = roofline.parametersPerGpu;
  }

  kvCapacityTokens(memoryUtilization: number): number {
    return this.roofline.kvCapacityTokens(memoryUtilization);
  }

  maxDecodeBatch(memoryUtilization: number, tokensPerSequence: number): number {
    return this.roofline.maxDecodeBatch(memoryUtilization, tokensPerSequence);
  }

  trainingStateBytesPerGpu(dp: number): number {
    return this.roofline.trainingStateBytesPerGpu(dp);
  }

  linearKernelsS(tokens: number): number {
    return this.roofline.linearKernelsS(tokens);
  }

  decodeStepS(batch: number, contextTokens: number): number {
    const grid = this.decode;
    const perSequence = contextTokens / batch;
    const covered = grid !== undefined && grid.covers(batch, perSequence);
    recordQuery(this.counter, covered, 'decode_step');
    return covered ? grid.at(batch, perSequence) : this.roofline.decodeStepS(batch, contextTokens);
  }

  decodeStepsS(batch: number, contextTokens: number, steps: number): number {
    if (steps <= 0) return 0;
    const grid = this.decode;
    const first = contextTokens / batch;
    // context per sequence grows by one token a step
    const covered = grid !== undefined && grid.covers(batch, first) && grid.covers(batch, first + steps - 1);
    recordQuery(this.counter, covered, 'decode_step');
    return covered ? grid.sumOverSecond(batch, first, 1, steps) : this.roofline.decodeStepsS(batch, contextTokens, steps);
  }

  prefillS(tokens: number, sequences: number, squaredTokens?: number): number {
    const grid = this.prefill;
    const perSequence = tokens / sequences;
    // The grid was measured with equal prompts; unequal ones (given squares) go to the roofline.
    const equalLengths = squaredTokens === undefined || Math.abs(squaredTokens - tokens * perSequence) <= 1e-9 * squaredTokens;
    const covered = grid !== undefined && equalLengths && grid.covers(sequences, perSequence);
    recordQuery(this.counter, covered, 'prefill');
    return covered ? grid.at(sequences, perSequence) : this.roofline.prefillS(tokens, sequences, squaredTokens);
  }

  private kernelsCover(tokens: number): boolean {
    const measured = this.measuredKernels;
    return measured !== undefined && !Number.isNaN(measured(tokens));
  }

  forwardS(tokens: number, sequences: number, squaredTokens?: number): number {
    recordQuery(this.counter, this.kernelsCover(tokens), 'forward');
    return this.roofline.forwardS(tokens, sequences, squaredTokens);
  }

  trainStageForwardS(tokens: number, sequences: number, squaredTokens?: number): number {
    recordQuery(this.counter, this.kernelsCover(tokens), 'train_forward');
    return this.roofline.trainStageForwardS(tokens, sequences, squaredTokens);
  }

  trainStageBackwardS(tokens: number, sequences: number, squaredTokens?: number): number {
    recordQuery(this.counter, this.kernelsCover(tokens), 'train_backward');
    return this.roofline.trainStageBackwardS(tokens, sequences, squaredTokens);
  }

  activationBytesPerStage(tokens: number, sequences: number): number {
    return this.roofline.activationBytesPerStage(tokens, sequences);
  }

  pipelineSendS(tokens: number): number {
    return this.roofline.pipelineSendS(tokens);
  }

  optimizerStepS(dp: number): number {
    return this.roofline.optimizerStepS(dp);
  }

  gradientSyncS(dp: number, crossNode: boolean): number {
    return this.roofline.gradientSyncS(dp, crossNode);
  }
}
