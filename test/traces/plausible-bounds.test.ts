import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundIn, boundProblem, exceedsBound, PLAUSIBLE, type PlausibleBoundName } from '../../harness/traces/plausible-bounds.js';
import { readGpuProfile, readStageTimings, readWorkload } from '../../harness/traces/read.js';
import { scratchDir } from '../cli/run-cli.js';

/**
 * Every plausibility bound, through a reader that applies it: the bound itself is accepted, the
 * next value above it (or the same quantity in the file's unit) is an InputError at the value's
 * line and column, naming the field, the value as written and the bound.
 */
async function write(name: string, text: string): Promise<string> {
  const path = join(await scratchDir('bounds'), name);
  writeFileSync(path, text);
  return path;
}

const group = (extra: Record<string, unknown>) => JSON.stringify({ iteration: 0, group_id: 'g', prompt_tokens: 5, response_tokens: [1], truncated: [false], ...extra });
const profile = (columns: string, row: string) => `device,op,tp,${columns}\n${row}\n`;

interface BoundCase {
  /** The file for a value (as it is written in the file). */
  readonly file: (value: string) => { name: string; text: string };
  readonly read: (path: string) => Promise<unknown>;
  /** The value at the bound and the first implausible one, as written. */
  readonly atBound: string;
  readonly above: string;
  /** `:line:column: field 'x'` of the problem. */
  readonly where: string;
  /** The bound as the message states it, in the file's unit. */
  readonly stated: string;
}

const CASES: Record<PlausibleBoundName, BoundCase> = {
  sequenceTokens: { file: (v) => ({ name: 'l.jsonl', text: `${group({ prompt_tokens: Number(v) })}\n` }), read: readWorkload, atBound: '10000000', above: '10000001', where: ":1:47: field 'prompt_tokens'", stated: '10000000 tokens' },
  batchTokens: { file: (v) => ({ name: 'p.csv', text: profile('tokens,time_s', `h100-sxm,mlp,1,${v},0.1`) }), read: readGpuProfile, atBound: '10000000000', above: '10000000001', where: ":2:4: field 'tokens'", stated: '10000000000 tokens' },
  sequences: { file: (v) => ({ name: 'p.csv', text: profile('batch,time_s', `h100-sxm,mlp,1,${v},0.1`) }), read: readGpuProfile, atBound: '10000000', above: '10000001', where: ":2:4: field 'batch'", stated: '10000000 sequences' },
  prefillS: { file: (v) => ({ name: 'p.csv', text: profile('time_ms', `h100-sxm,prefill,1,${v}`) }), read: readGpuProfile, atBound: '3600000', above: '1e300', where: ":2:4: field 'time_ms'", stated: '3600000 ms' },
  decodeStepS: { file: (v) => ({ name: 'p.csv', text: profile('time_s', `h100-sxm,decode_token,1,${v}`) }), read: readGpuProfile, atBound: '60', above: '60.5', where: ":2:4: field 'time_s'", stated: '60 s' },
  operationS: { file: (v) => ({ name: 'p.csv', text: profile('time_us', `h100-sxm,all_reduce,1,${v}`) }), read: readGpuProfile, atBound: '3600000000', above: '3600000001', where: ":2:4: field 'time_us'", stated: '3600000000 us' },
  stageS: { file: (v) => ({ name: 't.jsonl', text: `{"iteration":0,"stages_s":{"generation":${v}}}\n` }), read: readStageTimings, atBound: '86400', above: '86401', where: ":1:41: field 'stages_s.generation'", stated: '86400 s' },
  latencyS: { file: (v) => ({ name: 'l.jsonl', text: `${group({ tool_latency_s: [Number(v)] })}\n` }), read: readWorkload, atBound: '86400', above: '1e9', where: ":1:109: field 'tool_latency_s[0]'", stated: '86400 s' },
  traceTimeS: { file: (v) => ({ name: 'l.jsonl', text: `${group({ arrival_time_s: Number(v) })}\n` }), read: readWorkload, atBound: '31622400', above: '1700000000', where: ":1:108: field 'arrival_time_s'", stated: '31622400 s' },
  iterations: { file: (v) => ({ name: 'l.csv', text: `iteration,group_id,prompt_tokens,response_tokens,truncated\n${v},g,5,1,false\n` }), read: readWorkload, atBound: '10000000', above: '99999999999', where: ":2:1: field 'iteration'", stated: '10000000 iterations' },
  gpus: { file: (v) => ({ name: 'p.csv', text: profile('time_s', `h100-sxm,mlp,${v},0.1`) }), read: readGpuProfile, atBound: '1000000', above: '1000001', where: ":2:3: field 'tp'", stated: '1000000 GPUs' },
  bytes: { file: (v) => ({ name: 'p.csv', text: profile('bytes,time_s', `h100-sxm,all_reduce,8,${v},0.1`) }), read: readGpuProfile, atBound: '1000000000000000', above: '1000000000000001', where: ":2:4: field 'bytes'", stated: '1000000000000000 bytes' },
};

describe('plausibility bounds', () => {
  it('states the bound, what it bounds and why', () => {
    expect(boundProblem(PLAUSIBLE.decodeStepS)).toBe('is above 60 s, the plausible maximum for one decode step (a decode step takes milliseconds; a minute is a unit error or a whole generation)');
    expect(exceedsBound(60, PLAUSIBLE.decodeStepS)).toBeUndefined();
    expect(exceedsBound(60.001, PLAUSIBLE.decodeStepS)).toMatch(/^is above 60 s/);
    expect(boundIn(PLAUSIBLE.prefillS, 'ms', 1000)).toEqual({ ...PLAUSIBLE.prefillS, max: 3_600_000, unit: 'ms' });
    for (const bound of Object.values(PLAUSIBLE)) {
      expect(bound.max).toBeGreaterThan(0);
      expect(bound.why.length).toBeGreaterThan(10);
    }
  });

  it.each(Object.keys(CASES) as PlausibleBoundName[])('%s: the bound is read, the value above it is refused with line, column, field, value and bound', async (name) => {
    const bound = CASES[name];
    const ok = bound.file(bound.atBound);
    await expect(bound.read(await write(ok.name, ok.text))).resolves.toBeDefined();
    const bad = bound.file(bound.above);
    const path = await write(bad.name, bad.text);
    const error = (await bound.read(path).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('InputError');
    const shown = JSON.stringify(JSON.parse(bound.above)); // JSON files show the number as parsed (1e+300), CSV cells as written
    const valueShown = bad.name.endsWith('.jsonl') ? shown : bound.above;
    expect(error.message).toContain(`${path}${bound.where} value '${valueShown}': is above ${bound.stated}, the plausible maximum for ${PLAUSIBLE[name].what}`);
  });

  it('the splitwise profile (what calibrate reads) refuses a 1e300 ms prefill and a 2-minute decode step', async () => {
    const header = 'model,hardware,prompt_size,batch_size,token_size,peak_power,average_power,prompt_time,token_time,e2e_time,tensor_parallel';
    const path = await write('perf_model.csv', `${header}\nllama2-70b,a100-80gb,512,1,128,1,0.7,1e300,120000,7168,2\n`);
    const error = (await readGpuProfile(path, { format: 'splitwise-perf-model' }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`${path}:2:8: field 'prompt_time' value '1e300': is above 3600000 ms, the plausible maximum for one prefill`);
    expect(error.message).toContain(`${path}:2:9: field 'token_time' value '120000': is above 60000 ms, the plausible maximum for one decode step`);
  });
});
