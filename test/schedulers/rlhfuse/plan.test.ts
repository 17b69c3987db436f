import { describe, expect, it } from 'vitest';
import { IterationContext } from '../../../harness/schedulers/iteration-context.js';
import { latencyLowerBounds } from '../../../harness/schedulers/rlhfuse/fused-pipeline/lower-bounds.js';
import { buildFusedTrainingModel } from '../../../harness/schedulers/rlhfuse/fused-training.js';
import { evaluateSchedule } from '../../../harness/schedulers/pipeline/evaluate.js';
import type { NodeOrders } from '../../../harness/schedulers/pipeline/types.js';
import { validateSchedule } from '../../../harness/schedulers/pipeline/validate.js';
import { splitBalanced } from '../../../harness/schedulers/partition.js';
import type { Span } from '../../../harness/sim/types.js';
import { createRng } from '../../../harness/util/rng.js';
import { linearCostModel } from '../../sim/fixtures/linear-cost.js';
import { iterationOf, testScenario } from '../fixtures/scenario.js';
import { dapoIterations, defaultTraceIterations, generationInferenceS, run, testbed, withParameters } from './fixtures/testbed.js';

const key = (s: Span) => `${s.task}|${s.stage}|${s.firstGpu}|${s.gpus}|${s.startS}|${s.endS}`;

describe('the ablations differ from RLHFuse-Base only in the fusion they add', async () => {
  const { scenario, cost } = await testbed();
  const [iteration] = dapoIterations({ cap: 2048, prompts: 512, samples: 1, iterations: 1 });
  const base = run('rlhfuse-base', scenario, iteration!, cost);

  it('rlhfuse-intra: the same generation and inference, span for span', () => {
    const intra = run('rlhfuse-intra', scenario, iteration!, cost);
    expect(generationInferenceS(intra)).toBe(generationInferenceS(base));
    expect(intra.spans.filter((s) => s.stage !== 'training').map(key)).toEqual(base.spans.filter((s) => s.stage !== 'training').map(key));
  });

  it('rlhfuse-inter: the same training, mini-batch for mini-batch', () => {
    const inter = run('rlhfuse-inter', scenario, iteration!, cost);
    const durations = (spans: readonly Span[]) => spans.filter((s) => s.stage === 'training').map((s) => `${s.task} ${(s.endS - s.startS).toFixed(9)}`);
    expect(durations(inter.spans)).toEqual(durations(base.spans));
  });
});

describe('inter-stage fusion at a migration', async () => {
  const { scenario, cost } = await testbed();
  const [iteration] = await defaultTraceIterations(scenario);
  const result = run('rlhfuse-inter', withParameters(scenario, 'rlhfuse-inter', { 'migration-threshold': 0.075 }), iteration!, cost);
  const c = result.counters;
  const genTp = scenario.generation.tp;

  it('keeps m survivors for the tail and hands every other instance to inference', () => {
    expect(c.survivor_instances! + c.freed_instances!).toBe(scenario.generation.instances);
    expect(c.survivor_instances).toBeGreaterThanOrEqual(Math.ceil((0.075 * 4096) / c.flat_batch_limit!));
    expect(c.migrated_samples).toBeGreaterThan(0);
    expect(c.kv_migration_bytes).toBeGreaterThan(0);
    expect(c.migrated_without_room).toBe(0);
  });

  it('sends KV only from freed instances, and runs their inference after it, while the survivors still generate', () => {
    const generationEnd = Math.max(...result.spans.filter((s) => s.stage === 'generation').map((s) => s.endS));
    const migrations = result.spans.filter((s) => s.stage === 'kv-migration');
    expect(migrations.length).toBeGreaterThan(0);
    for (const m of migrations) {
      expect(m.gpus).toBe(genTp);
      const later = result.spans.filter((s) => s.firstGpu >= m.firstGpu && s.firstGpu < m.firstGpu + m.gpus && s.startS >= m.endS);
      expect(later.every((s) => s.stage !== 'generation')).toBe(true);
    }
    const firstForward = Math.min(...result.spans.filter((s) => s.stage === 'inference').map((s) => s.startS));
    expect(firstForward).toBeLessThan(generationEnd);
  });

  it('infers every sample once, after it is generated, the tail ones finishing after the trigger included', () => {
    const ledger = result.ledger!;
    const triggerS = c.migration_trigger_s!;
    let tail = 0;
    for (let id = 0; id < ledger.samples; id++) {
      for (const task of ['ref', 'reward', 'values']) {
        expect(ledger.count(task, id)).toBe(1);
        expect(ledger.startS(task, id)).toBeGreaterThanOrEqual(ledger.endS('generate', id) - 1e-9);
      }
      if (ledger.endS('generate', id) > triggerS) tail++;
    }
    expect(tail).toBeGreaterThanOrEqual(Math.floor(0.075 * ledger.samples) - scenario.generation.instances);
  });

  it('reports its overheads as shares of the iteration', () => {
    for (const name of ['kv_migration_share_pct', 'weight_redistribution_share_pct', 'model_load_share_pct', 'overhead_share_pct', 'overhead_wall_share_pct']) expect(c[name]).toBeGreaterThan(0);
    expect(c.overhead_share_pct).toBeCloseTo(c.kv_migration_share_pct! + c.weight_redistribution_share_pct! + c.model_load_share_pct!, 9);
  });
});

describe('intra-stage fusion: the fused training schedule', async () => {
  const { scenario, cost } = await testbed();
  const [iteration] = dapoIterations({ cap: 2048, prompts: 512, samples: 1, iterations: 1 });
  const ctx = new IterationContext('test', scenario, iteration!, cost, createRng(1));
  const model = buildFusedTrainingModel(ctx, 200_000, 3 * 1024 ** 3)!;
  // A real mini-batch: 64 samples, split over the DP groups the way the scheduler splits them.
  const ids = Array.from({ length: 64 }, (_, i) => i * 8);
  const largeGroups = splitBalanced(ids, ctx.sequenceTokens, model.layout.large.dp);
  const smallGroups = splitBalanced(ids, ctx.sequenceTokens, model.layout.small.dp);
  const large = model.load('large', [largeGroups[0]!], ctx.sequenceTokens);
  const smalls = [0, 1].map((k) => model.load('small', [smallGroups[k]!], ctx.sequenceTokens));
  const problem = model.groupProblem(large, smalls, true).problem;
  const schedule = model.scheduleFor(large.share.microBatches, smalls.map((s) => s.share.microBatches))!;

  it('uses cost-model stage times from the layer split (first and last stages differ from the middle)', () => {
    const actor = problem.pipelines[0]!;
    expect(actor.model).toBe('actor');
    expect(actor.stageNodes).toHaveLength(8);
    expect(actor.forwardDurations[7]).toBeGreaterThan(actor.forwardDurations[3]!);
    expect(problem.pipelines.slice(1).map((p) => p.stageNodes)).toEqual([
      [3, 2, 1, 0],
      [7, 6, 5, 4],
    ]);
  });

  it('passes the independent validator at the mini-batch’s own sizes, within the memory cap', () => {
    const report = validateSchedule(problem, schedule.orders as NodeOrders);
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
    const evaluation = evaluateSchedule(problem, schedule.orders as NodeOrders);
    expect(evaluation.feasible && evaluation.makespan).toBeCloseTo(report.makespan, 9);
    expect(report.peakMemory).toBeLessThanOrEqual(model.memoryCapBytes!);
  });

  it('is no shorter than the latency lower bound and shorter than the two models’ 1F1B one after the other', () => {
    const makespan = validateSchedule(problem, schedule.orders as NodeOrders).makespan;
    expect(makespan).toBeGreaterThanOrEqual(latencyLowerBounds(problem).lowerBound - 1e-9);
    const fused = run('rlhfuse-intra', scenario, iteration!, cost);
    expect(fused.counters.training_fused_compute_s).toBeLessThan(fused.counters.training_serial_compute_s!);
  });
});

describe('scenarios RLHFuse has nothing to fuse in', () => {
  const cost = linearCostModel();
  const iteration = iterationOf([
    { prompt: 20, responses: [5, 60, 7, 9] },
    { prompt: 30, responses: [8, 3, 90, 4] },
  ]);

  it('GRPO (no critic): the actor trains alone, with a note', () => {
    const scenario = testScenario({ kind: 'grpo', samplesPerPrompt: 4, nodes: 1, gpusPerNode: 4, instances: 4, maxConcurrentSequences: 8 });
    const result = run('rlhfuse', scenario, iteration, cost);
    expect(result.notes).toContain('intra-stage fusion needs a critic (PPO): the actor trains alone');
    expect(result.spans.filter((s) => s.stage === 'training').every((s) => s.task === 'update_actor')).toBe(true);
  });

  it('a generation-only scenario: generation, with the tail migrated, and nothing else', () => {
    const scenario = testScenario({ kind: 'grpo', samplesPerPrompt: 4, nodes: 1, gpusPerNode: 4, instances: 4, maxConcurrentSequences: 8, scope: 'generation', schedulerParameters: { rlhfuse: { 'migration-threshold': 0.5, 'flat-batch-tolerance': 4 } } });
    const result = run('rlhfuse', scenario, iteration, cost);
    expect(new Set(result.spans.map((s) => s.stage))).toEqual(new Set(['generation', 'kv-migration']));
    expect(result.counters.migrated_samples).toBeGreaterThan(0);
  });
});
