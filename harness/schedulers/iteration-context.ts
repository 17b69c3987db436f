import { resolveModelReference } from '../cost/catalog/model-reference.js';
import type { CostModel, ModelSpec, OutputHead, ReplicaCost, ShardLayout } from '../cost/types.js';
import { totalGpus, type Scenario } from '../scenario/scenario.js';
import { GpuAllocator } from '../sim/gpu-pools.js';
import { SampleLedger } from '../sim/ledger.js';
import { summarizeIteration } from '../sim/metrics.js';
import { Timeline } from '../sim/timeline.js';
import type { IterationResult } from '../sim/types.js';
import type { WorkloadIteration } from '../traces/types.js';
import type { Rng } from '../util/rng.js';
import { splitBalanced, splitEvenly } from './partition.js';
import { buildSampleTable, clippingNotes, sequenceTokens, type SampleTable } from './samples.js';

export type ModelRole = 'actor' | 'critic' | 'ref' | 'reward';

/** The output head of a role's model: vocabulary logits for the policies, one scalar for the critic and the reward model. */
export function outputHead(role: ModelRole): OutputHead {
  return role === 'critic' || role === 'reward' ? 'value' : 'lm';
}

/**
 * Everything one scheduler run of one iteration shares: the samples, the models, replica costs
 * (memoised per run, never globally), the timeline, the GPU allocator, the ledger, counters and
 * notes. RLHFuse and RLHFless build on it the same way the baselines do.
 */
export class IterationContext {
  readonly table: SampleTable;
  readonly sequenceTokens: Int32Array;
  readonly totalGpus: number;
  readonly gpusPerNode: number;
  readonly timeline: Timeline;
  readonly allocator: GpuAllocator;
  readonly ledger: SampleLedger;
  readonly notes: string[] = [];
  readonly counters: Record<string, number> = {};
  /** Mean responses per prompt in this iteration's trace (what the mini-batch size in samples scales by). */
  readonly samplesPerPrompt: number;
  private readonly replicas = new Map<string, ReplicaCost>();
  private readonly modelSpecs = new Map<string, ModelSpec>();
  private readonly shards = new Map<string, readonly (readonly number[])[]>();

  constructor(
    readonly scheduler: string,
    readonly scenario: Scenario,
    readonly iteration: WorkloadIteration,
    readonly cost: CostModel,
    readonly rng: Rng,
  ) {
    this.table = buildSampleTable(iteration.groups, scenario.lengths);
    this.sequenceTokens = sequenceTokens(this.table);
    this.totalGpus = totalGpus(scenario);
    this.gpusPerNode = scenario.cluster.gpusPerNode;
    this.timeline = new Timeline(iteration.iteration, this.totalGpus);
    this.allocator = new GpuAllocator({ nodes: scenario.cluster.nodes, gpusPerNode: scenario.cluster.gpusPerNode });
    this.ledger = new SampleLedger(this.table.count);
    this.samplesPerPrompt = this.table.prompts > 0 ? this.table.count / this.table.prompts : 1;
    this.notes.push(...clippingNotes(this.table, scenario.lengths));
    if (cost.gpu.id !== scenario.cluster.gpu) {
      this.notes.push(`cost model is for GPU '${cost.gpu.id}' but the scenario names '${scenario.cluster.gpu}'`);
    }
    const traceN = Math.round(this.samplesPerPrompt * 100) / 100;
    if (Math.abs(this.samplesPerPrompt - scenario.algorithm.samplesPerPrompt) > 1e-9) {
      this.notes.push(`the trace has ${traceN} responses per prompt; the scenario says ${scenario.algorithm.samplesPerPrompt}: the trace's samples are replayed`);
    }
  }

  model(role: ModelRole): ModelSpec {
    const id = this.scenario.models[role];
    if (id === undefined) throw new Error(`${this.scheduler}: the scenario has no ${role} model`);
    let spec = this.modelSpecs.get(id);
    if (!spec) {
      // A catalog id, or a config.json path the scenario loader has read.
      spec = resolveModelReference(id, this.scenario.modelSpecs, { file: this.scenario.file ?? '(scenario)', field: `models.${role}` });
      this.modelSpecs.set(id, spec);
    }
    return spec;
  }

  hasModel(role: ModelRole): boolean {
    return this.scenario.models[role] !== undefined;
  }

  /** PPO with a critic: values are inferred and the critic trains. */
  hasCriticInference(): boolean {
    const layouts = this.scenario.layout;
    return this.scenario.algorithm.kind === 'ppo' && layouts?.criticInference !== undefined && layouts.criticTrain !== undefined && this.hasModel('critic');
  }

  /** The reward is computed by a rule on the driver's CPU (no reward model). */
  hasCpuReward(): boolean {
    return !(this.scenario.layout?.reward && this.hasModel('reward'));
  }

  /**
   * The cost of one replica of a role's model under a TP × PP layout (memoised for this run). The
   * policy models (actor, ref) end in the LM head and compute log-probabilities over the
   * vocabulary; the critic and the reward model end in a scalar value head.
   */
  replica(role: ModelRole, layout: ShardLayout): ReplicaCost {
    const key = `${role}|${layout.tp}|${layout.pp}|${layout.trainingEngine ?? ''}|${layout.servingEngine ?? ''}`;
    let replica = this.replicas.get(key);
    if (!replica) {
      replica = this.cost.replica(this.model(role), {
        tp: layout.tp,
        pp: layout.pp,
        head: outputHead(role),
        ...(layout.trainingEngine ? { trainingEngine: layout.trainingEngine } : {}),
        ...(layout.servingEngine ? { servingEngine: layout.servingEngine } : {}),
      });
      this.replicas.set(key, replica);
    }
    return replica;
  }

  /** Whole-model weight bytes of a role. */
  weightBytes(role: ModelRole): number {
    const replica = this.replica(role, { tp: 1, pp: 1 });
    return replica.weightBytesPerGpu * replica.gpus;
  }

  /** Samples per PPO mini-batch: the scenario's prompts per mini-batch × this trace's responses per prompt. */
  samplesPerMiniBatch(miniBatchPrompts = this.scenario.batch.miniBatchPrompts): number {
    return Math.max(1, Math.round(miniBatchPrompts * this.samplesPerPrompt));
  }

  /**
   * Every sample split over `dp` data-parallel replicas, evenly or token-balanced; memoised for
   * this run (several forward tasks with the same DP degree share one split).
   */
  dataParallelShards(dp: number, balance: boolean): readonly (readonly number[])[] {
    const key = `${dp}|${balance}`;
    let shards = this.shards.get(key);
    if (!shards) {
      const ids = Array.from({ length: this.table.count }, (_, i) => i);
      shards = balance ? splitBalanced(ids, this.sequenceTokens, dp) : splitEvenly(ids, dp);
      this.shards.set(key, shards);
    }
    return shards;
  }

  /** Sample ids in a seeded random order: PPO draws mini-batches at random from the whole batch. */
  shuffledSampleIds(): number[] {
    const ids = Array.from({ length: this.table.count }, (_, i) => i);
    const rng = this.rng.fork('mini-batch-order');
    for (let i = ids.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = ids[i]!;
      ids[i] = ids[j]!;
      ids[j] = t;
    }
    return ids;
  }

  count(name: string, amount = 1): void {
    this.counters[name] = (this.counters[name] ?? 0) + amount;
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** Whether `gpus` consecutive GPUs from `firstGpu` span nodes. */
  crossNode(firstGpu: number, gpus: number): boolean {
    return Math.floor(firstGpu / this.gpusPerNode) !== Math.floor((firstGpu + gpus - 1) / this.gpusPerNode);
  }

  /** Closes open allocations at the end of the last span and derives the metrics. */
  finish(): IterationResult {
    const endS = this.timeline.endS();
    this.allocator.releaseAll(endS);
    return summarizeIteration({
      scheduler: this.scheduler,
      iteration: this.iteration.iteration,
      prompts: this.table.prompts,
      samples: this.table.count,
      promptTokens: this.table.totalPromptTokens,
      responseTokens: this.table.totalResponseTokens,
      spans: this.timeline.spans(),
      allocations: this.allocator.allocations(endS),
      priceUsdPerGpuHour: this.scenario.cluster.priceUsdPerGpuHour,
      endS,
      counters: this.counters,
      ledger: this.ledger,
      notes: this.notes,
    });
  }
}
