import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../harness/util/shared-data.js';
import { runCli } from '../cli/run-cli.js';

/**
 * `traces stats` on every public response-length file in shared, against numbers computed here
 * the plain way: read the raw file with fs, JSON.parse or split each line, sort arrays. None of
 * the harness's reading or statistics code is used for the expected values.
 */
interface RawGroup {
  iteration: number;
  prompt: number;
  responses: number[];
  truncated: boolean[];
}

const lines = (path: string): string[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '');

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function summary(values: number[]) {
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, p50: quantile(values, 0.5), p90: quantile(values, 0.9), p99: quantile(values, 0.99), max: Math.max(...values) };
}

function tail(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => b - a);
  const k = Math.max(1, Math.ceil(fraction * values.length));
  return sorted.slice(0, k).reduce((a, b) => a + b, 0) / values.reduce((a, b) => a + b, 0);
}

function expectedFields(groups: RawGroup[]) {
  const responses = groups.flatMap((g) => g.responses);
  const truncated = groups.flatMap((g) => g.truncated).filter(Boolean).length;
  return {
    groups: groups.length,
    samples: responses.length,
    promptTokens: summary(groups.map((g) => g.prompt)),
    responseTokens: summary(responses),
    truncatedFraction: truncated / responses.length,
    tailShare1pct: tail(responses, 0.01),
    tailShare10pct: tail(responses, 0.1),
  };
}

function expectedStats(groups: RawGroup[]) {
  const iterations = [...new Set(groups.map((g) => g.iteration))].sort((a, b) => a - b);
  return {
    iterations: iterations.map((iteration) => ({ iteration, ...expectedFields(groups.filter((g) => g.iteration === iteration)) })),
    total: expectedFields(groups),
  };
}

/** Compares every number of two stats documents to 9 significant digits. */
function expectClose(actual: unknown, expected: unknown, path = ''): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    expect(actual as number, path).toBeCloseTo(expected, 9 - Math.max(0, Math.ceil(Math.log10(Math.abs(expected) + 1))));
  } else if (Array.isArray(expected)) {
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((value, i) => expectClose((actual as unknown[])[i], value, `${path}[${i}]`));
  } else if (expected && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else expect(actual, path).toEqual(expected);
}

function polytraceGroups(dir: string, cap: number | undefined): RawGroup[] {
  const files = readdirSync(dir)
    .filter((name) => /^packed_lengths_step_\d+\.jsonl$/.test(name))
    .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
  return files.flatMap((name) =>
    lines(join(dir, name)).map((line) => {
      const r = JSON.parse(line) as { step: number; input: number; output: number[] };
      return { iteration: r.step, prompt: r.input, responses: r.output, truncated: r.output.map((t) => cap !== undefined && t >= cap) };
    }),
  );
}

const packed = (...parts: string[]) => sharedDataPath('polytrace', ...parts);
const CASES: [string, string, () => RawGroup[]][] = [
  ['PolyTrace DeepCoder 16k (cap 16000 inferred)', packed('rllm', 'profile', 'packed_length_log', '20260616_024512'), () => polytraceGroups(packed('rllm', 'profile', 'packed_length_log', '20260616_024512'), 16000)],
  ['PolyTrace DAPO run 1 (no cap)', packed('verl', 'profile', 'packed_length_log', '20260610_092349'), () => polytraceGroups(packed('verl', 'profile', 'packed_length_log', '20260610_092349'), undefined)],
  ['PolyTrace DAPO run 2 (no cap)', packed('verl', 'profile', 'packed_length_log', '20260614_023133'), () => polytraceGroups(packed('verl', 'profile', 'packed_length_log', '20260614_023133'), undefined)],
  ['PolyTrace video GRPO (cap 16000 inferred)', packed('verl-video', 'profile', 'packed_length_log', '20260609_033329'), () => polytraceGroups(packed('verl-video', 'profile', 'packed_length_log', '20260609_033329'), 16000)],
  [
    'PolyTrace Search-R1 multi-turn (cap 3000 recorded)',
    packed('search_r1', 'profile', 'multiturn_workload_log', '0617_0223'),
    () => {
      const byGroup = new Map<number, { prompt: number; samples: { id: number; len: number; truncated: boolean }[] }>();
      for (const line of lines(packed('search_r1', 'profile', 'multiturn_workload_log', '0617_0223', 'multiturn_workload_step_0.jsonl'))) {
        const r = JSON.parse(line) as { prompt_group_id: number; sample_id: number; prompt_len: number; final_response_len: number; max_response_len: number; finish_reason: string };
        const entry = byGroup.get(r.prompt_group_id) ?? { prompt: r.prompt_len, samples: [] };
        entry.samples.push({ id: r.sample_id, len: r.final_response_len, truncated: r.finish_reason === 'length' || r.final_response_len >= r.max_response_len });
        byGroup.set(r.prompt_group_id, entry);
      }
      return [...byGroup.values()].map((g) => ({ iteration: 0, prompt: g.prompt, responses: g.samples.map((s) => s.len), truncated: g.samples.map((s) => s.truncated) }));
    },
  ],
  ...(['AzureLLMInferenceTrace_code.csv', 'AzureLLMInferenceTrace_conv.csv'] as const).map(
    (name): [string, string, () => RawGroup[]] => [
      `Azure ${name}`,
      sharedDataPath('azure-llm-inference-2023', name),
      () =>
        lines(sharedDataPath('azure-llm-inference-2023', name))
          .slice(1)
          .map((line) => {
            const [, context, generated] = line.split(',');
            return { iteration: 0, prompt: Number(context), responses: [Number(generated)], truncated: [false] };
          }),
    ],
  ),
  [
    'Mooncake conversation trace',
    sharedDataPath('mooncake', 'conversation_trace.jsonl'),
    () =>
      lines(sharedDataPath('mooncake', 'conversation_trace.jsonl')).map((line) => {
        const r = JSON.parse(line) as { input_length: number; output_length: number };
        return { iteration: 0, prompt: r.input_length, responses: [r.output_length], truncated: [false] };
      }),
  ],
  [
    'ShareGPT length stats',
    sharedDataPath('sharegpt-sarathi', 'sharegpt_8k_filtered_stats_llama2_tokenizer.csv'),
    () =>
      lines(sharedDataPath('sharegpt-sarathi', 'sharegpt_8k_filtered_stats_llama2_tokenizer.csv'))
        .slice(1)
        .map((line) => {
          const [prefill, decode] = line.split(',');
          return { iteration: 0, prompt: Number(prefill), responses: [Number(decode)], truncated: [false] };
        }),
  ],
];

describe('traces stats on the public lengths files, cross-checked', () => {
  it.each(CASES)('%s', async (_label, path, raw) => {
    const run = await runCli(['traces', 'stats', path, '--json']);
    expect(run.code, run.err).toBe(0);
    expectClose(JSON.parse(run.out), expectedStats(raw()));
  });

  it('prints a readable table with units in the column names', async () => {
    const run = await runCli(['traces', 'stats', CASES[0]![1]]);
    expect(run.code).toBe(0);
    expect(run.out).toContain('length cap: 16000 tokens (inferred)');
    expect(run.out).toMatch(/^iteration +groups +samples +prompt_tokens_mean +response_tokens_mean +response_tokens_p50 .* tail_share_10pct$/m);
    expect(run.out).toMatch(/^total +80 +640 /m);
  });
});
