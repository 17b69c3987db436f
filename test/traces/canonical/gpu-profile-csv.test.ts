import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gpuProfileCsv } from '../../../harness/traces/canonical/gpu-profile-csv.js';
import { readGpuProfile } from '../../../harness/traces/read.js';
import type { GpuProfile } from '../../../harness/traces/types.js';
import { scratchDir } from '../../cli/run-cli.js';

async function csv(text: string): Promise<string> {
  const path = join(await scratchDir(), 'profile.csv');
  writeFileSync(path, text);
  return path;
}

describe('canonical GPU-profile CSV', () => {
  it('reads time in ms or µs as seconds, keeps empty cells undefined, and gathers provenance', async () => {
    const path = await csv(
      'device,model,op,tokens,batch,context_tokens,tp,bytes,workers,cross_node,time_ms,time_std_ms,source,date,engine\n' +
        'h100-sxm,llama-2-7b,prefill,512,4,512,1,,,,12.5,0.5,lab run,2025-01-02,vLLM 0.6\n' +
        'h100-sxm,,all_reduce,,,,1,1048576,8,false,0.25,,nccl-tests,,\n',
    );
    const profile = await readGpuProfile(path);
    expect(profile.format).toBe('gpu-profile-csv');
    expect(profile.provenance).toEqual([{ source: 'lab run', date: '2025-01-02', engine: 'vLLM 0.6' }, { source: 'nccl-tests' }]);
    expect(profile.rows).toEqual([
      { device: 'h100-sxm', model: 'llama-2-7b', op: 'prefill', tokens: 512, batch: 4, contextTokens: 512, tp: 1, timeS: 0.0125, timeStdS: 0.0005, file: path, line: 2, provenanceIndex: 0 },
      { device: 'h100-sxm', model: '', op: 'all_reduce', tp: 1, bytes: 1048576, workers: 8, crossNode: false, timeS: 0.00025, file: path, line: 3, provenanceIndex: 1 },
    ]);
    const us = await csv('device,op,tp,time_us\nh100-sxm,decode_token,2,1500\n');
    expect((await readGpuProfile(us)).rows[0]!.timeS).toBe(0.0015);
  });

  it('writes seconds and reads back the same rows and provenance', async () => {
    const profile: GpuProfile = {
      format: 'x',
      sources: [],
      provenance: [{ source: 'a' }, { source: 'b', engine: 'e' }],
      rows: [
        { device: 'd', model: 'm', op: 'prefill', tokens: 10, tp: 2, timeS: 0.1, file: 'f', line: 1, provenanceIndex: 1 },
        { device: 'd', model: '', op: 'send_recv', tp: 1, bytes: 5, workers: 2, crossNode: true, timeS: 1e-6, timeStdS: 0, file: 'f', line: 2, provenanceIndex: 0 },
      ],
      notes: [],
    };
    const path = await csv(gpuProfileCsv(profile));
    const back = await readGpuProfile(path);
    expect(back.rows.map(({ file: _f, line: _l, ...rest }) => rest)).toEqual(profile.rows.map(({ file: _f, line: _l, provenanceIndex, ...rest }) => ({ ...rest, provenanceIndex: provenanceIndex === 1 ? 0 : 1 })));
    expect(back.provenance).toEqual([{ source: 'b', engine: 'e' }, { source: 'a' }]);
  });

  it.each<[string, string, string]>([
    ['two time columns', 'device,op,tp,time_s,time_ms\nd,o,1,1,1\n', ":1:1: field 'time_s': needs exactly one time column (time_s, time_ms or time_us), found time_s, time_ms"],
    ['no time column', 'device,op,tp\nd,o,1\n', ":1:1: field 'time_s': needs exactly one time column"],
    ['a zero TP', 'device,op,tp,time_s\nd,o,0,1\n', ":2:3: field 'tp' value '0': must be at least 1"],
    ['an empty device', 'device,op,tp,time_s\n,o,1,1\n', ":2:1: field 'device' value '': is empty"],
    ['a bad cross_node', 'device,op,tp,time_s,cross_node\nd,o,1,1,sometimes\n', ":2:5: field 'cross_node' value 'sometimes': is not a boolean"],
  ])('rejects %s', async (_label, text, expected) => {
    const path = await csv(text);
    const error = (await readGpuProfile(path, { format: 'gpu-profile-csv' }).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('InputError');
    expect(error.message).toContain(`${path}${expected}`);
  });
});
