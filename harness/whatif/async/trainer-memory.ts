import type { MemoryBreakdown, TrainingEngine } from '../../cost/memory.js';
import type { CostModel } from '../../cost/types.js';
import type { Scenario, TaskLayout } from '../../scenario/scenario.js';
import { fsdpShardGroup, isFsdpLayout, type VerlWorkerSettings } from '../../schedulers/baseline/verl-workers.js';
import { IterationContext, type ModelRole } from '../../schedulers/iteration-context.js';
import type { AsyncPools } from '../../schedulers/async/pools.js';
import { trainingTaskMemory } from '../../schedulers/training/memory-check.js';
import { createRng } from '../../util/rng.js';

/**
 * Whether the trainer side of a split holds its training state: per GPU, the bytes of every
 * training task on the trainer's GPUs (schedulers/training/memory-check.ts, the estimate the
 * Megatron scheduler checks), against the same task on the co-located run's GPUs.
 *
 * The rule: a split is refused when the trainer's persistent state per GPU — weights, gradients,
 * optimizer state and the runtime's workspace, what sharding over fewer GPUs makes larger —
 * exceeds the GPU and exceeds the co-located run's. Activations are left out of the test: the
 * estimate holds the largest micro-batch at the length caps, the micro-batch size is the user's
 * to choose, and the co-located run, which ran, shows its activations fitted. So only a split
 * whose trainer shards the state over fewer GPUs than the co-located run (fsdp-size 0: every
 * trainer GPU; Megatron: the distributed optimizer over a smaller DP) is ever refused, with the
 * numbers.
 *
 * FSDP layouts use FSDP (veRL's workers), others Megatron with the distributed optimizer (veRL's
 * megatron default use_distributed_optimizer True). The micro-batch holds the dynamic batch's token
 * budget per GPU (ppo-max-tokens-per-gpu) when one is set, else the layout's sequences at the caps.
 */
const GIB = 1024 ** 3;

export interface TrainerMemory {
  readonly task: 'actorTrain' | 'criticTrain';
  readonly split: MemoryBreakdown;
  readonly colocated: MemoryBreakdown;
}

function engineOf(layout: TaskLayout): TrainingEngine {
  return isFsdpLayout(layout) ? 'fsdp' : 'megatron';
}

function taskMemory(ctx: IterationContext, role: ModelRole, layout: TaskLayout, gpus: number, workers: VerlWorkerSettings): MemoryBreakdown {
  const engine = engineOf(layout);
  const lengths = ctx.scenario.lengths;
  const microBatchTokens = workers.ppoMaxTokensPerGpu > 0 ? workers.ppoMaxTokensPerGpu : layout.microBatchSamples * (lengths.maxPromptTokens + lengths.maxResponseTokens);
  return trainingTaskMemory(ctx, role, layout, {
    engine,
    paramOffload: workers.paramOffload,
    optimizerOffload: workers.optimizerOffload,
    microBatchTokens,
    ...(engine === 'fsdp' ? { shardGroup: fsdpShardGroup(workers, gpus) } : { distributedOptimizer: true }),
  });
}

/** The training tasks of the trainer pool, each at the split and on the co-located run's layout. */
export function trainerMemory(scenario: Scenario, cost: CostModel, pools: AsyncPools, workers: VerlWorkerSettings): TrainerMemory[] {
  const ctx = new IterationContext('whatif-async', scenario, { iteration: 0, groups: [] }, cost, createRng(0));
  const colocatedGpus = scenario.cluster.nodes * scenario.cluster.gpusPerNode;
  const layouts = scenario.layout!;
  const out: TrainerMemory[] = [
    { task: 'actorTrain', split: taskMemory(ctx, 'actor', pools.actorTrain, pools.trainer.gpus, workers), colocated: taskMemory(ctx, 'actor', layouts.actorTrain, colocatedGpus, workers) },
  ];
  if (pools.criticTrain && layouts.criticTrain) {
    out.push({ task: 'criticTrain', split: taskMemory(ctx, 'critic', pools.criticTrain, pools.trainer.gpus, workers), colocated: taskMemory(ctx, 'critic', layouts.criticTrain, colocatedGpus, workers) });
  }
  return out;
}

const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;

/** Weights, gradients, optimizer state and runtime workspace per GPU: what must fit whatever the micro-batch. */
export function stateBytes(memory: MemoryBreakdown): number {
  return memory.weightBytes + memory.gradientBytes + memory.optimizerBytes + memory.runtimeBytes;
}

/** Why the trainer cannot hold its state (the first task that does not fit, with the numbers), or undefined. */
export function trainerMemoryProblem(tasks: readonly TrainerMemory[], trainerGpus: number): string | undefined {
  for (const { task, split, colocated } of tasks) {
    const state = stateBytes(split);
    if (state <= split.availableBytes || state <= stateBytes(colocated)) continue;
    return `${task} on ${trainerGpus} trainer GPUs holds ${gib(state)} of training state per GPU (weights ${gib(split.weightBytes)}, gradients ${gib(split.gradientBytes)}, optimizer ${gib(split.optimizerBytes)}, runtime ${gib(split.runtimeBytes)}) before any activation; the GPU has ${gib(split.availableBytes)} (the co-located run: ${gib(stateBytes(colocated))})`;
  }
  return undefined;
}
