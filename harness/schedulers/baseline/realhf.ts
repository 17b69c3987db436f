import { SchedulerParameters } from '../assumptions.js';
import { IterationContext } from '../iteration-context.js';
import type { SchedulerAssumption, SchedulerEntry } from '../types.js';
import { runSequentialPlan } from './sequential-plan.js';

export const realhfAssumptions: readonly SchedulerAssumption[] = [
  {
    name: 'generation-batching',
    value: 'static',
    unit: 'policy',
    why: "ReaLHF's version in the RLHFuse comparison is not given (RLHFuse §9 item 11); its generation runs fixed (unpadded) batches per DP rank that end with their longest sample, without continuous batching",
    choices: ['static', 'continuous'],
  },
  {
    name: 'generation-micro-batches',
    value: 1,
    unit: 'batches per instance',
    why: 'each generation DP rank splits its share into this many batches; ReaLHF plans are not recovered, one batch per rank',
    range: [1, 1024],
  },
  {
    name: 'admission-watermark',
    value: 0.01,
    unit: 'fraction of KV capacity',
    why: "only with continuous batching: vLLM's default block watermark",
    range: [0, 0.2],
  },
];

/**
 * ReaLHF: a per-call parallel plan (the scenario's per-task layouts stand in for its searched
 * plan, which is not recovered) with parameter reallocation between calls, 1F1B training, stages
 * in sequence; frozen models stay on the GPUs; no length balancing across DP.
 */
export function runRealhf(...args: Parameters<SchedulerEntry['run']>) {
  const [scenario, iteration, cost, rng] = args;
  const p = SchedulerParameters.fromScenario('realhf', realhfAssumptions, scenario);
  const ctx = new IterationContext('realhf', scenario, iteration, cost, rng);
  const batching = p.string('generation-batching');
  return runSequentialPlan(ctx, {
    generation: batching === 'continuous' ? { kind: 'continuous', assignment: 'contiguous' } : { kind: 'static', microBatchesPerInstance: p.number('generation-micro-batches') },
    admissionWatermark: p.number('admission-watermark'),
    frozenModelsInHostMemory: false,
    balance: false,
  });
}

export const realhf: SchedulerEntry = {
  name: 'realhf',
  description: 'ReaLHF: per-call parallel plan with parameter reallocation, static-batch generation, 1F1B, stages in sequence',
  sources: ['papers/rlhfuse.md §6', 'ReaLHF, arXiv 2406.14088'],
  assumptions: realhfAssumptions,
  run: runRealhf,
};
