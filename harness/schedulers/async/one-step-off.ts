import type { Span } from '../../sim/types.js';
import { verlWorkerParameters, verlWorkerSettings } from '../baseline/verl-workers.js';
import { sumCounters } from '../generation/run.js';
import { IterationContext } from '../iteration-context.js';
import { ADMISSION_WATERMARK, REFERENCE_POLICY, schedulerParameters } from '../parameters/index.js';
import { engineLimits, scenarioEngine } from '../phases.js';
import type { SchedulerEntry } from '../types.js';
import { windowResult } from './async-result.js';
import { asyncWindow, recentIterationsFold } from './async-window.js';
import { poolParameters, rolloutLogProbs } from './parameters.js';
import { asyncPools } from './pools.js';
import { Rollouter } from './rollouter.js';
import { trainerStep } from './trainer-step.js';
import { asyncWeightSyncS } from './weight-sync.js';

const VERL = 'volcengine/verl b178a3cd verl/experimental/one_step_off_policy';

export const oneStepOffParameterSet = schedulerParameters('one-step-off', {
  ...poolParameters,
  useRolloutLogProbs: rolloutLogProbs(false, `${VERL}/ray_trainer.py fit: old log-probs are recomputed on the trainer unless algorithm.rollout_correction.bypass_mode is set; the recipe's published table (docs/advance/one_step_off.md) has an old_log_prob time, so recomputed`),
  referencePolicy: REFERENCE_POLICY,
  admissionWatermark: ADMISSION_WATERMARK,
  ...verlWorkerParameters,
});

/**
 * veRL's one-step-off-policy trainer (verl/experimental/one_step_off_policy/ray_trainer.py fit,
 * volcengine/verl b178a3cd): rollout and trainer on separate pools. Step k waits for the batch
 * generated during step k − 1 (veRL's `gen` timer, the docs' wait_prev_gen), syncs the trainer's
 * weights to the rollout servers over NCCL, tensor by tensor (both pools wait), launches the
 * generation of batch k + 1 under those weights, and trains on batch k (reward, old log-probs,
 * ref, update: trainer-step.ts) while it runs. Every batch is trained one policy version after
 * the one that generated it.
 *
 * A step's time depends on three things: the previous batch's training (the head start the
 * generation of this batch had), this batch's generation and this batch's training. One call
 * simulates exactly those (async-window.ts with one warm-up iteration: the replay's previous one,
 * or this one standing in for it on the first iteration) and the generation of the next batch
 * (a copy of this one) for the rollout pool's busy time:
 *
 *   step = max(0, gen_k − train_{k−1}) + sync + train_k
 */
export function runOneStepOff(...args: Parameters<SchedulerEntry['run']>) {
  const [scenario, iteration, cost, rng, history] = args;
  const p = oneStepOffParameterSet.resolve(scenario);
  const workers = verlWorkerSettings(p);
  const pools = asyncPools(scenario, p, (key) => oneStepOffParameterSet.field(key));
  const window = asyncWindow(iteration, history, 1, iteration.groups.length);
  const ctx = new IterationContext('one-step-off', scenario, window.combined, cost, rng);
  const limits = engineLimits(ctx, scenario.generation.tp, scenarioEngine(ctx, p.admissionWatermark));
  const rollouter = new Rollouter(ctx.table, ctx.replica('actor', { tp: scenario.generation.tp, pp: 1 }), limits, pools.servers, 0);
  const sync = asyncWeightSyncS(ctx, pools, workers, 'nccl-per-tensor');
  const work = { workers, referencePolicy: p.referencePolicy, recomputeOldLogProb: !p.useRolloutLogProbs };
  const groupsOf = (part: 'warm-up' | 'measured' | 'lookahead') => window.combined.groups.flatMap((group, g) => (window.part[g] === part ? [{ group, g }] : []));
  const previous = groupsOf('warm-up');
  const current = groupsOf('measured');
  const next = groupsOf('lookahead');
  const spans: Span[] = [];
  const syncSpans = (atS: number) => {
    if (sync.durationS <= 0) return;
    for (const pool of [pools.trainer, pools.rollout]) spans.push({ pool: pool.name, firstGpu: pool.firstGpu, gpus: pool.gpus, task: 'weight-sync', stage: 'weight-sync', iteration: iteration.iteration, startS: atS, endS: atS + sync.durationS, model: scenario.models.actor });
  };
  const train = (groups: { group: (typeof window.combined.groups)[number] }[], startS: number, label: string) => {
    const step = trainerStep(scenario, cost, rng.fork(label), pools, work, groups.map((x) => x.group), iteration.iteration);
    for (const span of step.spans) spans.push({ ...span, startS: span.startS + startS, endS: span.endS + startS });
    return step;
  };

  // Step k − 1 (its batch was generated before the window): sync, launch generation of batch k, train batch k − 1.
  syncSpans(0);
  for (const { g } of current) rollouter.submit(g, sync.durationS);
  const previousStep = train(previous, sync.durationS, 'previous');
  const stepStartS = sync.durationS + previousStep.durationS;
  // Step k: wait for batch k.
  while (rollouter.runToCompletion()) rollouter.takeCompleted();
  let generatedS = sync.durationS;
  for (const { g } of current) {
    const t = ctx.table;
    for (let id = t.firstSampleOfGroup[g]!; id < t.firstSampleOfGroup[g + 1]!; id++) generatedS = Math.max(generatedS, rollouter.cluster.finishTimeS[id]!);
  }
  const waitEndS = Math.max(stepStartS, generatedS);
  syncSpans(waitEndS);
  const launchS = waitEndS + sync.durationS;
  for (const { g } of next) rollouter.submit(g, launchS);
  const step = train(current, launchS, 'current');
  const stepEndS = launchS + step.durationS;
  rollouter.cluster.runUntil(undefined, stepEndS);

  const instancePools = Array.from({ length: pools.servers }, (_, i) => ({ name: `generate/${i}`, firstGpu: pools.rollout.firstGpu + i * scenario.generation.tp, gpus: scenario.generation.tp }));
  rollouter.cluster.instances.forEach((instance, i) => {
    for (const [from, to] of instance.busyPeriods()) spans.push({ pool: instancePools[i]!.name, firstGpu: instancePools[i]!.firstGpu, gpus: instancePools[i]!.gpus, task: 'generate', stage: 'generation', iteration: iteration.iteration, startS: from, endS: to, model: scenario.models.actor });
  });
  const engine = sumCounters(rollouter.cluster.instances.map((instance) => instance.counters));
  const counters: Record<string, number> = {
    trainer_wait_s: waitEndS - stepStartS,
    generation_s: generatedS - sync.durationS,
    policy_lag_1_samples: step.samples,
    policy_lag_mean_versions: step.samples > 0 ? 1 : 0,
    policy_lag_max_versions: step.samples > 0 ? 1 : 0,
    stale_samples_frac: step.samples > 0 ? 1 : 0,
    interrupted_sequences_frac: 0,
    weight_syncs: 1,
    weight_sync_s: sync.durationS,
    window_recomputed_tokens: engine.recomputedTokens,
    window_preemptions: engine.preemptions,
  };
  const notes = [
    ...window.notes,
    ...ctx.notes,
    `one-step-off: ${pools.rollout.gpus} rollout GPUs (${pools.servers} servers of TP ${scenario.generation.tp}) : ${pools.trainer.gpus} trainer GPUs; generation of this batch ${(generatedS - sync.durationS).toFixed(1)} s against ${previousStep.durationS.toFixed(1)} s of training the previous one`,
  ];
  return windowResult({
    scheduler: 'one-step-off',
    iteration: iteration.iteration,
    pools,
    priceUsdPerGpuHour: scenario.cluster.priceUsdPerGpuHour,
    spans,
    windowStartS: stepStartS,
    windowEndS: stepEndS,
    trained: { prompts: current.length, samples: step.samples, promptTokens: step.promptTokens, responseTokens: step.responseTokens },
    counters,
    notes,
  });
}

export const oneStepOff: SchedulerEntry = {
  name: 'one-step-off',
  description: "veRL's one-step-off-policy trainer: rollout and trainer on separate pools, batch k + 1 generated while batch k trains, weights synced over NCCL at every step (both pools wait)",
  sources: [`${VERL}/ray_trainer.py, fsdp_workers.py (sync_rollout_weights)`, 'volcengine/verl docs/advance/one_step_off.md'],
  assumptions: oneStepOffParameterSet.assumptions,
  history: [recentIterationsFold],
  run: runOneStepOff,
};
