import { describe, expect, it } from 'vitest';
import { prepareExperiment } from '../../../harness/run/experiment.js';
import { fullyAsyncParameterSet } from '../../../harness/schedulers/async/fully-async.js';
import { asyncPools } from '../../../harness/schedulers/async/pools.js';
import { verlWorkerSettings } from '../../../harness/schedulers/baseline/verl-workers.js';
import { stateBytes, trainerMemory, trainerMemoryProblem } from '../../../harness/whatif/async/trainer-memory.js';
import { testScenario } from '../../schedulers/fixtures/scenario.js';

/**
 * Llama-2 70B trained with FSDP on 16 H100s (80 GiB) co-located; the asynchronous split gives the
 * trainer 8. Its parameters, counted by hand from its config: per layer q and o 8192², k and v
 * 8192 × (8 × 128), gate/up/down 3 × 8192 × 28672, two norms of 8192; 80 layers; embedding and
 * untied head 32000 × 8192 each; the final norm.
 */
const LAYER = 2 * 8192 * 8192 + 2 * 8192 * 1024 + 3 * 8192 * 28672 + 2 * 8192;
const PARAMETERS = 80 * LAYER + 2 * 32000 * 8192 + 8192;

function seventyB(fsdpSize: number) {
  return testScenario({
    kind: 'grpo',
    model: 'llama-2-70b',
    nodes: 2,
    gpusPerNode: 8,
    generationTp: 8,
    instances: 2,
    prompts: 8,
    miniBatchPrompts: 8,
    layout: { tp: 1, pp: 1, dp: 16, microBatchSamples: 1 },
    schedulerParameters: { 'fully-async': { 'fsdp-size': fsdpSize, 'rollout-gpus': 8, 'trainer-gpus': 8 } },
  });
}

async function memoryOf(fsdpSize: number) {
  const scenario = seventyB(fsdpSize);
  const { cost } = await prepareExperiment({ scenario, workload: { kind: 'iterations', iterations: [] }, schedulers: [], seed: 1 });
  const values = fullyAsyncParameterSet.resolve(scenario);
  const pools = asyncPools(scenario, values, (key) => fullyAsyncParameterSet.field(key));
  return trainerMemory(scenario, cost, pools, verlWorkerSettings(values));
}

describe('trainerMemory', () => {
  it("shards the optimizer state over the trainer's GPUs (fsdp-size 0) and over the co-located run's", async () => {
    const [actor] = await memoryOf(0);
    expect(actor!.task).toBe('actorTrain');
    // Adam's m and v, fp32: 8 bytes per parameter over the shard group.
    expect(actor!.split.optimizerBytes).toBeCloseTo((8 * PARAMETERS) / 8, 0);
    expect(actor!.colocated.optimizerBytes).toBeCloseTo((8 * PARAMETERS) / 16, 0);
  });

  it('refuses a trainer that needs more than the GPU and more than the co-located run, with the numbers', async () => {
    const tasks = await memoryOf(0);
    const problem = trainerMemoryProblem(tasks, 8);
    // fp32 parameters and gradients (4 + 4 bytes) and Adam (8) over 8 GPUs: 2 bytes per parameter each of the first two, 1 the last, plus two gathered bf16 layers and the runtime.
    expect(problem).toMatch(/^actorTrain on 8 trainer GPUs holds [\d.]+ GiB of training state per GPU \(weights [\d.]+ GiB, gradients 32\.1 GiB, optimizer 64\.2 GiB, runtime [\d.]+ GiB\) before any activation; the GPU has 80\.0 GiB \(the co-located run: [\d.]+ GiB\)$/);
  });

  it('accepts a trainer that holds no more than the co-located run, even above the GPU by the estimate (the co-located run ran)', async () => {
    // fsdp-size 2: every GPU holds 1/2 of the state on either side.
    const tasks = await memoryOf(2);
    expect(stateBytes(tasks[0]!.split)).toBeCloseTo(stateBytes(tasks[0]!.colocated), 0);
    expect(stateBytes(tasks[0]!.split)).toBeGreaterThan(tasks[0]!.split.availableBytes);
    expect(trainerMemoryProblem(tasks, 8)).toBeUndefined();
  });

  it('leaves activations out of the test: a split whose state fits is accepted whatever the micro-batch', () => {
    const GIB = 1024 ** 3;
    const breakdown = (state: number, activations: number) => ({ weightBytes: state * GIB, gradientBytes: 0, optimizerBytes: 0, activationBytes: activations * GIB, kvCacheBytes: 0, runtimeBytes: 0, neededBytes: (state + activations) * GIB, availableBytes: 80 * GIB, fits: state + activations <= 80 });
    expect(trainerMemoryProblem([{ task: 'actorTrain', split: breakdown(60, 500), colocated: breakdown(30, 500) }], 4)).toBeUndefined();
    expect(trainerMemoryProblem([{ task: 'actorTrain', split: breakdown(81, 0), colocated: breakdown(40, 0) }], 4)).toBe('actorTrain on 4 trainer GPUs holds 81.0 GiB of training state per GPU (weights 81.0 GiB, gradients 0.0 GiB, optimizer 0.0 GiB, runtime 0.0 GiB) before any activation; the GPU has 80.0 GiB (the co-located run: 40.0 GiB)');
  });
});
