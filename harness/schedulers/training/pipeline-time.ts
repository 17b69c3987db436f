import { evaluateSchedule } from '../pipeline/evaluate.js';
import { oneFOneBOrders } from '../pipeline/one-f-one-b.js';
import type { PipelineProblem } from '../pipeline/types.js';

export interface UniformPipeline {
  readonly stages: number;
  readonly microBatches: number;
  /** Forward of one micro-batch on one stage, seconds. */
  readonly forwardS: number;
  readonly backwardS: number;
  /** Activation / gradient send between adjacent stages, seconds. */
  readonly sendS?: number;
}

/**
 * Makespan of one pipeline running plain 1F1B with the same F and B cost on every stage and
 * micro-batch. The one call site for pipeline timing: it goes through the shared list-scheduling
 * evaluator (harness/schedulers/pipeline), so communication and later non-uniform stages come for
 * free; with no sends it equals (m + p − 1)(f + b) exactly.
 */
export function oneFOneBMakespanS(pipeline: UniformPipeline): number {
  const { stages, microBatches, forwardS, backwardS } = pipeline;
  if (microBatches === 0) return 0;
  if (stages === 1) return microBatches * (forwardS + backwardS);
  const problem: PipelineProblem = {
    nodeCount: stages,
    pipelines: [
      {
        model: 'model',
        replica: 0,
        microBatches,
        stageNodes: Array.from({ length: stages }, (_, s) => s),
        forwardDurations: new Array<number>(stages).fill(forwardS),
        backwardDurations: new Array<number>(stages).fill(backwardS),
        activationPerMicroBatch: new Array<number>(stages).fill(1),
      },
    ],
    sendDuration: pipeline.sendS ?? 0,
  };
  const evaluation = evaluateSchedule(problem, oneFOneBOrders(problem));
  if (!evaluation.feasible) throw new Error(`1F1B pipeline of ${stages} stages × ${microBatches} micro-batches is infeasible (${evaluation.reason})`);
  return evaluation.makespan;
}
