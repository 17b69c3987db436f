import type { ScenarioLayouts, TaskLayout } from '../../experiments/scenario.js';
import { SchedulerParameters } from '../assumptions.js';
import { IterationContext } from '../iteration-context.js';
import { continuousGenerationPhase, cpuRewardPhase, forwardPhase, overheadPhase, scenarioEngine, trainPhase, type Phase } from '../phases.js';
import type { SchedulerAssumption, SchedulerEntry } from '../types.js';
import { reshardS } from '../weight-sync.js';

export const verlAssumptions: readonly SchedulerAssumption[] = [
  {
    name: 'admission-watermark',
    value: 0.01,
    unit: 'fraction of KV capacity',
    why: "vLLM's default block watermark: admission keeps this share of the KV cache free",
    range: [0, 0.2],
  },
  {
    name: 'balance-batch',
    value: true,
    unit: 'boolean',
    why: 'veRL 0.3 default balance_batch=True: DP ranks get equal counts with balanced token sums (reference §5.3)',
  },
  {
    name: 'fsdp-communication-overlap',
    value: 0,
    unit: 'fraction',
    why: "share of FSDP's parameter all-gather / gradient reduce-scatter hidden behind compute; not measured for this setup, 0 is the pessimistic end",
    range: [0, 1],
  },
];

function layoutOrDefault(layouts: ScenarioLayouts, name: keyof ScenarioLayouts, fallback: TaskLayout): TaskLayout {
  return layouts[name] ?? fallback;
}

/**
 * veRL 0.3 (HybridFlow), the RLHFless baseline: every role on one co-located GPU pool, calls
 * strictly one after another in veRL's order — (weight sync into vLLM) generate, reward, old
 * log-prob, ref, values, update critic, update actor (reference §5.3). Generation runs on the
 * scenario's fixed number of vLLM instances (3 decode actors in the RLHFless testbed), each DP
 * rank continuous-batching its contiguous shard with a barrier at the end. FSDP workers (TP = PP
 * = 1 layouts) train ZeRO-3 style; Megatron layouts train with 1F1B.
 */
export function runVerl(...args: Parameters<SchedulerEntry['run']>) {
  const [scenario, iteration, cost, rng] = args;
  const p = SchedulerParameters.fromScenario('verl', verlAssumptions, scenario);
  const ctx = new IterationContext('verl', scenario, iteration, cost, rng);
  const all = ctx.allocator.allocate('cluster', ctx.totalGpus, 0);
  const gen = scenario.generation;

  // Weight sync: gather the FSDP state dict, load it into vLLM (inside veRL's `gen` timing).
  const actorTrain = scenario.layout?.actorTrain;
  let clock = 0;
  if (actorTrain && scenario.scope === 'iteration') {
    const trainGpus = actorTrain.tp * actorTrain.pp * actorTrain.dp;
    const syncS = reshardS(cost, ctx.weightBytes('actor'), { train: actorTrain, generation: { tp: gen.tp, pp: 1 } }, 'gather-all', ctx.crossNode(0, trainGpus) ? 'other-node' : 'same-node');
    clock = overheadPhase(ctx, { name: 'cluster', firstGpu: 0, gpus: trainGpus }, { task: 'weight-sync', stage: 'weight-sync', durationS: syncS, readyS: 0, model: scenario.models.actor }).endS;
  }
  const generated = continuousGenerationPhase(ctx, all, {
    tp: gen.tp,
    instances: gen.instances,
    readyS: clock,
    promptSharing: gen.promptSharing,
    assignment: 'contiguous',
    engine: scenarioEngine(ctx, p.number('admission-watermark')),
  });
  if (scenario.scope === 'generation' || !scenario.layout) return ctx.finish();
  const layouts = scenario.layout;
  const balance = p.boolean('balance-batch');
  const overlap = p.number('fsdp-communication-overlap');
  clock = generated.endS;
  const step = (phase: Phase) => {
    clock = phase.endS;
  };
  if (layouts.reward && ctx.hasModel('reward')) step(forwardPhase(ctx, all, { task: 'reward', role: 'reward', layout: layouts.reward, readyS: clock, balance }));
  else step(cpuRewardPhase(ctx, clock));
  step(forwardPhase(ctx, all, { task: 'old_log_prob', role: 'actor', layout: layoutOrDefault(layouts, 'actorInference', layouts.actorTrain), readyS: clock, balance }));
  step(forwardPhase(ctx, all, { task: 'ref', role: 'ref', layout: layouts.ref, readyS: clock, balance }));
  const ppo = scenario.algorithm.kind === 'ppo' && layouts.criticInference && layouts.criticTrain;
  if (ppo) step(forwardPhase(ctx, all, { task: 'values', role: 'critic', layout: layouts.criticInference!, readyS: clock, balance }));
  const samplesPerMiniBatch = ctx.samplesPerMiniBatch();
  const order = ctx.shuffledSampleIds();
  const mode = (layout: TaskLayout) => (layout.tp === 1 && layout.pp === 1 ? 'sharded' : 'pipeline');
  if (ppo) {
    step(trainPhase(ctx, all, { task: 'update_critic', role: 'critic', layout: layouts.criticTrain!, readyS: clock, mode: mode(layouts.criticTrain!), balance, samplesPerMiniBatch, communicationOverlap: overlap, sampleOrder: order }));
  }
  step(trainPhase(ctx, all, { task: 'update_actor', role: 'actor', layout: layouts.actorTrain, readyS: clock, mode: mode(layouts.actorTrain), balance, samplesPerMiniBatch, communicationOverlap: overlap, sampleOrder: order }));
  return ctx.finish();
}

export const verl: SchedulerEntry = {
  name: 'verl',
  description: 'veRL 0.3 co-located hybrid engine: one GPU pool, calls in sequence, vLLM generation on a fixed number of instances, weight resync every step',
  sources: ['reference/hardware-and-models.md §5.3', 'papers/rlhfless.md §4', 'HybridFlow, arXiv 2409.19256'],
  assumptions: verlAssumptions,
  run: runVerl,
};
