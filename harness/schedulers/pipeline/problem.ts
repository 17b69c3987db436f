import { InputError, type InputProblem } from '../../util/input-error.js';
import type { NodeOrders, PipelineProblem, TaskRef } from './types.js';

/**
 * The problem in flat typed arrays, for an evaluator that runs millions of times in a search.
 * A pipeline's tasks for one micro-batch form a chain of 2S positions: position c < S is F on
 * stage c, position c >= S is B on stage 2S-1-c. A task in a node order is encoded as
 * `pipeline * 2 + (B ? 1 : 0)`.
 */
export interface CompiledProblem {
  readonly problem: PipelineProblem;
  readonly nodeCount: number;
  readonly pipelineCount: number;
  readonly stageCount: Int32Array;
  readonly microBatches: Int32Array;
  /** Per pipeline, the node of each chain position. */
  readonly chainNode: readonly Int32Array[];
  /** Per pipeline, the duration of each chain position. */
  readonly chainDuration: readonly Float64Array[];
  /** Per pipeline, the memory change each chain position causes on its node (+activation for F, -activation for B). */
  readonly chainMemoryDelta: readonly Float64Array[];
  /** `stageOnNode[node * pipelineCount + p]`: the stage pipeline p has on that node, or -1. */
  readonly stageOnNode: Int32Array;
  /** Where pipeline p's (micro-batch, chain position) end times start in one flat array. */
  readonly endTimeOffset: Int32Array;
  /** Tasks each node runs in total. */
  readonly tasksPerNode: Int32Array;
  readonly taskCount: number;
  readonly sendDuration: number;
  readonly memoryLimit: number;
}

export function encodeTask(task: TaskRef): number {
  return task.pipeline * 2 + (task.kind === 'B' ? 1 : 0);
}

export function decodeTask(code: number): TaskRef {
  return { pipeline: code >> 1, kind: (code & 1) === 1 ? 'B' : 'F' };
}

const PROBLEM_SOURCE = 'pipeline problem';

function isNonNegativeFinite(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

/** Every way a problem can be malformed, as input problems (empty when it is fine). */
export function problemErrors(problem: PipelineProblem): InputProblem[] {
  const errors: InputProblem[] = [];
  const fail = (field: string, value: unknown, message: string) => errors.push({ file: PROBLEM_SOURCE, field, value, message });
  if (!Number.isInteger(problem.nodeCount) || problem.nodeCount < 1) fail('nodeCount', problem.nodeCount, 'must be a positive integer');
  if (problem.pipelines.length === 0) fail('pipelines', problem.pipelines.length, 'needs at least one pipeline');
  if (problem.sendDuration !== undefined && !isNonNegativeFinite(problem.sendDuration)) fail('sendDuration', problem.sendDuration, 'must be a finite number >= 0');
  if (problem.memoryLimit !== undefined && !(problem.memoryLimit > 0)) fail('memoryLimit', problem.memoryLimit, 'must be > 0');
  problem.pipelines.forEach((pipeline, p) => {
    const at = (field: string) => `pipelines[${p}].${field}`;
    const stages = pipeline.stageNodes.length;
    if (!Number.isInteger(pipeline.microBatches) || pipeline.microBatches < 1) fail(at('microBatches'), pipeline.microBatches, 'must be a positive integer');
    if (stages === 0) fail(at('stageNodes'), stages, 'needs at least one stage');
    const seen = new Set<number>();
    for (const node of pipeline.stageNodes) {
      if (!Number.isInteger(node) || node < 0 || node >= problem.nodeCount) fail(at('stageNodes'), node, `must be a node in [0, ${problem.nodeCount})`);
      else if (seen.has(node)) fail(at('stageNodes'), node, 'holds two stages of one pipeline; give each stage its own node');
      seen.add(node);
    }
    for (const field of ['forwardDurations', 'backwardDurations', 'activationPerMicroBatch'] as const) {
      const values = pipeline[field];
      if (values.length !== stages) fail(at(field), values.length, `needs one value per stage (${stages})`);
      values.forEach((value, s) => {
        if (!isNonNegativeFinite(value)) fail(`${at(field)}[${s}]`, value, 'must be a finite number >= 0');
      });
    }
  });
  return errors;
}

export function compileProblem(problem: PipelineProblem): CompiledProblem {
  const errors = problemErrors(problem);
  if (errors.length > 0) throw new InputError(errors);
  const nodeCount = problem.nodeCount;
  const pipelineCount = problem.pipelines.length;
  const stageCount = new Int32Array(pipelineCount);
  const microBatches = new Int32Array(pipelineCount);
  const stageOnNode = new Int32Array(nodeCount * pipelineCount).fill(-1);
  const endTimeOffset = new Int32Array(pipelineCount);
  const tasksPerNode = new Int32Array(nodeCount);
  const chainNode: Int32Array[] = [];
  const chainDuration: Float64Array[] = [];
  const chainMemoryDelta: Float64Array[] = [];
  let taskCount = 0;
  problem.pipelines.forEach((pipeline, p) => {
    const stages = pipeline.stageNodes.length;
    stageCount[p] = stages;
    microBatches[p] = pipeline.microBatches;
    endTimeOffset[p] = taskCount;
    taskCount += pipeline.microBatches * 2 * stages;
    const nodes = new Int32Array(2 * stages);
    const durations = new Float64Array(2 * stages);
    const deltas = new Float64Array(2 * stages);
    for (let s = 0; s < stages; s++) {
      const node = pipeline.stageNodes[s]!;
      const backwardPosition = 2 * stages - 1 - s;
      nodes[s] = node;
      nodes[backwardPosition] = node;
      durations[s] = pipeline.forwardDurations[s]!;
      durations[backwardPosition] = pipeline.backwardDurations[s]!;
      deltas[s] = pipeline.activationPerMicroBatch[s]!;
      deltas[backwardPosition] = -pipeline.activationPerMicroBatch[s]!;
      stageOnNode[node * pipelineCount + p] = s;
      tasksPerNode[node]! += 2 * pipeline.microBatches;
    }
    chainNode.push(nodes);
    chainDuration.push(durations);
    chainMemoryDelta.push(deltas);
  });
  return {
    problem,
    nodeCount,
    pipelineCount,
    stageCount,
    microBatches,
    chainNode,
    chainDuration,
    chainMemoryDelta,
    stageOnNode,
    endTimeOffset,
    tasksPerNode,
    taskCount,
    sendDuration: problem.sendDuration ?? 0,
    memoryLimit: problem.memoryLimit ?? Infinity,
  };
}

/** Node orders as typed arrays of task codes (the search's representation). */
export function encodeOrders(orders: NodeOrders): Int32Array[] {
  return orders.map((tasks) => Int32Array.from(tasks, encodeTask));
}

export function decodeOrders(codes: readonly ArrayLike<number>[]): TaskRef[][] {
  return codes.map((node) => Array.from(node, decodeTask));
}

/**
 * Why the orders do not fit the problem (wrong node count, a task of a pipeline with no stage on
 * that node, a pipeline's F or B count on a node other than its micro-batch count), or [] if they fit.
 * Feasibility (dependencies, deadlock, memory) is the evaluator's business, not this one's.
 */
export function orderShapeErrors(compiled: CompiledProblem, orders: readonly ArrayLike<number>[]): string[] {
  const errors: string[] = [];
  const { nodeCount, pipelineCount } = compiled;
  if (orders.length !== nodeCount) return [`expected orders for ${nodeCount} nodes, got ${orders.length}`];
  for (let node = 0; node < nodeCount; node++) {
    const counts = new Int32Array(pipelineCount * 2);
    const order = orders[node]!;
    for (let i = 0; i < order.length; i++) {
      const code = order[i]!;
      const p = code >> 1;
      if (!Number.isInteger(code) || code < 0 || p >= pipelineCount) {
        errors.push(`node ${node} position ${i}: unknown task code ${code}`);
        continue;
      }
      if (compiled.stageOnNode[node * pipelineCount + p]! < 0) {
        errors.push(`node ${node} position ${i}: pipeline ${p} has no stage on this node`);
        continue;
      }
      counts[code]!++;
    }
    for (let p = 0; p < pipelineCount; p++) {
      const expected = compiled.stageOnNode[node * pipelineCount + p]! >= 0 ? compiled.microBatches[p]! : 0;
      for (const kind of [0, 1]) {
        const got = counts[p * 2 + kind]!;
        if (got !== expected) errors.push(`node ${node}: pipeline ${p} has ${got} ${kind === 1 ? 'B' : 'F'} tasks, expected ${expected}`);
      }
    }
  }
  return errors;
}
