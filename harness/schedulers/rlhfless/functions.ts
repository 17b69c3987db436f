import type { TaskLayout } from '../../scenario/scenario.js';
import type { PoolRef } from '../../sim/types.js';
import { verlParameters } from '../baseline/verl.js';
import { verlForwardPhase, verlTrainPhase, verlWorkerSettings } from '../baseline/verl-workers.js';
import type { IterationContext, ModelRole } from '../iteration-context.js';
import { cpuRewardPhase, type Phase } from '../phases.js';
import { EXEC_COUNTER_PREFIX, invocationTiming, type PrewarmHistory } from './prewarm.js';

/**
 * The preparation and learning functions of a serverless step (RLHFless Fig. 5: Reward, Ref,
 * Value, Learner, Critic). They run the same stage models, layouts and order as the veRL baseline
 * (reward, old log-prob, ref, values, critic update, actor update) [X: the paper does not say
 * whether they run in parallel], so the comparison isolates what serverless execution changes:
 * each function holds its GPUs only from its allocation (pre-warm or on-demand start, model load)
 * to its end, and a rule-based reward holds none.
 */
export interface FunctionEnvironment {
  readonly ctx: IterationContext;
  /** When each GPU was last released (the generation's decode actors). */
  readonly gpuFreeAtS: Float64Array;
  readonly prewarm: PrewarmHistory;
  readonly coldStartS: number;
  /** Negative: derived from the cost model's host link. */
  readonly modelLoadS: number;
  readonly prewarmBufferS: number;
}

const layoutGpus = (layout: Pick<TaskLayout, 'tp' | 'pp' | 'dp'>) => layout.tp * layout.pp * layout.dp;

/** Weights onto every replica (inference) or weights + fp32 master/Adam state sharded over the GPUs (training: 16 B/param, reference §4) [X]. */
function derivedLoadS(ctx: IterationContext, role: ModelRole, layout: TaskLayout, kind: 'forward' | 'train', sharded: boolean): number {
  const weights = ctx.weightBytes(role);
  const bytesPerWeightByte = 16 / ctx.model(role).bytesPerParameter;
  const bytes = kind === 'forward' ? weights * layout.dp : weights * bytesPerWeightByte * (sharded ? 1 : layout.dp);
  return ctx.cost.hostToGpuS(bytes, layoutGpus(layout));
}

interface Invoked {
  readonly pool: PoolRef;
  readonly runStartS: number;
}

/** The function that ran before (pre-warming predicts the next need from its start and shortest execution). */
interface Predecessor {
  readonly name: string;
  readonly startS: number;
}

function invoke(env: FunctionEnvironment, name: string, gpus: number, neededAtS: number, loadS: number, model: string | undefined, after: Predecessor): Invoked {
  const { ctx } = env;
  let freeS = 0;
  for (let gpu = 0; gpu < gpus; gpu++) freeS = Math.max(freeS, env.gpuFreeAtS[gpu]!);
  const predictedNeedS = env.prewarm.predictedNeedAfterS(after.name, after.startS, env.prewarmBufferS);
  const timing = invocationTiming({ neededAtS, gpusFreeAtS: freeS, coldStartS: env.coldStartS, loadS, predictedNeedS });
  const pool = ctx.allocator.allocate(name, gpus, timing.allocateS, { firstGpu: 0 });
  if (timing.loadEndS > timing.loadStartS) ctx.timeline.record(pool, { task: `load-${name}`, stage: 'model-load', ...(model ? { model } : {}) }, timing.loadStartS, timing.loadEndS);
  if (predictedNeedS === undefined && env.coldStartS > 0) ctx.count('cold_starts');
  ctx.count('prewarm_wait_s', timing.runStartS - neededAtS);
  return { pool, runStartS: timing.runStartS };
}

function finishFunction(env: FunctionEnvironment, pool: PoolRef, endS: number): void {
  env.ctx.allocator.release(pool.name, endS);
  for (let gpu = pool.firstGpu; gpu < pool.firstGpu + pool.gpus; gpu++) env.gpuFreeAtS[gpu] = endS;
}

/** Runs preparation and learning from `readyS` (the end of generation); returns the step's end. */
export function runPreparationAndLearning(env: FunctionEnvironment, readyS: number): number {
  const { ctx } = env;
  const { scenario } = ctx;
  const layouts = scenario.layout!;
  // The functions run veRL's workers (single-controller dispatch, FSDP), as the baseline does.
  const workers = verlWorkerSettings(verlParameters.resolve(scenario));
  const loadOf = (role: ModelRole, layout: TaskLayout, kind: 'forward' | 'train', sharded: boolean) => (env.modelLoadS >= 0 ? env.modelLoadS : derivedLoadS(ctx, role, layout, kind, sharded));
  let clock = readyS;
  let after: Predecessor = { name: 'generation', startS: 0 };
  const executed = (name: string, startS: number, endS: number) => {
    ctx.counters[`${EXEC_COUNTER_PREFIX}${name}`] = endS - startS;
    after = { name, startS };
    clock = endS;
  };

  const forward = (task: string, role: ModelRole, layout: TaskLayout) => {
    const invoked = invoke(env, task, layoutGpus(layout), clock, loadOf(role, layout, 'forward', false), scenario.models[role], after);
    const phase: Phase = verlForwardPhase(ctx, invoked.pool, workers, { task, role, layout, readyS: invoked.runStartS });
    finishFunction(env, invoked.pool, phase.endS);
    executed(task, phase.startS, phase.endS);
  };
  const samplesPerMiniBatch = ctx.samplesPerMiniBatch();
  const order = ctx.shuffledSampleIds();
  const train = (task: string, role: ModelRole, layout: TaskLayout) => {
    const mode = layout.tp === 1 && layout.pp === 1 ? 'sharded' : 'pipeline';
    const gpus = mode === 'sharded' ? layout.dp : layoutGpus(layout);
    const invoked = invoke(env, task, gpus, clock, loadOf(role, layout, 'train', mode === 'sharded'), scenario.models[role], after);
    const phase = verlTrainPhase(ctx, invoked.pool, workers, { task, role, layout, readyS: invoked.runStartS, samplesPerMiniBatch, sampleOrder: order });
    finishFunction(env, invoked.pool, phase.endS);
    executed(task, phase.startS, phase.endS);
  };

  if (layouts.reward && ctx.hasModel('reward')) forward('reward', 'reward', layouts.reward);
  else {
    const reward = cpuRewardPhase(ctx, clock);
    executed('reward', reward.startS, reward.endS);
  }
  forward('old_log_prob', 'actor', layouts.actorInference ?? layouts.actorTrain);
  forward('ref', 'ref', layouts.ref);
  const ppo = scenario.algorithm.kind === 'ppo' && layouts.criticInference !== undefined && layouts.criticTrain !== undefined;
  if (ppo) forward('values', 'critic', layouts.criticInference!);
  if (ppo) train('update_critic', 'critic', layouts.criticTrain!);
  train('update_actor', 'actor', layouts.actorTrain);
  return clock;
}
