import type { PipelineProblem, PipelineSpec } from './types.js';

/**
 * A true lower bound on the peak activation memory of any schedule that finishes by `makespan`.
 *
 * On stage s of a pipeline, micro-batch 0's backward cannot end before its chain allows:
 * E = every forward, then the backwards down to s. Micro-batch k's forward on stage s must end
 * early enough for what still has to follow it: on some stage t ≥ s, the forwards and backwards of
 * micro-batches k..m−1 (they all come after F_k there), then the backward chain from t down to
 * stage 0. If that latest end L_k is before E, then F_0..F_k all end on the node before the
 * stage's first backward does, so the node holds k + 1 activations at once. The bound is the
 * largest such (k + 1) × activation over stages and pipelines (at least one activation: every
 * forward adds one). Pipelines sharing a node are not added up, since their peaks need not meet.
 *
 * With M = PP micro-batches and the makespan at the pipeline's own 1F1B critical path (FlexFusion
 * experiments 2 and 5), it proves 1F1B's stage-0 peak optimal: every forward must be done before
 * the first backward comes back.
 */
export function peakMemoryLowerBound(problem: PipelineProblem, makespan: number): number {
  const send = problem.sendDuration ?? 0;
  let bound = 0;
  for (const pipeline of problem.pipelines) {
    const stages = pipeline.stageNodes.length;
    for (let stage = 0; stage < stages; stage++) {
      const activation = pipeline.activationPerMicroBatch[stage]!;
      if (activation <= 0) continue;
      const firstBackwardEnd = earliestFirstBackwardEnd(pipeline, stage, send);
      let held = 1;
      for (let k = pipeline.microBatches - 1; k >= 1; k--) {
        // Strictly before, with a margin for float sums of stage times.
        if (latestForwardEnd(pipeline, stage, k, makespan, send) < firstBackwardEnd - 1e-9 * Math.max(1, makespan)) {
          held = k + 1;
          break;
        }
      }
      bound = Math.max(bound, held * activation);
    }
  }
  return bound;
}

function sum(values: readonly number[], from: number, to: number): number {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i]!;
  return total;
}

/** Micro-batch 0's forwards through every stage, then its backwards from the last stage down to `stage`. */
function earliestFirstBackwardEnd(pipeline: PipelineSpec, stage: number, send: number): number {
  const stages = pipeline.stageNodes.length;
  return sum(pipeline.forwardDurations, 0, stages) + (stages - 1) * send + sum(pipeline.backwardDurations, stage, stages) + (stages - 1 - stage) * send;
}

/** Latest end of micro-batch k's forward on `stage` that leaves room for what must follow it (see `peakMemoryLowerBound`). */
function latestForwardEnd(pipeline: PipelineSpec, stage: number, k: number, makespan: number, send: number): number {
  const stages = pipeline.stageNodes.length;
  const m = pipeline.microBatches;
  const { forwardDurations: forward, backwardDurations: backward } = pipeline;
  // On the stage itself: the later forwards and every backward from k on, then the backward chain below it.
  let after = (m - k - 1) * forward[stage]! + (m - k) * backward[stage]! + sum(backward, 0, stage) + stage * send;
  for (let t = stage + 1; t < stages; t++) {
    const reach = sum(forward, stage + 1, t) + (t - stage) * send;
    after = Math.max(after, reach + (m - k) * (forward[t]! + backward[t]!) + sum(backward, 0, t) + t * send);
  }
  return makespan - after;
}
