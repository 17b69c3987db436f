import { describe, expect, it } from 'vitest';
import { checkTrace, readGpuProfile, readStageTimings, readWorkload, streamLengthGroups } from '../../harness/traces/read.js';
import { sharedDataPath } from '../../harness/util/shared-data.js';
import { fileURLToPath } from 'node:url';

const MOONCAKE = sharedDataPath('mooncake', 'conversation_trace.jsonl');

describe('read.ts entry points', () => {
  it('streamLengthGroups gives the metadata first and the same groups as readWorkload', async () => {
    const stream = await streamLengthGroups(MOONCAKE);
    expect(stream.meta.format).toBe('mooncake');
    let count = 0;
    for await (const { group } of stream.groups) count += group.responseTokens.length;
    const workload = await readWorkload(MOONCAKE);
    expect(count).toBe(workload.iterations[0]!.groups.length);
  });

  it('each reader refuses a trace of another kind', async () => {
    await expect(readGpuProfile(MOONCAKE)).rejects.toThrow('holds response lengths (a workload), but GPU operator timings (a GPU profile) is needed here');
    await expect(readStageTimings(MOONCAKE)).rejects.toThrow('is needed here');
    await expect(readWorkload(sharedDataPath('splitwise-sim', 'perf_model.csv'))).rejects.toThrow('is needed here');
  });

  it('checkTrace summarises any kind', async () => {
    expect(await checkTrace(MOONCAKE)).toMatchObject({ format: 'mooncake', kind: 'lengths', counts: { iterations: 1, groups: 12031, samples: 12031 } });
    expect(await checkTrace(sharedDataPath('splitwise-sim', 'perf_model.csv'))).toMatchObject({ kind: 'gpu-profile', counts: { rows: 2520 } });
    expect(await checkTrace(fileURLToPath(new URL('./fixtures/verl-console.log', import.meta.url)))).toMatchObject({ kind: 'stage-timings', counts: { iterations: 4 } });
  });

  it('checkTrace reads a veRL log both ways: stage timings, and the workload synthesized from its step statistics or why there is none', async () => {
    const log = sharedDataPath('rl-step-logs', 'logs', 'verl-team-gsm8k', 'gemma-2-2b-it-ppo-bsz512_4-prompt1024-resp-512-0.640.log');
    // 106 step lines (steps 0–105) with 512 prompts × 1 response each.
    const summary = await checkTrace(log);
    expect(summary).toMatchObject({ format: 'verl-log', kind: 'stage-timings', counts: { iterations: 106 }, workload: { counts: { iterations: 106, groups: 54272, samples: 54272 } } });
    expect(await checkTrace(log, { kind: 'lengths' })).toMatchObject({ format: 'verl-log', kind: 'lengths', counts: { iterations: 106, groups: 54272, samples: 54272 } });
    // A valid stage-timing log whose configuration lacks the batch size: still valid, with the reason it yields no workload.
    const fixture = fileURLToPath(new URL('./fixtures/verl-console.log', import.meta.url));
    const without = await checkTrace(fixture);
    expect(without.workload).toEqual({ what: 'response lengths synthesized from its per-step length statistics (a synthetic workload)', unavailable: expect.stringContaining("field 'data.train_batch_size': is unknown") });
    await expect(checkTrace(fixture, { kind: 'lengths' })).rejects.toThrow("field 'data.train_batch_size': is unknown");
  });
});
