import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAzureTimestamp, readAzureTrace } from '../../../harness/traces/adapters/azure.js';
import { readMooncakeTrace } from '../../../harness/traces/adapters/mooncake.js';
import { readShareGptStats } from '../../../harness/traces/adapters/sharegpt.js';
import { sharedDataPath } from '../../../harness/util/shared-data.js';
import { scratchDir } from '../../cli/run-cli.js';

const csvRows = (path: string): string[][] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));

describe('readAzureTrace', () => {
  it.each(['AzureLLMInferenceTrace_code.csv', 'AzureLLMInferenceTrace_conv.csv'])('reads %s as groups of one with arrival times', async (name) => {
    const path = sharedDataPath('azure-llm-inference-2023', name);
    const rows = csvRows(path);
    const workload = await readAzureTrace(path);
    const groups = workload.iterations[0]!.groups;
    expect(workload.iterations).toHaveLength(1);
    expect(workload.meta).toMatchObject({ format: 'azure-llm', singleResponseGroups: true, synthetic: false });
    expect(workload.meta.maxResponseTokens).toBeUndefined();
    expect(groups.map((g) => g.promptTokens)).toEqual(rows.map((r) => Number(r[1])));
    expect(groups.map((g) => g.responseTokens)).toEqual(rows.map((r) => [Number(r[2])]));
    // Last arrival from the raw timestamps, computed with Date on the millisecond part plus the sub-ms digits.
    const seconds = (stamp: string) => Date.parse(`${stamp.slice(0, 19).replace(' ', 'T')}Z`) / 1000 + Number(`0.${stamp.split('.')[1]}`);
    const expectedLast = seconds(rows.at(-1)![0]!) - seconds(rows[0]![0]!);
    expect(groups.at(-1)!.arrivalTimeS).toBeCloseTo(expectedLast, 6);
    expect(groups[0]!.arrivalTimeS).toBe(0);
  });

  it('parses timestamps with 7 fractional digits', () => {
    expect(parseAzureTimestamp('2023-11-16 18:17:03.9799600')).toEqual({ seconds: Date.UTC(2023, 10, 16, 18, 17, 3) / 1000, fraction: 0.97996 });
    expect(parseAzureTimestamp('2023-13-16 18:17:03')).toBeUndefined();
    expect(parseAzureTimestamp('yesterday')).toBeUndefined();
  });

  it('rejects rows out of time order', async () => {
    const dir = await scratchDir();
    const path = join(dir, 'azure.csv');
    writeFileSync(path, 'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:04.0,10,5\n2023-11-16 18:17:03.0,10,5\n');
    await expect(readAzureTrace(path)).rejects.toThrow(`${path}:3:1: field 'TIMESTAMP' value '2023-11-16 18:17:03.0': is earlier than the first request: rows must be in time order`);
  });
});

describe('readMooncakeTrace', () => {
  const path = sharedDataPath('mooncake', 'conversation_trace.jsonl');
  it('keeps hash_ids as 512-token prefix blocks and timestamps as seconds', async () => {
    const raw = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { timestamp: number; input_length: number; output_length: number; hash_ids: number[] });
    const workload = await readMooncakeTrace(path);
    const groups = workload.iterations[0]!.groups;
    expect(groups).toHaveLength(raw.length);
    expect(groups[1]).toEqual({
      iteration: 0,
      groupId: '1',
      promptId: '1',
      promptTokens: raw[1]!.input_length,
      prefixBlockIds: raw[1]!.hash_ids,
      prefixBlockTokens: 512,
      responseTokens: [raw[1]!.output_length],
      truncated: [false],
      arrivalTimeS: raw[1]!.timestamp / 1000,
    });
    expect(groups.at(-1)!.arrivalTimeS).toBe(raw.at(-1)!.timestamp / 1000);
    expect(workload.meta.singleResponseGroups).toBe(true);
  });

  it('rejects hash_ids that do not cover the prompt in 512-token blocks', async () => {
    const dir = await scratchDir();
    const bad = join(dir, 'mooncake.jsonl');
    writeFileSync(bad, `${JSON.stringify({ timestamp: 0, input_length: 1025, output_length: 3, hash_ids: [0, 1] })}\n`);
    await expect(readMooncakeTrace(bad)).rejects.toThrow(`${bad}:1:65: field 'hash_ids' value '[0,1]': has 2 blocks, but input_length 1025 needs ceil(1025 / 512) = 3`);
  });
});

describe('readShareGptStats', () => {
  const path = sharedDataPath('sharegpt-sarathi', 'sharegpt_8k_filtered_stats_llama2_tokenizer.csv');
  it('reads one assistant turn per row as a group of one', async () => {
    const rows = csvRows(path);
    const workload = await readShareGptStats(path);
    const groups = workload.iterations[0]!.groups;
    expect(groups).toHaveLength(rows.length);
    expect(groups.map((g) => g.promptTokens)).toEqual(rows.map((r) => Number(r[0])));
    expect(groups.map((g) => g.responseTokens[0])).toEqual(rows.map((r) => Number(r[1])));
    expect(workload.meta).toMatchObject({ format: 'sharegpt-stats', singleResponseGroups: true });
  });

  it('marks samples at a given cap truncated', async () => {
    const rows = csvRows(path);
    const workload = await readShareGptStats(path, { maxResponseTokens: 1024 });
    const truncated = workload.iterations[0]!.groups.filter((g) => g.truncated[0]).length;
    expect(truncated).toBe(rows.filter((r) => Number(r[1]) >= 1024).length);
    expect(workload.meta).toMatchObject({ maxResponseTokens: 1024, maxResponseTokensSource: 'given' });
  });

  it('rejects a total that is not prefill + decode', async () => {
    const dir = await scratchDir();
    const bad = join(dir, 'sharegpt.csv');
    writeFileSync(bad, 'num_prefill_tokens,num_decode_tokens,num_total_tokens,pd_ratio\n10,5,16,2\n');
    await expect(readShareGptStats(bad)).rejects.toThrow(`${bad}:2:3: field 'num_total_tokens' value '16': differs from num_prefill_tokens + num_decode_tokens = 15`);
  });
});
