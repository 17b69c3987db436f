import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMatches, resolveFormat } from '../../../harness/traces/formats/detect.js';
import { traceFormats } from '../../../harness/traces/formats/index.js';
import { probeTrace } from '../../../harness/traces/formats/probe.js';
import { sharedDataPath } from '../../../harness/util/shared-data.js';
import { fileURLToPath } from 'node:url';
import { scratchDir } from '../../cli/run-cli.js';

const polytrace = (...parts: string[]) => sharedDataPath('polytrace', ...parts);
const PUBLIC: [string, string][] = [
  [polytrace('rllm', 'profile', 'packed_length_log', '20260616_024512'), 'polytrace'],
  [polytrace('rllm', 'profile', 'packed_length_log', '20260616_024512', 'packed_lengths_step_0.jsonl'), 'polytrace'],
  [polytrace('rllm', 'profile', 'packed_length_log', '20260616_024512', 'reward_timings_step_0.jsonl'), 'polytrace-reward-timings'],
  [polytrace('verl', 'profile', 'packed_length_log', '20260614_023133', 'dapo_filter_indices.jsonl'), 'polytrace-dapo-filter'],
  [polytrace('search_r1', 'profile', 'multiturn_workload_log', '0617_0223'), 'polytrace-multiturn'],
  [polytrace('search_r1', 'profile', 'multiturn_workload_log', '0617_0223', 'multiturn_workload_step_0.jsonl'), 'polytrace-multiturn'],
  [sharedDataPath('azure-llm-inference-2023', 'AzureLLMInferenceTrace_code.csv'), 'azure-llm'],
  [sharedDataPath('mooncake', 'conversation_trace.jsonl'), 'mooncake'],
  [sharedDataPath('sharegpt-sarathi', 'sharegpt_8k_filtered_stats_llama2_tokenizer.csv'), 'sharegpt-stats'],
  [sharedDataPath('splitwise-sim', 'perf_model.csv'), 'splitwise-perf-model'],
  [sharedDataPath('vidur', 'data', 'profiling', 'compute', 'h100', 'meta-llama', 'Llama-2-70b-hf', 'mlp.csv'), 'vidur-mlp'],
  [sharedDataPath('vidur', 'data', 'profiling', 'network', 'h100_dgx', 'all_reduce.csv'), 'vidur-collective'],
  [fileURLToPath(new URL('../fixtures/verl-console.log', import.meta.url)), 'verl-log'],
  [sharedDataPath('rl-step-logs', 'logs', 'verl-mi300-deepseek7b', 'grpo_run_deepseek7b_llm.log'), 'verl-log'],
  // Dec-2024 logs: `timing/<stage>` names, and (0.538) two stray NUL bytes from NCCL's debug output.
  [sharedDataPath('rl-step-logs', 'logs', 'verl-team-gsm8k', 'Qwen2.5-0.5B-bsz256_2-prompt1024-resp512-0.567.log'), 'verl-log'],
  [sharedDataPath('rl-step-logs', 'logs', 'verl-team-gsm8k', 'Qwen2.5-0.5B-bsz256_2-prompt512-resp256-0.538.log'), 'verl-log'],
  [sharedDataPath('rl-step-logs', 'logs', 'verl-team-gsm8k', 'gemma-2-2b-it-ppo-bsz512_4-prompt1024-resp-512-0.640.log'), 'verl-log'],
  [sharedDataPath('rl-step-logs', 'runs.csv'), 'recorded-runs-csv'],
];

describe('format detection', () => {
  it.each(PUBLIC)('detects %s as %s, and no other format claims it', async (path, expected) => {
    const probe = await probeTrace(path);
    expect(traceFormats.filter((format) => formatMatches(format, probe)).map((f) => f.name)).toEqual([expected]);
    expect((await resolveFormat(path, traceFormats)).name).toBe(expected);
  });

  it.each([
    sharedDataPath('rl-step-logs', 'logs', 'verl-qwen2-7b-gpg', 'qwen2-7b_math.log'),
    sharedDataPath('rl-step-logs', 'logs', 'verl-qwen2-7b-gpg', 'qwen2-7b_math_megatron.log'),
  ])('detects %s as verl-log by reading past the probed head (the config dump comes first)', async (path) => {
    const probe = await probeTrace(path);
    expect(traceFormats.filter((format) => formatMatches(format, probe))).toEqual([]);
    expect((await resolveFormat(path, traceFormats)).name).toBe('verl-log');
  });

  it('has unique format names', () => {
    const names = traceFormats.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('finds a veRL log whose first metric line sits beyond the probed head', async () => {
    const dir = await scratchDir();
    const path = join(dir, 'train.log');
    writeFileSync(path, `${'config: x\n'.repeat(20_000)}(TaskRunner pid=1) step:1 - timing_s/gen:1.000 - timing_s/step:2.000\n`);
    expect((await resolveFormat(path, traceFormats)).name).toBe('verl-log');
  });

  it('lists what an unknown CSV could be, closest first, with what it lacks', async () => {
    const dir = await scratchDir();
    const path = join(dir, 'mystery.csv');
    writeFileSync(path, 'iteration,group_id,response_tokens\n0,g,5\n');
    const error = (await resolveFormat(path, traceFormats).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: cannot tell the trace format: found a CSV header with columns iteration, group_id, response_tokens\\. It could be: lengths-csv \\(.*; missing prompt_tokens\\); `));
    expect(error.message).toContain('Pass --format NAME to force one');
    for (const name of ['azure-llm', 'sharegpt-stats', 'vidur-mlp', 'splitwise-perf-model', 'gpu-profile-csv', 'stage-timings-csv']) expect(error.message).toContain(name);
    expect(error.message).not.toContain('mooncake');
  });

  it('rejects an unknown --format name, listing the known ones', async () => {
    const path = sharedDataPath('mooncake', 'conversation_trace.jsonl');
    await expect(resolveFormat(path, traceFormats, { format: 'moon' })).rejects.toThrow(`${path}: field 'format' value 'moon': unknown format; known formats: lengths-jsonl, lengths-csv,`);
  });

  it('says what a file holds when it is the wrong kind', async () => {
    const path = sharedDataPath('splitwise-sim', 'perf_model.csv');
    await expect(resolveFormat(path, traceFormats, { kind: 'lengths' })).rejects.toThrow(
      `${path}: field 'format' value 'splitwise-perf-model': holds GPU operator timings (a GPU profile), but response lengths (a workload) is needed here`,
    );
  });

  it('takes a veRL log as response lengths too (synthesized from its step statistics), and says it holds both kinds', async () => {
    const path = sharedDataPath('rl-step-logs', 'logs', 'verl-team-gsm8k', 'gemma-2-2b-it-ppo-bsz512_4-prompt1024-resp-512-0.640.log');
    expect((await resolveFormat(path, traceFormats, { kind: 'lengths' })).name).toBe('verl-log');
    expect((await resolveFormat(path, traceFormats, { kind: 'stage-timings' })).name).toBe('verl-log');
    await expect(resolveFormat(path, traceFormats, { kind: 'gpu-profile' })).rejects.toThrow(
      `${path}: field 'format' value 'verl-log': holds per-iteration stage timings and response lengths synthesized from its per-step length statistics (a synthetic workload), but GPU operator timings (a GPU profile) is needed here`,
    );
  });

  it('recognises compressed files instead of reading them as text', async () => {
    const gz = sharedDataPath('hta-kineto', 'tests', 'data', 'amd_trace', 'mi250_minitoy_train_ROCm6_2_kineto.json.gz');
    await expect(resolveFormat(gz, traceFormats)).rejects.toThrow(`${gz}: is gzip-compressed: decompress it first`);
  });

  it('reports a missing path as a missing file, not a crash', async () => {
    await expect(resolveFormat('/no/such/trace.jsonl', traceFormats)).rejects.toThrow('/no/such/trace.jsonl: no such file or directory');
  });
});
