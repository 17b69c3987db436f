import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readVidurCollective, readVidurMlp } from '../../../harness/traces/adapters/vidur.js';
import { sharedDataPath } from '../../../harness/util/shared-data.js';
import { isInputError } from '../../../harness/util/input-error.js';
import { scratchDir } from '../../cli/run-cli.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const compute = (sku: string, model: string) => sharedDataPath('vidur', 'data', 'profiling', 'compute', sku, 'meta-llama', model, 'mlp.csv');
const network = (node: string, file: string) => sharedDataPath('vidur', 'data', 'profiling', 'network', node, file);

/** The raw CSV, split the simple way (Vidur files have no quoted fields). */
function rawTable(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((line) => line.split(',')) };
}

describe('readVidurMlp', () => {
  it.each([
    ['h100', 'Llama-2-70b-hf', 'h100-sxm', 'llama-2-70b'],
    ['h100', 'Llama-2-7b-hf', 'h100-sxm', 'llama-2-7b'],
    ['a100', 'Llama-2-7b-hf', 'a100-80gb', 'llama-2-7b'],
    ['a100', 'Meta-Llama-3-8B', 'a100-80gb', 'llama-3-8b'],
  ])('reads %s/%s as one row per (CSV row, operator) with catalog ids', async (sku, model, deviceId, modelId) => {
    const path = compute(sku, model);
    const raw = rawTable(path);
    const ops = raw.header.filter((name) => name.endsWith('.median')).map((name) => name.split('.')[1]!);
    expect(ops).toEqual(['emb', 'input_layernorm', 'attn_pre_proj', 'attn_rope', 'attn_post_proj', 'post_attention_layernorm', 'mlp_up_proj', 'mlp_act', 'mlp_down_proj', 'add']);
    const profile = await readVidurMlp(path);
    expect(profile.format).toBe('vidur-mlp');
    expect(profile.rows).toHaveLength(raw.rows.length * ops.length);
    expect(new Set(profile.rows.map((row) => row.device))).toEqual(new Set([deviceId]));
    expect(new Set(profile.rows.map((row) => row.model))).toEqual(new Set([modelId]));
    expect(profile.notes.join(' ')).not.toMatch(/no catalog id/);
  });

  it('converts the median and std from ms to s and keys rows by num_tokens and TP', async () => {
    const path = compute('h100', 'Llama-2-70b-hf');
    const raw = rawTable(path);
    const col = (name: string) => raw.header.indexOf(name);
    const profile = await readVidurMlp(path);
    // Row 10 of the file (line 11), operator mlp_up_proj, checked against the raw cells.
    const cells = raw.rows[9]!;
    const row = profile.rows.find((r) => r.line === 11 && r.op === 'mlp_up_proj')!;
    expect(row.tokens).toBe(Number(cells[col('num_tokens')]));
    expect(row.tp).toBe(Number(cells[col('num_tensor_parallel_workers')]));
    expect(row.timeS).toBeCloseTo(Number(cells[col('time_stats.mlp_up_proj.median')]) / 1000, 15);
    expect(row.timeStdS).toBeCloseTo(Number(cells[col('time_stats.mlp_up_proj.std')]) / 1000, 15);
    expect(new Set(profile.rows.map((r) => r.tp))).toEqual(new Set(raw.rows.map((c) => Number(c[col('num_tensor_parallel_workers')]))));
  });

  it('records the model shape and where the data came from', async () => {
    const profile = await readVidurMlp(compute('h100', 'Llama-2-70b-hf'));
    expect(profile.notes).toContain('model shape columns: n_head=64 n_kv_head=8 n_embd=8192 n_expanded_embd=28672 vocab_size=32768 use_gated_mlp=True');
    expect(profile.provenance[0]!.source).toContain('compute/h100/meta-llama/Llama-2-70b-hf/mlp.csv');
  });

  it('keeps an unknown folder name and says so', async () => {
    const dir = await scratchDir();
    const path = join(dir, 'mlp.csv');
    writeFileSync(path, 'time_stats.emb.median,time_stats.emb.std,num_tokens,num_tensor_parallel_workers\n0.5,0.01,128,2\n');
    const profile = await readVidurMlp(path);
    expect(profile.rows).toEqual([{ device: expect.any(String), model: expect.any(String), op: 'emb', tokens: 128, tp: 2, timeS: 0.0005, timeStdS: 0.00001, file: path, line: 2 }]);
    expect(profile.notes.some((note) => note.includes('has no catalog id'))).toBe(true);
  });

  it('rejects a negative time with file, line, column and field', async () => {
    const dir = await scratchDir();
    const path = join(dir, 'mlp.csv');
    writeFileSync(path, 'time_stats.emb.median,num_tokens,num_tensor_parallel_workers\n-0.5,128,2\n');
    const error = await readVidurMlp(path).catch((e: unknown) => e);
    expect(isInputError(error)).toBe(true);
    expect((error as Error).message).toBe(`${path}:2:1: field 'time_stats.emb.median' value '-0.5': must not be negative`);
  });
});

describe('readVidurCollective', () => {
  it.each([
    ['a100_dgx', 'all_reduce.csv', 'a100-80gb', 'all_reduce'],
    ['a100_dgx', 'send_recv.csv', 'a100-80gb', 'send_recv'],
    ['h100_dgx', 'all_reduce.csv', 'h100-sxm', 'all_reduce'],
    ['h100_dgx', 'send_recv.csv', 'h100-sxm', 'send_recv'],
  ])('reads %s/%s: bytes, workers, cross-node from devices_per_node', async (node, file, deviceId, op) => {
    const path = network(node, file);
    const raw = rawTable(path);
    const col = (name: string) => raw.header.indexOf(name);
    const profile = await readVidurCollective(path);
    expect(profile.rows).toHaveLength(raw.rows.length);
    expect(new Set(profile.rows.map((r) => r.device))).toEqual(new Set([deviceId]));
    expect(new Set(profile.rows.map((r) => r.op))).toEqual(new Set([op]));
    const expectedCrossNode = raw.rows.filter((c) => Number(c[col('devices_per_node')]) < Number(c[col('num_workers')])).length;
    expect(profile.rows.filter((r) => r.crossNode).length).toBe(expectedCrossNode);
    const first = raw.rows[0]!;
    expect(profile.rows[0]).toMatchObject({ model: '', tp: 1, bytes: Number(first[col('size')]), workers: Number(first[col('num_workers')]), line: 2 });
    expect(profile.rows[0]!.timeS).toBeCloseTo(Number(first[col(`time_stats.${op}.median`)]) / 1000, 15);
  });

  it('finds cross-node all-reduce only where workers exceed the devices per node (a100: 16 workers on 8-GPU nodes)', async () => {
    const profile = await readVidurCollective(network('a100_dgx', 'all_reduce.csv'));
    const sixteen = profile.rows.filter((r) => r.workers === 16);
    expect(sixteen.length).toBeGreaterThan(0);
    expect(sixteen.every((r) => r.crossNode)).toBe(true);
  });
});
