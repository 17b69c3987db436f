import { IterationContext } from '../iteration-context.js';
import { cpuRewardPhase, forwardPhase, overheadPhase, scenarioEngine, staticGenerationPhase, trainPhase, type Phase } from '../phases.js';
import { booleanParameter, numberParameter, schedulerParameters, ZERO3_COMMUNICATION_OVERLAP } from '../parameters/index.js';
import type { SchedulerEntry } from '../types.js';
import { reshardS } from '../weight-sync.js';

const deepspeedChatParameters = schedulerParameters('deepspeed-chat', {
  miniBatchPrompts: numberParameter({
    name: 'mini-batch-prompts',
    default: 0,
    unit: 'prompts (0 = the scenario’s)',
    why: 'DeepSpeed-Chat could not run mini-batch 64 on the RLHFuse testbed and used 256 (papers/rlhfuse.md §6); a scenario sets it',
    range: [0, 1_000_000],
    integer: true,
  }),
  hybridEngineTp: numberParameter({
    name: 'hybrid-engine-tp',
    default: 0,
    unit: 'GPUs (0 = the scenario’s generation TP)',
    why: "the hybrid engine's inference_tp_size is not given (RLHFuse §9 item 11)",
    range: [0, 64],
    integer: true,
  }),
  generationBatchPerGpu: numberParameter({
    name: 'generation-batch-per-gpu',
    default: 16,
    unit: 'prompts per GPU',
    why: "DeepSpeed-Chat's example scripts use per_device_generation_batch_size 16; a TP group generates for all its GPUs' prompts at once",
    range: [1, 1024],
    integer: true,
  }),
  padPrompts: booleanParameter({
    name: 'pad-prompts',
    default: true,
    why: 'HF generate left-pads a batch to its longest prompt, and decoding continues until the longest response ends',
  }),
  zero3CommunicationOverlap: ZERO3_COMMUNICATION_OVERLAP,
});

/**
 * DeepSpeed-Chat: every model on every GPU with ZeRO-3 data parallelism; the hybrid engine
 * gathers the actor into TP groups for generation (gather-all reshard, (tpd−1)/(tpd)·M per GPU),
 * generates in static batches that wait for their longest sample, then runs ref, reward and
 * critic forwards and trains actor then critic, all ZeRO-3 over all GPUs.
 */
export function runDeepspeedChat(...args: Parameters<SchedulerEntry['run']>) {
  const [scenario, iteration, cost, rng] = args;
  const p = deepspeedChatParameters.resolve(scenario);
  const ctx = new IterationContext('deepspeed-chat', scenario, iteration, cost, rng);
  const all = ctx.allocator.allocate('cluster', ctx.totalGpus, 0);
  const tp = p.hybridEngineTp || scenario.generation.tp;
  const instances = Math.floor(ctx.totalGpus / tp);
  const crossNode = ctx.crossNode(0, ctx.totalGpus);
  let clock = 0;
  const step = (phase: Phase) => {
    clock = phase.endS;
  };
  if (scenario.scope === 'iteration') {
    const syncS = reshardS(cost, ctx.weightBytes('actor'), { train: { tp: 1, pp: 1, dp: ctx.totalGpus }, generation: { tp, pp: 1 } }, 'gather-all', crossNode ? 'other-node' : 'same-node');
    step(overheadPhase(ctx, all, { task: 'weight-sync', stage: 'weight-sync', durationS: syncS, readyS: 0, model: scenario.models.actor }));
  }
  step(
    staticGenerationPhase(ctx, all, {
      tp,
      instances,
      readyS: clock,
      batchSequences: p.generationBatchPerGpu * tp,
      padPromptsToLongest: p.padPrompts,
      engine: scenarioEngine(ctx, 0, 'static'),
    }),
  );
  if (scenario.scope === 'generation' || !scenario.layout) return ctx.finish();
  const layouts = scenario.layout;
  // ZeRO-3: each GPU is a data-parallel rank that all-gathers the parameters for every forward batch.
  const zero3 = (role: 'actor' | 'critic' | 'ref' | 'reward', microBatchSamples: number) => ({
    layout: { tp: 1, pp: 1, dp: ctx.totalGpus, microBatchSamples },
    perBatchOverheadS: 0.5 * cost.allReduceS(ctx.weightBytes(role), ctx.totalGpus, crossNode),
  });
  const overlap = p.zero3CommunicationOverlap;
  const forward = (task: string, role: 'actor' | 'critic' | 'ref' | 'reward', microBatchSamples: number) => {
    const z = zero3(role, microBatchSamples);
    step(forwardPhase(ctx, all, { task, role, layout: z.layout, readyS: clock, balance: false, perBatchOverheadS: z.perBatchOverheadS, communicationOverlap: overlap }));
  };
  forward('ref', 'ref', layouts.ref.microBatchSamples);
  if (layouts.reward && ctx.hasModel('reward')) forward('reward', 'reward', layouts.reward.microBatchSamples);
  else step(cpuRewardPhase(ctx, clock));
  const ppo = scenario.algorithm.kind === 'ppo' && layouts.criticTrain && layouts.criticInference;
  if (ppo) forward('values', 'critic', layouts.criticInference!.microBatchSamples);
  const miniBatchPrompts = p.miniBatchPrompts || scenario.batch.miniBatchPrompts;
  if (miniBatchPrompts !== scenario.batch.miniBatchPrompts) ctx.note(`deepspeed-chat trains with mini-batch ${miniBatchPrompts} prompts (scenario: ${scenario.batch.miniBatchPrompts})`);
  const samplesPerMiniBatch = ctx.samplesPerMiniBatch(miniBatchPrompts);
  const order = ctx.shuffledSampleIds();
  const train = (task: string, role: 'actor' | 'critic', microBatchSamples: number) =>
    step(
      trainPhase(ctx, all, {
        task,
        role,
        layout: { tp: 1, pp: 1, dp: ctx.totalGpus, microBatchSamples },
        readyS: clock,
        mode: 'sharded',
        balance: false,
        samplesPerMiniBatch,
        communicationOverlap: overlap,
        sampleOrder: order,
      }),
    );
  train('update_actor', 'actor', layouts.actorTrain.microBatchSamples);
  if (ppo) train('update_critic', 'critic', layouts.criticTrain!.microBatchSamples);
  return ctx.finish();
}

export const deepspeedChat: SchedulerEntry = {
  name: 'deepspeed-chat',
  description: 'DeepSpeed-Chat: all models on all GPUs with ZeRO-3, hybrid-engine TP generation in static batches, stages in sequence',
  sources: ['papers/rlhfuse.md §6', 'reference/hardware-and-models.md §5.2 (transition volume)'],
  assumptions: deepspeedChatParameters.assumptions,
  run: runDeepspeedChat,
};
