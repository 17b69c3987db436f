import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPolyTraceMultiturn } from '../../../harness/traces/adapters/polytrace-multiturn.js';
import { sharedDataPath } from '../../../harness/util/shared-data.js';
import { scratchDir } from '../../cli/run-cli.js';

const DIR = sharedDataPath('polytrace', 'search_r1', 'profile', 'multiturn_workload_log', '0617_0223');
const FILE = join(DIR, 'multiturn_workload_step_0.jsonl');

interface RawTrajectory {
  prompt_group_id: number;
  sample_id: number;
  prompt_len: number;
  max_response_len: number;
  final_response_len: number;
  finish_reason: string;
  turns: { turn: number; prompt_tokens: number; cached_tokens: number; completion_tokens: number }[];
  tool_calls: { turn: number; latency_s: number }[];
}

describe('readPolyTraceMultiturn on the Search-R1 slice', () => {
  const raw = readFileSync(FILE, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RawTrajectory);

  it('groups trajectories by prompt_group_id, samples in sample_id order', async () => {
    const workload = await readPolyTraceMultiturn(DIR);
    const groups = workload.iterations[0]!.groups;
    expect(groups).toHaveLength(64);
    expect(groups.every((g) => g.responseTokens.length === 8)).toBe(true);
    const group5 = groups.find((g) => g.groupId === '0/5')!;
    const rawGroup5 = raw.filter((t) => t.prompt_group_id === 5).sort((a, b) => a.sample_id - b.sample_id);
    expect(group5.responseTokens).toEqual(rawGroup5.map((t) => t.final_response_len));
    expect(group5.promptTokens).toBe(rawGroup5[0]!.prompt_len);
  });

  it('records the cap, truncation, per-turn tokens and tool latency', async () => {
    const workload = await readPolyTraceMultiturn(DIR);
    expect(workload.meta).toMatchObject({ maxResponseTokens: 3000, maxResponseTokensSource: 'recorded', format: 'polytrace-multiturn' });
    const samples = workload.iterations[0]!.groups.flatMap((g) => g.responseTokens.map((_, i) => ({ g, i })));
    const truncatedExpected = raw.filter((t) => t.finish_reason === 'length' || t.final_response_len >= t.max_response_len).length;
    expect(samples.filter(({ g, i }) => g.truncated[i]).length).toBe(truncatedExpected);
    const toolTotal = raw.reduce((sum, t) => sum + t.tool_calls.reduce((s, c) => s + c.latency_s, 0), 0);
    const readTotal = workload.iterations[0]!.groups.reduce((sum, g) => sum + g.toolLatencyS!.reduce((a, b) => a + b, 0), 0);
    expect(readTotal).toBeCloseTo(toolTotal, 9);
    const first = raw.find((t) => t.prompt_group_id === 0 && t.sample_id === 0)!;
    const turns = workload.iterations[0]!.groups[0]!.turns![0]!;
    expect(turns.map((t) => [t.promptTokens, t.cachedTokens, t.completionTokens])).toEqual(first.turns.map((t) => [t.prompt_tokens, t.cached_tokens, t.completion_tokens]));
    expect(turns[0]!.toolLatencyS).toBeCloseTo(first.tool_calls.filter((c) => c.turn === 0).reduce((s, c) => s + c.latency_s, 0), 12);
  });

  it('rejects trajectories that disagree on the cap', async () => {
    const dir = await scratchDir();
    const path = join(dir, 'multiturn_workload_step_0.jsonl');
    const lines = readFileSync(FILE, 'utf8').trim().split('\n').slice(0, 2);
    const second = JSON.parse(lines[1]!) as RawTrajectory;
    second.max_response_len = 4096;
    writeFileSync(path, `${lines[0]}\n${JSON.stringify(second)}\n`);
    const column = JSON.stringify(second).indexOf('"max_response_len":') + '"max_response_len":'.length + 1;
    await expect(readPolyTraceMultiturn(path)).rejects.toThrow(`${path}:2:${column}: field 'max_response_len' value '4096': differs from 3000 (${path}:1); one trace has one cap`);
  });
});
