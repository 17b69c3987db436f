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
});
