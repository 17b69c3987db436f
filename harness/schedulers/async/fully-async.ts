import type { Span } from '../../sim/types.js';
import { scenarioSharesPrompts } from '../../scenario/serving-engine.js';
import { verlWorkerParameters, verlWorkerSettings } from '../baseline/verl-workers.js';
import { IterationContext } from '../iteration-context.js';
import { ADMISSION_WATERMARK, REFERENCE_POLICY, schedulerParameters } from '../parameters/index.js';
import { engineLimits, scenarioEngine } from '../phases.js';
import { sumCounters } from '../generation/run.js';
import type { SchedulerEntry } from '../types.js';
import { windowResult } from './async-result.js';
import { asyncWindow, recentIterationsFold } from './async-window.js';
import { fullyAsyncParameters, poolParameters, rolloutLogProbs, warmUpParameter, weightSyncParameter } from './parameters.js';
import { asyncPools } from './pools.js';
import { Rollouter, type InterruptedPrompt } from './rollouter.js';
import { trainerStep } from './trainer-step.js';
import { asyncWeightSyncS } from './weight-sync.js';

const VERL = 'volcengine/verl b178a3cd verl/experimental/fully_async_policy';

export const fullyAsyncParameterSet = schedulerParameters('fully-async', {
  ...poolParameters,
  ...weightSyncParameter,
  ...fullyAsyncParameters,
  useRolloutLogProbs: rolloutLogProbs(true, `${VERL}: async_training.use_rollout_log_probs default True — the trainer trains on the log-probs the rollout computed and runs no old-log-prob forward (compute_prox_log_prob default False)`),
  referencePolicy: REFERENCE_POLICY,
  warmUpIterations: warmUpParameter,
  admissionWatermark: ADMISSION_WATERMARK,
  ...verlWorkerParameters,
});

/** A prompt complete in the message queue: the version it finished under and the one it started under. */
interface QueuedSample {
  readonly group: number;
  readonly version: number;
  readonly versionStart: number;
}

/**
 * veRL's fully asynchronous policy (verl/experimental/fully_async_policy, volcengine/verl b178a3cd):
 * a rollouter and a trainer on separate GPU pools exchanging prompts (each with its n responses)
 * through a message queue.
 *
 * Rollouter (fully_async_rollouter.py): feeds prompts one by one, at most `prompts-in-flight-per-
 * server` × servers in flight (max_concurrent_samples), each response its own request to the
 * servers (rollouter.ts); a prompt enters the queue when its last response ends, tagged with the
 * current parameter version. It starts no new prompt once it has started max_required_samples =
 * (1 + staleness) × trigger × require_batches × mini-batch prompts in this version (counting what
 * was in flight, cancelled or queued at the last sync: update_param_version), until the next sync.
 * Trainer (fully_async_trainer.py): takes require_batches × mini-batch prompts from the queue
 * (waiting, idle, when there are fewer: veRL's `gen` timer), trains on them (trainer-step.ts), and
 * after every trigger-parameter-sync-step updates syncs the weights (param_sync.py): the rollouter
 * pauses — with partial rollout its in-flight responses are cancelled at the next step boundary
 * and resumed under the new weights (prompt + generated prefilled again, the KV cache cleared),
 * without it the sync waits until every in-flight prompt has finished — the weights are broadcast
 * (weight-sync.ts), both pools wait, then both go on.
 *
 * One call simulates a window of the replay around this iteration (async-window.ts) and reports
 * the measured part: the trainer's time for this iteration's prompts, the policy lag of every
 * trained sample (versions between the one it finished under and the trainer's), the share of
 * responses interrupted, each pool's idle share and the trained tokens per second.
 */
export function runFullyAsync(...args: Parameters<SchedulerEntry['run']>) {
  const [scenario, iteration, cost, rng, history] = args;
  const p = fullyAsyncParameterSet.resolve(scenario);
  const workers = verlWorkerSettings(p);
  const pools = asyncPools(scenario, p, (key) => fullyAsyncParameterSet.field(key));
  const miniBatchPrompts = scenario.batch.miniBatchPrompts;
  const required = p.requireBatches * miniBatchPrompts;
  const versionPrompts = required * p.triggerParameterSyncStep;
  // int() in veRL: the budget of prompts started per version, and the prompts in flight at once.
  const maxRequired = Math.floor(required * (1 + p.stalenessThreshold) * p.triggerParameterSyncStep);
  const maxInFlight = Math.min(pools.servers * p.promptsInFlightPerServer, maxRequired);
  const window = asyncWindow(iteration, history, p.warmUpIterations, 2 * maxRequired + maxInFlight + versionPrompts);
  const ctx = new IterationContext('fully-async', scenario, window.combined, cost, rng);
  const table = ctx.table;
  const limits = engineLimits(ctx, scenario.generation.tp, scenarioEngine(ctx, p.admissionWatermark));
  const rollouter = new Rollouter(table, ctx.replica('actor', { tp: scenario.generation.tp, pp: 1 }), limits, pools.servers, 0);
  const sync = asyncWeightSyncS(ctx, pools, workers, p.weightSync);
  const work = { workers, referencePolicy: p.referencePolicy, recomputeOldLogProb: !p.useRolloutLogProbs };
  if (scenarioSharesPrompts(scenario) || scenario.generation.promptSharing) {
    ctx.note('fully-async: every response is its own request to the servers it is dealt to (veRL agent loops); prompt sharing between the n responses of a prompt is not simulated');
  }

  const spans: Span[] = [];
  const queue: QueuedSample[] = [];
  const cancelled: InterruptedPrompt[] = [];
  const versionStartOf = new Int32Array(table.prompts);
  const inFlight = new Set<number>();
  let nextPrompt = 0;
  let version = 0;
  let startedThisVersion = 0;
  let paused = false;

  const submitAt = (atS: number) => {
    while (!paused && inFlight.size < maxInFlight && startedThisVersion < maxRequired) {
      const resumed = cancelled.shift();
      if (resumed) {
        rollouter.resume(resumed, atS);
        inFlight.add(resumed.group);
        continue;
      }
      if (nextPrompt >= table.prompts) return;
      const group = nextPrompt++;
      versionStartOf[group] = version;
      rollouter.submit(group, atS);
      inFlight.add(group);
      startedThisVersion++;
    }
  };
  const collect = () => {
    for (const group of rollouter.takeCompleted()) {
      inFlight.delete(group);
      queue.push({ group, version, versionStart: versionStartOf[group]! });
    }
  };
  /** Runs generation until `untilS` (Infinity: until the queue holds `need` prompts); returns the time reached. */
  const generateUntil = (untilS: number, need: number): number => {
    for (;;) {
      if (queue.length >= need) return rollouter.nowS;
      const completed = rollouter.runToCompletion(untilS);
      if (!completed) {
        if (untilS === Infinity) throw new Error(`fully-async: the trainer waits for ${need} prompts but the rollouter has nothing left to run (${queue.length} queued, ${nextPrompt}/${table.prompts} fed)`);
        return untilS;
      }
      const atS = rollouter.nowS;
      collect();
      submitAt(atS);
    }
  };

  // Counters over the measured window.
  const counters: Record<string, number> = {};
  const count = (name: string, amount = 1) => {
    counters[name] = (counters[name] ?? 0) + amount;
  };
  const lagHistogram = new Map<number, number>();
  let trained = { prompts: 0, samples: 0, promptTokens: 0, responseTokens: 0 };
  let lagSum = 0;
  let lagMax = 0;
  let partialSpanMax = 0;
  const measuredEnd = window.warmUpPrompts + window.measuredPrompts;
  let trainedPrompts = 0;
  let windowStartS = window.warmUpPrompts === 0 ? 0 : Number.NaN;
  let windowEndS = Number.NaN;
  const inWindow = () => !Number.isNaN(windowStartS) && Number.isNaN(windowEndS);

  submitAt(0);
  let clock = 0;
  let localStep = 0;
  let stepIndex = 0;
  while (Number.isNaN(windowEndS)) {
    // Wait for the batch (veRL's `gen` timer on the trainer).
    const readyS = Math.max(clock, generateUntil(Infinity, required));
    if (inWindow()) count('trainer_wait_s', readyS - clock);
    const batch = queue.splice(0, required);
    const groups = batch.map((sample) => window.combined.groups[sample.group]!);
    const step = trainerStep(scenario, cost, rng.fork(`step-${stepIndex++}`), pools, work, groups, iteration.iteration);
    const endS = readyS + step.durationS;
    for (const span of step.spans) spans.push({ ...span, startS: span.startS + readyS, endS: span.endS + readyS });
    // The rollouter generates while the trainer trains.
    generateUntil(endS, Infinity);
    clock = endS;
    const measuring = inWindow();
    if (measuring) {
      trained = { prompts: trained.prompts + batch.length, samples: trained.samples + step.samples, promptTokens: trained.promptTokens + step.promptTokens, responseTokens: trained.responseTokens + step.responseTokens };
      for (let k = 0; k < batch.length; k++) {
        const sample = batch[k]!;
        const responses = groups[k]!.responseTokens.length;
        const lag = version - sample.version;
        lagHistogram.set(lag, (lagHistogram.get(lag) ?? 0) + responses);
        lagSum += lag * responses;
        lagMax = Math.max(lagMax, lag);
        if (sample.version > sample.versionStart) {
          count('partial_samples', responses);
          partialSpanMax = Math.max(partialSpanMax, sample.version - sample.versionStart);
        }
      }
    }
    trainedPrompts += batch.length;
    localStep++;
    if (localStep === p.triggerParameterSyncStep) {
      localStep = 0;
      // The rollouter pauses: partial rollout cancels what is in flight; otherwise the sync waits for it.
      let pausedS = clock;
      paused = true;
      if (p.partialRollout) {
        const interrupted = rollouter.interruptAll(clock);
        pausedS = interrupted.atS;
        collect();
        for (const prompt of interrupted.prompts) inFlight.delete(prompt.group);
        cancelled.push(...interrupted.prompts);
        if (measuring) {
          count('interrupted_sequences', interrupted.sequences);
          count('interrupted_generated_tokens', interrupted.generatedTokens);
        }
      } else {
        while (inFlight.size > 0) {
          if (!rollouter.runToCompletion()) throw new Error('fully-async: in-flight prompts never finish');
          pausedS = Math.max(pausedS, rollouter.nowS);
          collect();
        }
      }
      if (measuring) count('sync_wait_s', pausedS - clock);
      const syncEndS = pausedS + sync.durationS;
      if (sync.durationS > 0) {
        spans.push({ pool: pools.trainer.name, firstGpu: pools.trainer.firstGpu, gpus: pools.trainer.gpus, task: 'weight-sync', stage: 'weight-sync', iteration: iteration.iteration, startS: pausedS, endS: syncEndS, model: scenario.models.actor });
        spans.push({ pool: pools.rollout.name, firstGpu: pools.rollout.firstGpu, gpus: pools.rollout.gpus, task: 'weight-sync', stage: 'weight-sync', iteration: iteration.iteration, startS: pausedS, endS: syncEndS, model: scenario.models.actor });
      }
      if (measuring) count('weight_syncs');
      version++;
      // update_param_version: the new version's budget already holds what is in flight, cancelled or queued.
      startedThisVersion = inFlight.size + cancelled.length + queue.length;
      // Nothing runs on the servers during the sync; they resume after it.
      rollouter.cluster.runUntil(undefined, pausedS);
      paused = false;
      clock = syncEndS;
      submitAt(syncEndS);
    }
    if (Number.isNaN(windowStartS) && trainedPrompts >= window.warmUpPrompts) windowStartS = clock;
    else if (!Number.isNaN(windowStartS) && trainedPrompts >= measuredEnd) windowEndS = clock;
  }

  // Generation spans: every server's busy periods.
  const instancePools = Array.from({ length: pools.servers }, (_, i) => ({ name: `generate/${i}`, firstGpu: pools.rollout.firstGpu + i * scenario.generation.tp, gpus: scenario.generation.tp }));
  rollouter.cluster.instances.forEach((instance, i) => {
    for (const [from, to] of instance.busyPeriods()) spans.push({ pool: instancePools[i]!.name, firstGpu: instancePools[i]!.firstGpu, gpus: instancePools[i]!.gpus, task: 'generate', stage: 'generation', iteration: iteration.iteration, startS: from, endS: to, model: scenario.models.actor });
  });
  const engine = sumCounters(rollouter.cluster.instances.map((instance) => instance.counters));
  for (const [lag, samples] of [...lagHistogram.entries()].sort((a, b) => a[0] - b[0])) counters[`policy_lag_${lag}_samples`] = samples;
  counters['policy_lag_mean_versions'] = trained.samples > 0 ? lagSum / trained.samples : 0;
  counters['policy_lag_max_versions'] = lagMax;
  counters['stale_samples_frac'] = trained.samples > 0 ? (trained.samples - (lagHistogram.get(0) ?? 0)) / trained.samples : 0;
  counters['interrupted_sequences_frac'] = trained.samples > 0 ? (counters['interrupted_sequences'] ?? 0) / trained.samples : 0;
  counters['partial_span_max_versions'] = partialSpanMax;
  counters['weight_sync_s'] = sync.durationS;
  counters['window_recomputed_tokens'] = engine.recomputedTokens;
  counters['window_preemptions'] = engine.preemptions;
  const notes = [
    ...window.notes,
    ...ctx.notes,
    `fully-async: ${pools.rollout.gpus} rollout GPUs (${pools.servers} servers of TP ${scenario.generation.tp}) : ${pools.trainer.gpus} trainer GPUs; ${required} prompts per local update, ${versionPrompts} per version, at most ${maxRequired} started per version and ${maxInFlight} in flight`,
  ];
  if (window.measuredPrompts % required !== 0) notes.push(`fully-async: the iteration's ${window.measuredPrompts} prompts are not a whole number of local updates of ${required}; the window ends at the first update that completes them (${trained.prompts} prompts trained)`);
  return windowResult({ scheduler: 'fully-async', iteration: iteration.iteration, pools, priceUsdPerGpuHour: scenario.cluster.priceUsdPerGpuHour, spans, windowStartS, windowEndS, trained, counters, notes });
}

export const fullyAsync: SchedulerEntry = {
  name: 'fully-async',
  description: "veRL's fully asynchronous policy: rollouter and trainer on separate pools, prompts streamed through a message queue, local updates of require-batches mini-batches, a weight sync every trigger-parameter-sync-step updates, a staleness budget and partial rollout",
  sources: [
    `${VERL}/fully_async_rollouter.py, fully_async_trainer.py, message_queue.py, param_sync.py, agent_loop/partial_single_turn_agent_loop.py`,
    'volcengine/verl docs/advance/fully_async.md (modes, parameters)',
    'volcengine/verl 9f53cd71 recipe/fully_async_policy/exp/qwen2-7B-math_* (the study scripts)',
  ],
  assumptions: fullyAsyncParameterSet.assumptions,
  history: [recentIterationsFold],
  run: runFullyAsync,
};
