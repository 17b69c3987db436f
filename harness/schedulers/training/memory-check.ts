import { DEFAULT_COST_ASSUMPTIONS, type CostAssumptions } from '../../cost/assumptions.js';
import { assertFits, trainingMemoryPerGpu, type MemoryBreakdown, type RecomputeMode, type TrainingEngine } from '../../cost/memory.js';
import type { CostModel } from '../../cost/types.js';
import type { TaskLayout, TaskLayoutName } from '../../scenario/scenario.js';
import type { IterationContext, ModelRole } from '../iteration-context.js';

/**
 * Memory feasibility of a training task where the scheduler knows its training engine: the bytes
 * one GPU needs (cost/memory.ts) for the task's layout at the scenario's length caps, refused with
 * the numbers (needed vs available GiB per GPU, and what the need is made of) when they do not fit.
 */
export interface TrainingFitOptions {
  readonly engine: TrainingEngine;
  /** Megatron: shard the optimizer state over the data-parallel ranks. */
  readonly distributedOptimizer?: boolean;
  readonly paramOffload?: boolean;
  readonly optimizerOffload?: boolean;
  /** FSDP / ZeRO: GPUs a parameter is sharded over (default: the task's dp). */
  readonly shardGroup?: number;
  /** Default: 'full' when the cost model's activationRecomputation assumption is on, else 'none'. */
  readonly recompute?: RecomputeMode;
  /** Micro-batches per mini-batch of one pipeline (default pp: the most in flight under 1F1B). */
  readonly microBatches?: number;
  /** Tokens of the largest micro-batch (default: microBatchSamples × (max prompt + max response)). */
  readonly microBatchTokens?: number;
}

/** The cost model's named assumptions, when it exposes them (the roofline model does). */
function assumptionsOf(cost: CostModel): CostAssumptions {
  const withAssumptions = cost as CostModel & { readonly assumptions?: CostAssumptions };
  return withAssumptions.assumptions ?? DEFAULT_COST_ASSUMPTIONS;
}

/** Bytes per GPU of a role's training task under `options`. */
export function trainingTaskMemory(ctx: IterationContext, role: ModelRole, layout: TaskLayout, options: TrainingFitOptions): MemoryBreakdown {
  const assumptions = assumptionsOf(ctx.cost);
  const lengths = ctx.scenario.lengths;
  const microBatchTokens = options.microBatchTokens ?? layout.microBatchSamples * (lengths.maxPromptTokens + lengths.maxResponseTokens);
  const recompute = options.recompute ?? (assumptions.activationRecomputation ? 'full' : 'none');
  return trainingMemoryPerGpu(
    ctx.model(role),
    ctx.cost.gpu,
    { tp: layout.tp, pp: layout.pp, dp: layout.dp, ...(layout.ep !== undefined ? { ep: layout.ep } : {}), ...(layout.cp !== undefined ? { cp: layout.cp } : {}), ...(layout.vpp !== undefined ? { vpp: layout.vpp } : {}) },
    {
      engine: options.engine,
      recompute,
      microBatchTokens,
      runtimeOverheadBytes: assumptions.runtimeOverheadBytesPerGpu,
      ...(options.distributedOptimizer !== undefined ? { distributedOptimizer: options.distributedOptimizer } : {}),
      ...(options.paramOffload !== undefined ? { paramOffload: options.paramOffload } : {}),
      ...(options.optimizerOffload !== undefined ? { optimizerOffload: options.optimizerOffload } : {}),
      ...(options.shardGroup !== undefined ? { shardGroup: options.shardGroup } : {}),
      ...(options.microBatches !== undefined ? { microBatches: options.microBatches } : {}),
    },
  );
}

const ENGINE_NAMES: Readonly<Record<TrainingEngine, string>> = { megatron: 'Megatron', zero1: 'ZeRO-1', zero2: 'ZeRO-2', zero3: 'ZeRO-3', fsdp: 'FSDP' };

/** Refuses (InputError at `layout.<name>`, naming needed and available GiB per GPU) a training task that cannot fit. */
export function assertTrainingFits(ctx: IterationContext, role: ModelRole, name: TaskLayoutName | string, layout: TaskLayout, options: TrainingFitOptions): MemoryBreakdown {
  const memory = trainingTaskMemory(ctx, role, layout, options);
  const shape = `TP ${layout.tp} × PP ${layout.pp}${(layout.cp ?? 1) > 1 ? ` × CP ${layout.cp}` : ''} × DP ${layout.dp}${(layout.ep ?? 1) > 1 ? `, EP ${layout.ep}` : ''}`;
  assertFits(
    memory,
    { file: ctx.scenario.file ?? '(scenario)', field: `layout.${name}`, value: `${layout.tp}×${layout.pp}×${layout.dp}` },
    `${ctx.scheduler}: ${ctx.scenario.models[role]} trained with ${ENGINE_NAMES[options.engine]} (${shape}, ${layout.microBatchSamples} sequences per micro-batch at the length caps) on ${ctx.cost.gpu.id}`,
  );
  return memory;
}
