import { describe, expect, it } from 'vitest';
import { recordedStepsFromVerlRun } from '../../../harness/traces/recorded-runs/from-verl-run.js';
import { readRecordedRuns } from '../../../harness/traces/recorded-runs/read.js';
import { readVerlRun } from '../../../harness/traces/verl/read-run.js';
import { sharedDataPath } from '../../../harness/util/shared-data.js';

const LOG = (...parts: string[]) => sharedDataPath('rl-step-logs', 'logs', ...parts);

describe('recordedStepsFromVerlRun', () => {
  it('turns step 2 of the GPG log into the record runs.csv transcribed as r06', async () => {
    const path = LOG('verl-qwen2-7b-gpg', 'qwen2-7b_math.log');
    const [fromLog] = recordedStepsFromVerlRun(await readVerlRun(path), { steps: [2] });
    const r06 = (await readRecordedRuns(sharedDataPath('rl-step-logs', 'runs.csv'))).rows.find((r) => r.runId === 'r06')!;
    expect(fromLog!.runId).toBe('qwen2-7b_math.log#2');
    expect(fromLog!.runKey).toBe(path);
    expect(fromLog!.stepIndex).toEqual(r06.stepIndex);
    expect(fromLog!.stagesS).toEqual(r06.stagesS);
    expect(fromLog!.workload).toEqual(r06.workload);
    expect([fromLog!.mfuActor, fromLog!.throughputTokensPerSPerGpu]).toEqual([r06.mfuActor, r06.throughputTokensPerSPerGpu]);
    const keys = ['nodes', 'gpusPerNode', 'rolloutEngine', 'rolloutTp', 'trainBackend', 'dynamicBsz', 'trainBatchSizePrompts', 'rolloutN', 'ppoMiniBatchSize', 'ppoMicroBatchSizePerGpu', 'ppoEpochs', 'maxPromptLen', 'maxResponseLen'] as const;
    for (const key of keys) expect([key, fromLog!.config[key]]).toEqual([key, r06.config[key]]);
    expect(fromLog!.config.offload?.value.actor).toEqual({ param: false, optimizer: false });
    expect(fromLog!.config.offload?.value.ref).toEqual(r06.config.offload?.value.ref);
    expect(fromLog!.config.gradCkpt?.value.actor).toBe(true);
    expect(fromLog!.config.algorithm?.value).toMatchObject({ name: 'gpg', usesCritic: false, usesReference: false });
    expect(fromLog!.config.gpuType).toBeUndefined(); // the log does not say
    expect(fromLog!.findings).toEqual([]);
  });

  it('marks what the log does not state as inferred, and keeps every step of a run under one key', async () => {
    const steps = recordedStepsFromVerlRun(await readVerlRun(LOG('verl-mi300-deepseek7b', 'ppo_run_deepseek7b_llm.log')));
    expect(steps).toHaveLength(1119);
    expect(new Set(steps.map((s) => s.runKey)).size).toBe(1);
    const config = steps[0]!.config;
    expect(config.rolloutN).toEqual({ value: 1, inferred: true }); // veRL's default, the command does not set it
    expect(config.rolloutTp).toEqual({ value: 4, inferred: false });
    expect(config.trainBackend).toEqual({ value: 'fsdp', inferred: true });
    expect(config.algorithm?.value).toMatchObject({ name: 'ppo', usesCritic: true, usesReference: true });
    expect(config.offload?.value.critic).toEqual({ param: false, optimizer: false });
    expect(steps[1]!.stagesS.values).toEqual({ value: 1.409, inferred: false });
  });
});
