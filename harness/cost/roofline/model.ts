import { DEFAULT_COST_ASSUMPTIONS, type CostAssumptions } from '../assumptions.js';
import { isServingEngine, SERVING_ENGINES } from '../engine-eras.js';
import { resolveParameters, type ResolvedParameters } from '../calibration/resolve.js';
import type { Calibration } from '../calibration/types.js';
import {
  allReduceTimeS,
  defaultGpusPerNodeInCollective,
  linkBytesPerS,
  sendRecvTimeS,
  type CollectiveKey,
  type LinkScope,
} from '../collectives.js';
import { operatorTimeS, type LayerOperator } from '../operators.js';
import { createRangeCounter, recordQuery } from '../range-counter.js';
import { trainingEngineOf, type CostModel, type GpuSpec, type ModelSpec, type Placement, type RangeCounter, type ReplicaCost, type ShardLayout } from '../types.js';
import { compileRange, type CompiledRange } from './fitted-range.js';
import { RooflineReplica, type LinearLinkCost, type ReplicaInputs } from './replica.js';

export interface CostModelOptions {
  /** Named assumptions to override (see assumptions.ts); the rest keep their defaults. */
  readonly assumptions?: Partial<CostAssumptions>;
  /** Counter to record into; a fresh one per model by default. */
  readonly rangeCounter?: RangeCounter;
  /** Where the calibration came from, for the description (e.g. its file name). */
  readonly calibrationLabel?: string;
  /** The framework calibration the assumptions carry, for the description (absent: none). */
  readonly frameworkLabel?: string;
}

/** The replica type this module returns: the contract plus a few added members. */
export interface CalibratedReplicaCost extends ReplicaCost {
  maxDecodeBatch(memoryUtilization: number, tokensPerSequence: number): number;
  trainingStateBytesPerGpu(dp: number): number;
  linearKernelsS(tokens: number): number;
  readonly parametersPerGpu: number;
}

/** The cost-model type this module returns: the contract plus what calibration and reports need. */
export interface CalibratedCostModel extends CostModel {
  readonly assumptions: CostAssumptions;
  readonly parameters: ResolvedParameters;
  replica(model: ModelSpec, layout: ShardLayout): CalibratedReplicaCost;
  /** Time of one layer operator on one GPU (what a Vidur mlp.csv row measures). */
  operatorS(model: ModelSpec, tp: number, op: LayerOperator, tokens: number): number;
  /** Point-to-point send of `bytes` between two GPUs of one node or of two nodes. */
  sendRecvS(bytes: number, crossNode: boolean): number;
}

export function resolveAssumptions(overrides: Partial<CostAssumptions> | undefined): CostAssumptions {
  const assumptions = { ...DEFAULT_COST_ASSUMPTIONS, ...(overrides ?? {}) };
  if (!isServingEngine(assumptions.servingEngine)) throw new RangeError(`unknown serving engine era '${String(assumptions.servingEngine)}' (known: ${SERVING_ENGINES.join(', ')})`);
  return assumptions;
}

/**
 * The roofline cost model of one GPU kind: per-operator rooflines with achieved efficiencies from
 * `calibration` (or the GPU's calibrationAlias, or the named defaults), collectives by the ring
 * formula with fitted latency and bandwidth, and fitted serving-engine overheads.
 */
export function createRooflineCostModel(gpu: GpuSpec, calibration?: Calibration, options: CostModelOptions = {}): CalibratedCostModel {
  const assumptions = resolveAssumptions(options.assumptions);
  const parameters = resolveParameters(gpu, calibration, assumptions);
  const counter = options.rangeCounter ?? createRangeCounter();
  const links = createLinkCosts(gpu, parameters, counter);
  const replica = memoizeReplicas((model, layout) => new RooflineReplica(replicaInputs(gpu, model, layout, parameters, assumptions, counter, links)));
  const calibrated = calibration ? `calibrated: ${options.calibrationLabel ?? calibration.description}` : 'uncalibrated: default efficiencies';
  const engine = `serving engine ${assumptions.servingEngine}${assumptions.engineOverheadScale !== 1 ? ` × ${assumptions.engineOverheadScale}` : ''}`;

  return {
    gpu,
    description: `roofline on ${gpu.id} (${calibrated}; ${engine}${options.frameworkLabel ? `; framework: ${options.frameworkLabel}` : ''})`,
    rangeCounter: counter,
    assumptions,
    parameters,
    replica,
    operatorS: (model, tp, op, tokens) => operatorTimeS(op, model, tp, tokens, gpu, parameters.kernels, assumptions.gemmTileTokens),
    allReduceS: links.allReduceS,
    sendRecvS: links.sendRecvS,
    transferS: links.transferS,
    hostToGpuS: (bytes, gpus) => bytes / Math.max(1, gpus) / (gpu.hostLinkBytesPerSPerDirection * assumptions.hostLinkEfficiency),
  };
}

/** One replica per (model, layout), built on first use: schedulers may ask for it in loops. */
export function memoizeReplicas(build: (model: ModelSpec, layout: ShardLayout) => CalibratedReplicaCost): (model: ModelSpec, layout: ShardLayout) => CalibratedReplicaCost {
  const replicas = new WeakMap<ModelSpec, Map<string, CalibratedReplicaCost>>();
  return (model, layout) => {
    let byLayout = replicas.get(model);
    if (!byLayout) replicas.set(model, (byLayout = new Map()));
    const key = `${layout.tp}x${layout.pp}${layout.head === 'value' ? 'v' : ''}${trainingEngineOf(layout)}${layout.servingEngine ? `@${layout.servingEngine}` : ''}`;
    let replica = byLayout.get(key);
    if (!replica) byLayout.set(key, (replica = build(model, layout)));
    return replica;
  };
}

export interface LinkCosts {
  allReduceS(bytes: number, workers: number, crossNode: boolean, gpusPerNode?: number): number;
  sendRecvS(bytes: number, crossNode: boolean): number;
  transferS(bytes: number, placement: Placement): number;
  /** The all-reduce as fixed + per-byte parts, for a fixed worker set (the TP group). */
  linearAllReduce(workers: number, crossNode: boolean): LinearLinkCost;
  linearSendRecv(crossNode: boolean): LinearLinkCost;
}

export function createLinkCosts(gpu: GpuSpec, parameters: ResolvedParameters, counter: RangeCounter): LinkCosts {
  const scopeOf = (crossNode: boolean): LinkScope => (crossNode ? 'inter-node' : 'intra-node');
  const ranges = new Map<CollectiveKey, CompiledRange>();
  const rangeOf = (key: CollectiveKey): CompiledRange => {
    let range = ranges.get(key);
    if (!range) ranges.set(key, (range = compileRange(parameters.origins[`collective:${key}`])));
    return range;
  };
  const inRange = (key: CollectiveKey, bytes: number, workers: number) => {
    const r = rangeOf(key);
    return r.fitted && bytes >= r.bytesLo && bytes <= r.bytesHi && workers >= r.workersLo && workers <= r.workersHi;
  };
  const allReduceS = (bytes: number, workers: number, crossNode: boolean, gpusPerNode?: number): number => {
    const key: CollectiveKey = crossNode ? 'all_reduce/inter-node' : 'all_reduce/intra-node';
    recordQuery(counter, inRange(key, bytes, workers), 'all_reduce');
    const perNode = gpusPerNode ?? defaultGpusPerNodeInCollective(gpu, workers);
    return allReduceTimeS(bytes, workers, linkBytesPerS(gpu, scopeOf(crossNode), perNode), parameters.collectives[key]);
  };
  const sendRecvS = (bytes: number, crossNode: boolean): number => {
    const key: CollectiveKey = crossNode ? 'send_recv/inter-node' : 'send_recv/intra-node';
    recordQuery(counter, inRange(key, bytes, 2), 'send_recv');
    return sendRecvTimeS(bytes, linkBytesPerS(gpu, scopeOf(crossNode), 1), parameters.collectives[key]);
  };
  const copyBytesPerS = gpu.hbmBytesPerS * parameters.kernels.residual_add.mbu;
  return {
    allReduceS,
    sendRecvS,
    // Same GPU: a device-to-device copy (read and write) — a weight reshard in place, not a no-op.
    transferS: (bytes, placement) => (placement === 'same-gpu' ? (2 * bytes) / copyBytesPerS : sendRecvS(bytes, placement === 'other-node')),
    linearAllReduce(workers, crossNode) {
      if (workers <= 1) return { fixedS: 0, sPerByte: 0 };
      const link = parameters.collectives[crossNode ? 'all_reduce/inter-node' : 'all_reduce/intra-node'];
      const bandwidth = linkBytesPerS(gpu, scopeOf(crossNode), defaultGpusPerNodeInCollective(gpu, workers));
      const steps = workers - 1;
      return { fixedS: link.latencyS + link.latencyPerHopS * steps, sPerByte: (2 * steps) / workers / (bandwidth * link.bandwidthEfficiency) };
    },
    linearSendRecv(crossNode) {
      const link = parameters.collectives[crossNode ? 'send_recv/inter-node' : 'send_recv/intra-node'];
      return { fixedS: link.latencyS + link.latencyPerHopS, sPerByte: 1 / (linkBytesPerS(gpu, scopeOf(crossNode), 1) * link.bandwidthEfficiency) };
    },
  };
}

export function replicaInputs(
  gpu: GpuSpec,
  model: ModelSpec,
  layout: ShardLayout,
  parameters: ResolvedParameters,
  assumptions: CostAssumptions,
  counter: RangeCounter,
  links: LinkCosts,
  measuredLinearKernelsS?: (tokens: number) => number,
): ReplicaInputs {
  // A replica spans nodes when it has more GPUs than a node; TP groups stay inside a node when they fit.
  const tpCrossNode = layout.tp > gpu.gpusPerNode;
  const stagesCrossNode = layout.tp * layout.pp > gpu.gpusPerNode;
  return {
    gpu,
    model,
    layout,
    parameters,
    assumptions,
    counter,
    tpAllReduce: links.linearAllReduce(layout.tp, tpCrossNode),
    stageSend: links.linearSendRecv(stagesCrossNode),
    gradientAllReduceS: (bytes, dp, crossNode) => links.allReduceS(bytes, dp, crossNode),
    ...(measuredLinearKernelsS ? { measuredLinearKernelsS } : {}),
  };
}
