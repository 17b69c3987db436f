import { basename } from 'node:path';
import type { Setting } from '../verl/settings.js';
import type { VerlRun } from '../verl/read-run.js';
import type { VerlStep } from '../verl/steps.js';
import { consistencyFindings } from './consistency.js';
import type { Known } from './known.js';
import { RECORDED_STAGES, TRAIN_BACKENDS, type RecordedConfig, type RecordedStage, type RecordedStep, type TrainBackend } from './types.js';

/**
 * The steps of a whole veRL run as rows of the recorded-runs table, so fidelity and calibration
 * take a log and `runs.csv` alike. Settings become `Known` values: `inferred` is true where the log
 * does not state the value itself (a veRL default, or a value derived by a rule of veRL's code);
 * what a log cannot say (GPU type, parameter count, MoE) stays undefined. All steps share one
 * `runKey`, the log's path: a log is one run. (A log also transcribed into runs.csv appears there
 * under its URL: use one or the other, or the same steps count twice.)
 */
export function recordedStepsFromVerlRun(run: VerlRun, options: { readonly steps?: readonly number[] } = {}): RecordedStep[] {
  const config = recordedConfig(run);
  const name = basename(run.path);
  const wanted = options.steps ? new Set(options.steps) : undefined;
  return run.steps
    .filter((step) => !wanted || wanted.has(step.step))
    .map((step) => {
      const row: Omit<RecordedStep, 'findings'> = {
        runId: `${name}#${step.step}`,
        line: step.line,
        runKey: run.path,
        source: { url: run.path },
        config,
        stepIndex: { kind: 'step', index: step.step },
        workload: defined({
          responseLengthMean: stated(step.workload.responseLength.mean),
          responseLengthMax: stated(step.workload.responseLength.max),
          responseClipRatio: stated(step.workload.responseLength.clipRatio),
          promptLengthMean: stated(step.workload.promptLength.mean),
          globalSeqlenMean: stated(step.workload.globalSeqlen.mean),
        }),
        stagesS: stagesOf(step),
        ...defined({ throughputTokensPerSPerGpu: stated(step.throughput.tokensPerSPerGpu), mfuActor: stated(step.mfu.actor) }),
      };
      return { ...row, findings: consistencyFindings(row) };
    });
}

function stagesOf(step: VerlStep): Partial<Record<RecordedStage, Known<number>>> {
  const out: Partial<Record<RecordedStage, Known<number>>> = {};
  for (const stage of RECORDED_STAGES) {
    const seconds = stage === 'step' ? step.stepS : step.stagesS[stage];
    if (seconds !== undefined) out[stage] = { value: seconds, inferred: false };
  }
  return out;
}

/** A run's configuration as the recorded-runs table states one (shared by its steps; `scenario from-verl` uses it alone). */
export function recordedConfig(run: VerlRun): RecordedConfig {
  const s = run.settings;
  const strategy = s.actor.strategy;
  const criticUsed = s.critic.used?.value === true;
  const advEstimator = s.advEstimator?.value;
  const modelPath = s.modelPath;
  const refLogged = run.stagesLogged.includes('ref');
  return defined({
    framework: { value: { text: `verl (${run.generation} log)`, name: 'verl', comments: [`${run.generation} log`] }, inferred: false },
    algorithm:
      advEstimator === undefined
        ? undefined
        : {
            value: {
              text: `adv_estimator=${advEstimator}`,
              name: advEstimator === 'gae' ? 'ppo' : advEstimator,
              ...(s.critic.used ? { usesCritic: criticUsed } : {}),
              usesReference: refLogged,
              comments: [],
            },
            inferred: isInferred(s.advEstimator),
          },
    model: modelPath && { value: { text: modelPath.value, name: modelPath.value, comments: [] }, inferred: isInferred(modelPath) },
    nodes: known(s.nnodes),
    gpusPerNode: known(s.nGpusPerNode),
    rolloutEngine: known(s.rollout.name),
    rolloutTp: known(s.rollout.tensorParallelSize),
    trainBackend: strategy && (TRAIN_BACKENDS as readonly string[]).includes(strategy.value) ? { value: strategy.value as TrainBackend, inferred: isInferred(strategy) } : undefined,
    trainTp: known(s.actor.megatron?.tensorParallel),
    trainPp: known(s.actor.megatron?.pipelineParallel),
    offload: {
      value: {
        text: 'from the run configuration',
        actor: defined({ param: s.actor.paramOffload?.value, grad: s.actor.gradOffload?.value, optimizer: s.actor.optimizerOffload?.value }),
        ...(criticUsed ? { critic: defined({ param: s.critic.paramOffload?.value, grad: s.critic.gradOffload?.value, optimizer: s.critic.optimizerOffload?.value }) } : {}),
        ...(s.ref.paramOffload ? { ref: { param: s.ref.paramOffload.value } } : {}),
        comments: [],
        unparsed: [],
      },
      inferred: [s.actor.paramOffload, s.actor.optimizerOffload, s.ref.paramOffload].some(isInferred),
    },
    gradCkpt: s.actor.gradientCheckpointing && {
      value: {
        text: 'from the run configuration',
        actor: s.actor.gradientCheckpointing.value,
        ...(criticUsed && s.critic.gradientCheckpointing ? { critic: s.critic.gradientCheckpointing.value } : {}),
        ...(s.actor.gradientCheckpointing.value ? { method: 'checkpointing' as const } : {}),
        comments: [],
      },
      inferred: isInferred(s.actor.gradientCheckpointing),
    },
    dynamicBsz: known(s.actor.useDynamicBsz),
    ppoMaxTokenLenPerGpu: s.actor.useDynamicBsz?.value ? known(s.actor.ppoMaxTokenLenPerGpu) : undefined,
    trainBatchSizePrompts: known(s.trainBatchSize),
    rolloutN: known(s.rollout.n),
    ppoMiniBatchSize: known(s.actor.ppoMiniBatchSize),
    ppoMicroBatchSizePerGpu: known(s.actor.microBatchSizePerGpu),
    ppoEpochs: known(s.actor.ppoEpochs),
    maxPromptLen: known(s.maxPromptLength),
    maxResponseLen: known(s.maxResponseLength),
  });
}

/** A value the log does not state itself: veRL's default, or derived by a rule. */
function isInferred(setting: Setting<unknown> | undefined): boolean {
  return setting !== undefined && (setting.source === 'default' || setting.source === 'derived');
}

function known<T>(setting: Setting<T> | undefined): Known<T> | undefined {
  return setting && { value: setting.value, inferred: isInferred(setting) };
}

function stated(value: number | undefined): Known<number> | undefined {
  return value === undefined ? undefined : { value, inferred: false };
}

function defined<T extends Record<string, unknown>>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== '')) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
