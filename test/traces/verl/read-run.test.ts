import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readVerlRun, type VerlRun } from '../../../harness/traces/verl/read-run.js';
import { formatProblem, isInputError } from '../../../harness/util/input-error.js';
import { sharedDataPath } from '../../../harness/util/shared-data.js';

const LOG = (...parts: string[]) => sharedDataPath('rl-step-logs', 'logs', ...parts);
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const value = <T>(setting: { value: T } | undefined): T | undefined => setting?.value;

/**
 * Per shared log: steps (training step lines with timings), the first step number, step 2's
 * gen seconds and response_length/mean, and the settings read from its launch command or printed
 * config — all as the files say (checked by grep on the files, not by this reader).
 */
const SHARED: readonly {
  file: string;
  generation: VerlRun['generation'];
  launch: string;
  steps: number;
  first: number;
  gen2: number;
  responseMean2: number;
  rolloutTp: number;
  n: number;
  batch: number;
  miniBatch: number;
  microPerGpu: number;
  gpus: number;
}[] = [
  { file: LOG('verl-mi300-deepseek7b', 'grpo_run_deepseek7b_llm.log'), generation: '2025', launch: 'script', steps: 1119, first: 1, gen2: 57.658, responseMean2: 198.231, rolloutTp: 2, n: 5, batch: 1024, miniBatch: 256, microPerGpu: 80, gpus: 8 },
  { file: LOG('verl-mi300-deepseek7b', 'ppo_run_deepseek7b_llm.log'), generation: '2025', launch: 'script', steps: 1119, first: 1, gen2: 29.313, responseMean2: 197.018, rolloutTp: 4, n: 1, batch: 1024, miniBatch: 256, microPerGpu: 16, gpus: 8 },
  { file: LOG('verl-qwen2-7b-gpg', 'qwen2-7b_math.log'), generation: '2025', launch: 'bash-trace', steps: 210, first: 1, gen2: 69.534, responseMean2: 280.789, rolloutTp: 2, n: 5, batch: 1024, miniBatch: 256, microPerGpu: 16, gpus: 8 },
  { file: LOG('verl-qwen2-7b-gpg', 'qwen2-7b_math_megatron.log'), generation: '2025', launch: 'bash-trace', steps: 105, first: 1, gen2: 50.878, responseMean2: 181.924, rolloutTp: 2, n: 5, batch: 1024, miniBatch: 256, microPerGpu: 4, gpus: 8 },
  { file: LOG('verl-team-gsm8k', 'Qwen2.5-0.5B-bsz256_2-prompt1024-resp512-0.567.log'), generation: 'dec-2024', launch: 'wrapper', steps: 435, first: 0, gen2: 18.156, responseMean2: 307.43, rolloutTp: 1, n: 1, batch: 256, miniBatch: 64, microPerGpu: 2, gpus: 1 },
  { file: LOG('verl-team-gsm8k', 'Qwen2.5-0.5B-bsz256_2-prompt512-resp256-0.538.log'), generation: 'dec-2024', launch: 'wrapper', steps: 435, first: 0, gen2: 18.947, responseMean2: 235.305, rolloutTp: 1, n: 1, batch: 256, miniBatch: 64, microPerGpu: 2, gpus: 1 },
  // ppo_micro_batch_size=4 is the old global form: veRL divided it by the 2 GPUs.
  { file: LOG('verl-team-gsm8k', 'gemma-2-2b-it-ppo-bsz512_4-prompt1024-resp-512-0.640.log'), generation: 'dec-2024', launch: 'bash-trace', steps: 106, first: 0, gen2: 44.876, responseMean2: 129.77, rolloutTp: 2, n: 1, batch: 512, miniBatch: 128, microPerGpu: 2, gpus: 2 },
];

describe('readVerlRun on every shared veRL log', () => {
  it.each(SHARED)('$file', async (expected) => {
    const run = await readVerlRun(expected.file);
    expect(run.generation).toBe(expected.generation);
    expect(run.launch?.form).toBe(expected.launch);
    expect(run.steps).toHaveLength(expected.steps);
    expect(run.steps[0]!.step).toBe(expected.first);
    const two = run.steps.find((s) => s.step === 2)!;
    expect(two.stagesS.gen).toBe(expected.gen2);
    expect(two.workload.responseLength.mean).toBe(expected.responseMean2);
    const s = run.settings;
    expect([value(s.rollout.tensorParallelSize), value(s.rollout.n), value(s.trainBatchSize), value(s.actor.ppoMiniBatchSize), value(s.actor.microBatchSizePerGpu), value(s.gpus)]).toEqual([
      expected.rolloutTp,
      expected.n,
      expected.batch,
      expected.miniBatch,
      expected.microPerGpu,
      expected.gpus,
    ]);
    // Steps are in order and each keeps its own line.
    expect(run.steps.every((step, i) => i === 0 || step.step > run.steps[i - 1]!.step)).toBe(true);
    expect(readFileSync(expected.file, 'utf8').split('\n')[two.line - 1]).toContain(`step:2 - `);
  });

  it('MI300 GRPO: the pasted script with $VARIABLE substitution; what it leaves out is a named default', async () => {
    const run = await readVerlRun(SHARED[0]!.file);
    expect(run.launch?.variables).toEqual({ GPU_MEMORY_UTILIZATION: '0.6', INFERENCE_BATCH_SIZE: '110', MODEL_PATH: 'deepseek-ai/deepseek-llm-7b-chat', TP_VALUE: '2', TRAINING_BATCH_SIZE: '80' });
    expect(run.launch?.unresolvedVariables).toEqual(['test_files', 'train_files']);
    const s = run.settings;
    expect(s.rollout.tensorParallelSize).toEqual({ value: 2, source: 'command', key: 'actor_rollout_ref.rollout.tensor_model_parallel_size' });
    expect(s.rollout.logProbMicroBatchSizePerGpu?.value).toBe(110);
    expect(s.rollout.gpuMemoryUtilization?.value).toBe(0.6);
    expect(s.actor.strategy).toEqual({ value: 'fsdp', source: 'default', key: 'actor_rollout_ref.actor.strategy' });
    expect([value(s.actor.useKlLoss), value(s.actor.gradientCheckpointing), value(s.actor.removePadding), value(s.ref.paramOffload), value(s.critic.used)]).toEqual([true, true, true, true, false]);
    expect(run.config.values['trainer.val_before_train']).toEqual({ value: false, source: 'command', line: 40 }); // `+trainer.val_before_train=False` on line 40
    expect(run.steps[1]!.stepS).toBe(103.092);
    expect(run.steps[1]!.mfu).toEqual({ actor: 0.192 });
    expect(run.steps[1]!.throughput).toEqual({ totalNumTokens: 1431853, timePerStepS: 103.092, tokensPerSPerGpu: 1736.13 });
    expect(run.stagesLogged).toEqual(['adv', 'gen', 'old_log_prob', 'ref', 'testing', 'update_actor']);
  });

  it('MI300 PPO: a critic from GAE, rollout.n from veRL’s default', async () => {
    const s = (await readVerlRun(SHARED[1]!.file)).settings;
    expect(s.critic.used).toEqual({ value: true, source: 'derived', key: 'algorithm.adv_estimator', note: 'veRL trains a critic exactly when adv_estimator is gae (verl/trainer/ppo/ray_trainer.py, use_critic)' });
    expect(s.advEstimator).toEqual({ value: 'gae', source: 'default', key: 'algorithm.adv_estimator' });
    expect(s.rollout.n).toEqual({ value: 1, source: 'default', key: 'actor_rollout_ref.rollout.n' });
    expect([value(s.critic.ppoMicroBatchSizePerGpu), value(s.critic.ppoMiniBatchSize), value(s.critic.gradientCheckpointing)]).toEqual([32, 256, true]);
  });

  it('GPG Megatron: --config-name, Megatron TP/PP of actor and ref, all from the printed config', async () => {
    const run = await readVerlRun(SHARED[3]!.file);
    expect(run.launch?.configName).toBe('ppo_megatron_trainer.yaml');
    expect(run.printedConfig).toEqual({ line: 383, lastLine: 660, prefix: '(TaskRunner pid=20910)', complete: true, notes: [] });
    const s = run.settings;
    expect(s.actor.strategy?.value).toBe('megatron');
    expect(Object.fromEntries(Object.entries(s.actor.megatron!).map(([k, v]) => [k, v.value]))).toEqual({ tensorParallel: 2, pipelineParallel: 2, expertParallel: 1, contextParallel: 1 });
    expect([value(s.ref.megatron?.tensorParallel), value(s.ref.megatron?.pipelineParallel), value(s.ref.paramOffload)]).toEqual([2, 2, false]);
    // the flag is set, but its recompute granularity is printed as None: Megatron-Core recomputes nothing
    expect(s.actor.gradientCheckpointing).toMatchObject({ value: false, source: 'derived', key: 'actor_rollout_ref.model.enable_gradient_checkpointing' });
    expect(run.config.values['actor_rollout_ref.model.gradient_checkpointing_kwargs.activations_checkpoint_granularity']?.value).toBeNull();
    expect([value(s.actor.useKlLoss), value(s.useKlInReward)]).toEqual([false, false]);
    expect(run.config.disagreements).toEqual([]);
    expect(run.stagesLogged).not.toContain('ref'); // no KL, no reference model
  });

  it('GPG FSDP: the bash -x trace with shell quoting gives the same values as the printed config', async () => {
    const run = await readVerlRun(SHARED[2]!.file);
    const trainFiles = run.launch!.overrides.find((o) => o.key === 'data.train_files')!;
    expect(trainFiles.valueText).toBe("['/data/share8/ml/data/gsm8k/train.parquet', '/data/share8/ml/data/math/train.parquet']");
    expect(trainFiles.value).toEqual(['/data/share8/ml/data/gsm8k/train.parquet', '/data/share8/ml/data/math/train.parquet']);
    expect(run.launch!.overrides.find((o) => o.key === 'trainer.logger')!.value).toEqual(['console', 'wandb']);
    expect(run.config.disagreements).toEqual([]);
    expect(run.steps[1]!.stagesS).toEqual({ adv: 0.179, gen: 69.534, generate_sequences: 57.439, old_log_prob: 32.91, reshard: 4.599, reward: 1.184, update_actor: 134.132 });
    expect(run.steps[1]!.workload.globalSeqlen.mean).toBe(242391);
  });

  it('Dec-2024 wrapper log: the command: line, the commit, n from the rollout’s printed SamplingParams', async () => {
    const run = await readVerlRun(SHARED[4]!.file);
    expect(run.launch?.commit).toBe('50ac7252f97cf39997344237bca74162b2dc6d79');
    expect(run.launch?.program).toBe('bash run_gemma.sh');
    expect(run.launch?.overrides.map((o) => o.key)).toEqual([
      'trainer.n_gpus_per_node',
      'actor_rollout_ref.rollout.tensor_model_parallel_size',
      'trainer.logger',
      'critic.model.path',
      'actor_rollout_ref.model.path',
      'data.train_batch_size',
      'actor_rollout_ref.actor.ppo_mini_batch_size',
      'actor_rollout_ref.actor.ppo_micro_batch_size',
      'critic.ppo_micro_batch_size',
    ]);
    expect(run.config.disagreements).toEqual([]);
    expect(run.settings.rollout.n?.source).toBe('sampling-params');
    expect(run.settings.actor.microBatchSizePerGpu?.source).toBe('derived');
    expect(run.steps[0]!.stepS).toBeUndefined();
    expect(run.stagesLogged).toEqual(['adv', 'gen', 'ref', 'testing', 'update_actor', 'update_critic', 'values']);
  });

  it('gemma Dec-2024 log: a printed config with lost lines is read by indentation; the command fills the lost keys', async () => {
    const run = await readVerlRun(SHARED[6]!.file);
    expect(run.printedConfig?.complete).toBe(false);
    expect(run.notes).toContain(
      'the printed config (lines 9–174) does not close its braces: lines of it are missing from the log; keys were placed by their indentation, and keys on the missing lines stay unknown',
    );
    // critic.model.path sat on a lost line; the command (whose later override wins) gives it.
    expect(run.config.values['critic.model.path']).toEqual({ value: 'sft_model_path/global_step_58', source: 'command', line: 7 });
    expect(run.config.values['actor_rollout_ref.model.path']?.source).toBe('printed-config');
    expect(run.config.values['trainer.experiment_name']?.value).toBe('gemma2b_function_rm'); // the line another process wrote into
    expect(run.notes).toContain("the command sets actor_rollout_ref.model.path twice (at 7:225 and 7:1433); the later value 'sft_model_path/global_step_58' wins, as in Hydra");
    expect(run.launch?.wrapper?.overrides.map((o) => o.valueText)).toEqual(['$sft_model_path/global_step_58', '$sft_model_path/global_step_58']);
  });
});

describe('readVerlRun on small logs of its own', () => {
  it('the script form: variables, ${…}, continuations, shell quotes, a variable the log does not define', async () => {
    const run = await readVerlRun(fixture('script-form.log'));
    const launch = run.launch!;
    expect([launch.form, launch.line, launch.program]).toEqual(['script', 7, 'python3 -m verl.trainer.main_ppo']);
    expect(launch.variables).toEqual({ MICRO: '2', MODEL_PATH: 'org/model-7b', TP_VALUE: '2' });
    expect(launch.unresolvedVariables).toEqual(['train_files']);
    expect(launch.overrides.map((o) => [o.op, o.key, o.value, o.line, o.column])).toEqual([
      ['set', 'algorithm.adv_estimator', 'grpo', 8, 5],
      ['set', 'data.train_files', '$train_files', 9, 5],
      ['set', 'data.train_batch_size', 64, 10, 5],
      ['set', 'actor_rollout_ref.model.path', 'org/model-7b', 11, 5],
      ['set', 'actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu', 2, 12, 5],
      ['set', 'actor_rollout_ref.rollout.tensor_model_parallel_size', 2, 13, 5],
      ['set', 'actor_rollout_ref.rollout.n', 4, 14, 5],
      ['set', 'trainer.logger', ['console', 'wandb'], 15, 5],
      ['set', 'trainer.project_name', 'my project', 16, 5],
      ['add', 'trainer.val_before_train', false, 17, 5],
      ['set', 'trainer.n_gpus_per_node', 4, 18, 5],
    ]);
    expect([value(run.settings.gpus), value(run.settings.nnodes), run.settings.nnodes?.source]).toEqual([4, 1, 'default']);
    expect(run.steps.map((s) => [s.step, s.stagesS.gen, s.stepS, s.workload.responseLength.mean])).toEqual([
      [1, 10, 16, 100],
      [2, 11, 17, 120.5],
    ]);
  });

  it('the wrapper form with a printed dict among other processes’ lines; a disagreement is noted and the dict wins', async () => {
    const run = await readVerlRun(fixture('wrapper-form.log'));
    expect(run.launch).toMatchObject({ form: 'wrapper', line: 5, program: 'bash run.sh', commit: 'abc1234' });
    expect(run.printedConfig).toEqual({ line: 7, lastLine: 18, prefix: '(main_task pid=11)', complete: true, notes: [] });
    expect(run.config.disagreements).toEqual([{ key: 'data.train_batch_size', command: 8, printed: 16, line: 5 }]);
    expect(run.notes).toContain("the command sets data.train_batch_size=8 (line 5) but the printed config has 16; the printed (resolved) value is used");
    expect(run.config.values['trainer.logger']).toEqual({ value: ['console', 'wandb-offline-logger-with-a-long-name'], source: 'printed-config', line: 7 });
    expect(run.rolloutSampling).toEqual({ line: 20, values: { n: 1, logprobs: 1, max_tokens: 256 } });
    const s = run.settings;
    expect(s.trainBatchSize).toEqual({ value: 16, source: 'printed-config', key: 'data.train_batch_size' });
    expect(s.actor.microBatchSizePerGpu?.value).toBe(2); // 4 over 2 GPUs
    expect(s.rollout.n).toEqual({ value: 1, source: 'sampling-params', key: 'n', note: "the vLLM rollout's SamplingParams printed on line 20" });
    expect(run.generation).toBe('dec-2024');
    expect(run.steps.map((st) => [st.step, st.stagesS])).toEqual([
      [0, { gen: 3, ref: 1 }],
      [1, { gen: 2.5, ref: 1 }],
    ]);
  });
});

describe('readVerlRun on bad logs', () => {
  const problems = async (name: string): Promise<string[]> => {
    const error = await readVerlRun(fixture(name)).catch((e: unknown) => e);
    if (!isInputError(error)) throw new Error(`expected an InputError, got ${String(error)}`);
    return error.problems.map(formatProblem);
  };
  const column = (name: string, line: number, text: string): number => readFileSync(fixture(name), 'utf8').split('\n')[line - 1]!.indexOf(text) + 1;

  it('an unterminated quote in the launch command', async () => {
    const path = fixture('bad-launch-quote.log');
    expect(await problems('bad-launch-quote.log')).toEqual([
      `${path}:1:${column('bad-launch-quote.log', 1, "'")}: field 'launch command' value ''data.train_files=[a': unterminated single quote in the launch command`,
    ]);
  });

  it('a word that is not a Hydra override', async () => {
    const path = fixture('bad-launch-word.log');
    expect(await problems('bad-launch-word.log')).toEqual([`${path}:5:5: field 'launch command' value 'trainer.nnodes': is not a Hydra override: 'trainer.nnodes' has no '=value'`]);
  });

  it('stage times that are negative or not numbers, in either generation’s naming', async () => {
    const path = fixture('bad-steps.log');
    expect(await problems('bad-steps.log')).toEqual([
      `${path}:2:${column('bad-steps.log', 2, '-1.000')}: field 'timing_s/gen' value '-1.000': must not be negative`,
      `${path}:3:${column('bad-steps.log', 3, 'abc')}: field 'timing/ref' value 'abc': is not a finite number of seconds`,
    ]);
  });

  it('a log that shows no configuration at all', async () => {
    const path = fixture('no-config.log');
    expect(await problems('no-config.log')).toEqual([
      `${path}:1: no launch command (\`python3 -m verl.trainer.main_ppo …\`, a \`command:\` header) and no printed config dict before this first step line: the run's configuration is unknown`,
    ]);
  });
});
