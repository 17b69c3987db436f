import { IterationContext } from '../iteration-context.js';
import { ADMISSION_WATERMARK, choiceParameter, numberParameter, schedulerParameters } from '../parameters/index.js';
import type { SchedulerEntry } from '../types.js';
import { runSequentialPlan } from './sequential-plan.js';

const realhfParameters = schedulerParameters('realhf', {
  generationBatching: choiceParameter({
    name: 'generation-batching',
    default: 'static',
    unit: 'policy',
    why: "ReaLHF's version in the RLHFuse comparison is not given (RLHFuse §9 item 11); its generation runs fixed (unpadded) batches per DP rank that end with their longest sample, without continuous batching",
    choices: ['static', 'continuous'],
  }),
  generationMicroBatches: numberParameter({
    name: 'generation-micro-batches',
    default: 1,
    unit: 'batches per instance',
    why: 'each generation DP rank splits its share into this many batches; ReaLHF plans are not recovered, one batch per rank',
    range: [1, 1024],
    integer: true,
  }),
  admissionWatermark: { ...ADMISSION_WATERMARK, why: `${ADMISSION_WATERMARK.why}; read only with continuous batching` },
});

/**
 * ReaLHF: a per-call parallel plan (the scenario's per-task layouts stand in for its searched
 * plan, which is not recovered) with parameter reallocation between calls, 1F1B training, stages
 * in sequence; frozen models stay on the GPUs; no length balancing across DP.
 */
export function runRealhf(...args: Parameters<SchedulerEntry['run']>) {
  const [scenario, iteration, cost, rng] = args;
  const p = realhfParameters.resolve(scenario);
  const ctx = new IterationContext('realhf', scenario, iteration, cost, rng);
  return runSequentialPlan(ctx, {
    generation: p.generationBatching === 'continuous' ? { kind: 'continuous', assignment: 'contiguous' } : { kind: 'static', microBatchesPerInstance: p.generationMicroBatches },
    admissionWatermark: p.admissionWatermark,
    frozenModelsInHostMemory: false,
    balance: false,
  });
}

export const realhf: SchedulerEntry = {
  name: 'realhf',
  description: 'ReaLHF: per-call parallel plan with parameter reallocation, static-batch generation, 1F1B, stages in sequence',
  sources: ['papers/rlhfuse.md §6', 'ReaLHF, arXiv 2406.14088'],
  assumptions: realhfParameters.assumptions,
  run: runRealhf,
};
