import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPolyTraceLengths } from '../../../harness/traces/adapters/polytrace.js';
import { readVidurCollective } from '../../../harness/traces/adapters/vidur.js';
import { readVerlLog } from '../../../harness/traces/adapters/verl-log.js';
import { readGpuProfile, readStageTimings, readWorkload } from '../../../harness/traces/read.js';
import { sharedDataPath } from '../../../harness/util/shared-data.js';
import { runCli, scratchDir } from '../run-cli.js';

const RLLM = sharedDataPath('polytrace', 'rllm', 'profile', 'packed_length_log', '20260616_024512');
const MULTITURN = sharedDataPath('polytrace', 'search_r1', 'profile', 'multiturn_workload_log', '0617_0223');
const VERL_LOG = fileURLToPath(new URL('../../traces/fixtures/verl-console.log', import.meta.url));

describe('traces convert', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await scratchDir('rlhf-replay-convert');
  });

  it('converts a PolyTrace run to canonical JSONL with the same groups and its provenance', async () => {
    const out = join(dir, 'rllm.jsonl');
    const run = await runCli(['traces', 'convert', RLLM, '--to', out]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe(`wrote ${out} (lengths-jsonl: 80 groups, 640 samples) from ${RLLM} (polytrace)\n`);
    const original = await readPolyTraceLengths(RLLM);
    const converted = await readWorkload(out);
    expect(converted.iterations).toEqual(original.iterations);
    expect(converted.meta).toMatchObject({ format: 'lengths-jsonl', maxResponseTokens: 16000, maxResponseTokensSource: 'inferred', notes: original.meta.notes });
    expect(converted.meta.derivedFrom).toEqual({ format: 'polytrace', files: original.meta.sources.map((source) => basename(source)) });
    expect(readFileSync(out, 'utf8')).not.toContain(sharedDataPath());
  });

  it('writes the same bytes every time (deterministic output)', async () => {
    const a = join(dir, 'det-a.csv');
    const b = join(dir, 'det-b.csv');
    await runCli(['traces', 'convert', RLLM, '--to', a]);
    await runCli(['traces', 'convert', RLLM, '--to', b]);
    expect(readFileSync(a)).toEqual(readFileSync(b));
  });

  it('refuses to drop per-turn data into CSV unless --allow-lossy, and leaves no file behind', async () => {
    const out = join(dir, 'multiturn.csv');
    const refused = await runCli(['traces', 'convert', MULTITURN, '--to', out]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: field 'turns': group '0/0' of iteration 0 has per-turn data, which the CSV format cannot hold`));
    expect(existsSync(out)).toBe(false);
    const lossy = await runCli(['traces', 'convert', MULTITURN, '--to', out, '--allow-lossy']);
    expect(lossy.code, lossy.err).toBe(0);
    const converted = await readWorkload(out);
    expect(converted.meta.notes).toContain('per-turn data of 64 groups dropped: the CSV format cannot hold it');
    expect(converted.iterations[0]!.groups[0]!.turns).toBeUndefined();
    expect(converted.iterations[0]!.groups[0]!.toolLatencyS).toHaveLength(8);
  });

  it('never clobbers an existing output when the input turns out bad, and leaves no temporary file', async () => {
    const out = join(dir, 'keep.jsonl');
    writeFileSync(out, 'previous contents\n');
    const bad = join(dir, 'bad.csv');
    // The error sits at the end of the file, after many good rows have been converted.
    const rows = Array.from({ length: 5000 }, (_, i) => `0,g${i},5,7,false`);
    writeFileSync(bad, `iteration,group_id,prompt_tokens,response_tokens,truncated\n${rows.join('\n')}\n0,last,5,-1,false\n`);
    const run = await runCli(['traces', 'convert', bad, '--to', out]);
    expect(run.code).toBe(2);
    expect(run.err).toContain(`${bad}:5002:4: field 'response_tokens' value '-1': must not be negative`);
    expect(readFileSync(out, 'utf8')).toBe('previous contents\n');
    expect(readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('converts a GPU profile to the canonical CSV in seconds', async () => {
    const input = sharedDataPath('vidur', 'data', 'profiling', 'network', 'h100_dgx', 'send_recv.csv');
    const out = join(dir, 'send_recv.csv');
    const run = await runCli(['traces', 'convert', input, '--to', out, '--json']);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ input, inputFormat: 'vidur-collective', output: out, outputFormat: 'gpu-profile-csv', counts: { rows: 1988 } });
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('device,model,op,tp,bytes,workers,cross_node,time_s,time_std_s,source,engine');
    const original = await readVidurCollective(input);
    const converted = await readGpuProfile(out);
    const strip = (rows: typeof original.rows) => rows.map(({ file: _file, line: _line, ...rest }) => rest);
    expect(strip(converted.rows)).toEqual(strip(original.rows));
    expect(converted.provenance).toEqual(original.provenance);
    const wrong = await runCli(['traces', 'convert', input, '--to', join(dir, 'x.jsonl')]);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("field 'to'");
  });

  it('converts veRL stage timings to JSONL losslessly, and to CSV only with --allow-lossy', async () => {
    const jsonl = join(dir, 'stages.jsonl');
    expect((await runCli(['traces', 'convert', VERL_LOG, '--to', jsonl])).code).toBe(0);
    const original = await readVerlLog(VERL_LOG);
    const converted = await readStageTimings(jsonl);
    expect(converted.iterations).toEqual(original.iterations);
    expect(converted.notes).toEqual(original.notes);
    const csv = join(dir, 'stages.csv');
    expect((await runCli(['traces', 'convert', VERL_LOG, '--to', csv])).code).toBe(2);
    expect((await runCli(['traces', 'convert', VERL_LOG, '--to', csv, '--allow-lossy'])).code).toBe(0);
    const fromCsv = await readStageTimings(csv);
    expect(fromCsv.iterations).toEqual(original.iterations.map((it) => ({ ...it, metrics: {} })));
  });

  it('refuses to convert a side table', async () => {
    const run = await runCli(['traces', 'convert', join(RLLM, 'reward_timings_step_0.jsonl'), '--to', join(dir, 'r.jsonl')]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('is a side table, not a trace');
  });
});
