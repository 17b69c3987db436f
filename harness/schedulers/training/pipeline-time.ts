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

/**
 * Makespan of Megatron's interleaved 1F1B with `chunks` (v) virtual stages per device (Narayanan et
 * al., SC'21, §2.2.2): each device holds v non-adjacent chunks of L/(p·v) layers, so the warm-up
 * and cool-down bubble shrinks from (p − 1)(f + b) to (p − 1)(f + b)/v — a bubble of (p − 1)/(v·m)
 * of the ideal m(f + b) — while every micro-batch crosses p·v − 1 stage boundaries instead of
 * p − 1 each way, which adds 2·p·(v − 1) sends to the critical path. Built on the plain 1F1B
 * makespan (which includes its own send waits): with v = 1 it is that makespan exactly.
 */
export function interleavedOneFOneBMakespanS(pipeline: UniformPipeline & { readonly chunks: number }): number {
  const base = oneFOneBMakespanS(pipeline);
  const { stages, microBatches, forwardS, backwardS, chunks } = pipeline;
  if (chunks <= 1 || stages === 1 || microBatches === 0) return base;
  const bubbleSaved = (stages - 1) * (forwardS + backwardS) * (1 - 1 / chunks);
  const extraSends = 2 * stages * (chunks - 1) * (pipeline.sendS ?? 0);
  return base - bubbleSaved + extraSends;
}
