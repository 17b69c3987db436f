import type { ScenarioLayouts, TaskLayout } from '../../scenario/scenario.js';
import { IterationContext, type ModelRole } from '../iteration-context.js';
import { continuousGenerationPhase, cpuRewardPhase, scenarioEngine, type Phase } from '../phases.js';
import { ADMISSION_WATERMARK, REFERENCE_POLICY, schedulerParameters } from '../parameters/index.js';
import type { SchedulerEntry } from '../types.js';
import { verlForwardPhase, verlRolloutEndPhase, verlRolloutSwitchPhase, verlTrainPhase, verlWorkerParameters, verlWorkerSettings } from './verl-workers.js';

/** veRL's parameters; RLHFless's functions (built on veRL) read the workers' from here too. */
export const verlParameters = schedulerParameters('verl', {
  admissionWatermark: ADMISSION_WATERMARK,
  referencePolicy: REFERENCE_POLICY,
  ...verlWorkerParameters,
});

function layoutOrDefault(layouts: ScenarioLayouts, name: keyof ScenarioLayouts, fallback: TaskLayout): TaskLayout {
  return layouts[name] ?? fallback;
}

/**
 * veRL 0.3 (HybridFlow), the RLHFless baseline: every role on one co-located GPU pool, calls
 * strictly one after another in veRL's order — (rollout switch: weight sync into a sleeping vLLM)
 * generate (vLLM back to sleep), reward, old log-prob, ref, values, update critic, update actor
 * (reference §5.3). Generation runs on the scenario's fixed number of vLLM instances (3 decode
 * actors in the RLHFless testbed), each DP rank continuous-batching its contiguous shard with a
 * barrier at the end. Every call goes through veRL's single controller and FSDP workers
 * (verl-workers.ts): driver dispatch, optional host offload, FSDP all-gathers in forwards and
 * training; Megatron layouts train with 1F1B.
 */
export function runVerl(...args: Parameters<SchedulerEntry['run']>) {
  const [scenario, iteration, cost, rng] = args;
  const p = verlParameters.resolve(scenario);
  const workers = verlWorkerSettings(p);
  const ctx = new IterationContext('verl', scenario, iteration, cost, rng);
  const all = ctx.allocator.allocate('cluster', ctx.totalGpus, 0);
  const gen = scenario.generation;
  const generationGpus = gen.tp * gen.instances;

  const actorTrain = scenario.layout?.actorTrain;
  let clock = 0;
  if (actorTrain && scenario.scope === 'iteration') {
    clock = verlRolloutSwitchPhase(ctx, workers, { actorTrain, generationTp: gen.tp, generationGpus, readyS: 0 }).endS;
  }
  const generated = continuousGenerationPhase(ctx, all, {
    tp: gen.tp,
    instances: gen.instances,
    readyS: clock,
    promptSharing: gen.promptSharing,
    assignment: 'contiguous',
    engine: scenarioEngine(ctx, p.admissionWatermark),
  });
  if (scenario.scope === 'generation' || !scenario.layout) return ctx.finish();
  const layouts = scenario.layout;
  clock = verlRolloutEndPhase(ctx, workers, gen.tp, generationGpus, generated.endS).endS;
  const step = (phase: Phase) => {
    clock = phase.endS;
  };
  const forward = (task: string, role: ModelRole, layout: TaskLayout) => step(verlForwardPhase(ctx, all, workers, { task, role, layout, readyS: clock }));
  if (layouts.reward && ctx.hasModel('reward')) forward('reward', 'reward', layouts.reward);
  else step(cpuRewardPhase(ctx, clock));
  forward('old_log_prob', 'actor', layoutOrDefault(layouts, 'actorInference', layouts.actorTrain));
  if (p.referencePolicy) forward('ref', 'ref', layouts.ref);
  const ppo = scenario.algorithm.kind === 'ppo' && layouts.criticInference && layouts.criticTrain;
  if (ppo) forward('values', 'critic', layouts.criticInference!);
  const samplesPerMiniBatch = ctx.samplesPerMiniBatch();
  const sampleOrder = ctx.shuffledSampleIds();
  const train = (task: string, role: ModelRole, layout: TaskLayout) => step(verlTrainPhase(ctx, all, workers, { task, role, layout, readyS: clock, samplesPerMiniBatch, sampleOrder }));
  if (ppo) train('update_critic', 'critic', layouts.criticTrain!);
  train('update_actor', 'actor', layouts.actorTrain);
  return ctx.finish();
}

export const verl: SchedulerEntry = {
  name: 'verl',
  description: 'veRL 0.3 co-located hybrid engine: one GPU pool, calls in sequence through the single controller, vLLM generation on a fixed number of instances (asleep between rollouts), FSDP workers, weight resync every step',
  sources: ['reference/hardware-and-models.md §5.3', 'papers/rlhfless.md §4', 'HybridFlow, arXiv 2409.19256', 'veRL fsdp_workers.py / dp_actor.py / protocol.py (FSDP workers, dynamic batch size, Ulysses, offload, DataProto transfer)'],
  assumptions: verlParameters.assumptions,
  run: runVerl,
};
