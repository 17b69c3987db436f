import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectWorkload } from '../../../harness/traces/length-stream.js';
import { readStageTimings, readWorkload, streamLengthGroups } from '../../../harness/traces/read.js';
import type { SampleGroup } from '../../../harness/traces/types.js';
import { readVerlRun } from '../../../harness/traces/verl/read-run.js';
import { planVerlWorkload, verlStepGroups } from '../../../harness/traces/verl/workload.js';
import { sharedDataPath } from '../../../harness/util/shared-data.js';
import { scratchDir } from '../../cli/run-cli.js';

const LOG = (...parts: string[]) => sharedDataPath('rl-step-logs', 'logs', ...parts);
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** What a log's step lines say, read here with a plain regex (not the project's reader): the last line of each step wins, as veRL's resumed runs relog. */
interface LoggedStep {
  readonly responseMean: number;
  readonly responseMax: number;
  readonly clipRatio?: number;
  readonly promptMean: number;
  readonly totalTokens?: number;
}
function loggedSteps(path: string): Map<number, LoggedStep> {
  const steps = new Map<number, LoggedStep>();
  for (const raw of readFileSync(path, 'latin1').split('\n')) {
    const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
    const match = /step:(\d+) - (.*)$/.exec(line);
    if (!match || !/timing(_s)?\//.test(match[2]!)) continue;
    const field = (key: string) => {
      const value = new RegExp(`(?:^| - )${key.replace(/\//g, '\\/')}:([-0-9.]+)`).exec(match[2]!)?.[1];
      return value === undefined ? undefined : Number(value);
    };
    const clipRatio = field('response_length/clip_ratio');
    const totalTokens = field('perf/total_num_tokens') ?? field('total_num_tokens');
    steps.set(Number(match[1]), {
      responseMean: field('response_length/mean')!,
      responseMax: field('response_length/max')!,
      promptMean: field('prompt_length/mean')!,
      ...(clipRatio !== undefined ? { clipRatio } : {}),
      ...(totalTokens !== undefined ? { totalTokens } : {}),
    });
  }
  return steps;
}

/**
 * Each shared log's batch (data.train_batch_size prompts × rollout.n) and cap
 * (data.max_response_length), as the files say (grep of the launch command or printed config;
 * n = 1 where the log sets none: veRL's default, or the SamplingParams the rollout printed).
 */
const SHARED = [
  { name: 'grpo_run_deepseek7b_llm.log', file: LOG('verl-mi300-deepseek7b', 'grpo_run_deepseek7b_llm.log'), batch: 1024, n: 5, cap: 1024 },
  { name: 'ppo_run_deepseek7b_llm.log', file: LOG('verl-mi300-deepseek7b', 'ppo_run_deepseek7b_llm.log'), batch: 1024, n: 1, cap: 512 },
  { name: 'qwen2-7b_math.log', file: LOG('verl-qwen2-7b-gpg', 'qwen2-7b_math.log'), batch: 1024, n: 5, cap: 1024 },
  { name: 'qwen2-7b_math_megatron.log', file: LOG('verl-qwen2-7b-gpg', 'qwen2-7b_math_megatron.log'), batch: 1024, n: 5, cap: 1024 },
  { name: 'Qwen2.5-0.5B-bsz256_2-prompt1024-resp512-0.567.log', file: LOG('verl-team-gsm8k', 'Qwen2.5-0.5B-bsz256_2-prompt1024-resp512-0.567.log'), batch: 256, n: 1, cap: 512 },
  { name: 'Qwen2.5-0.5B-bsz256_2-prompt512-resp256-0.538.log', file: LOG('verl-team-gsm8k', 'Qwen2.5-0.5B-bsz256_2-prompt512-resp256-0.538.log'), batch: 256, n: 1, cap: 256 },
  { name: 'gemma-2-2b-it-ppo-bsz512_4-prompt1024-resp-512-0.640.log', file: LOG('verl-team-gsm8k', 'gemma-2-2b-it-ppo-bsz512_4-prompt1024-resp-512-0.640.log'), batch: 512, n: 1, cap: 512 },
];

describe('a whole veRL log read as a workload', () => {
  it.each(SHARED)('$name: one iteration per logged step, its batch, lengths matching its statistics', async ({ file, batch, n, cap }) => {
    const logged = loggedSteps(file);
    const stream = await streamLengthGroups(file);
    expect(stream.meta).toMatchObject({ format: 'verl-log', synthetic: true, maxResponseTokens: cap, maxResponseTokensSource: 'recorded' });
    expect(stream.meta.notes.every((note) => note.includes('synthesized'))).toBe(true);
    expect(stream.meta.notes[0]).toContain(`data.train_batch_size = ${batch} prompts`);
    expect(stream.meta.notes[0]).toContain(`actor_rollout_ref.rollout.n = ${n} responses per prompt`);
    expect(stream.meta.notes[0]).toContain(`lognormal capped at data.max_response_length = ${cap} tokens`);
    // Where the log has no clip ratio and the max is the cap, the share at the cap is an assumption, and a note says on how many steps.
    const unknownClip = [...logged.values()].filter((step) => step.clipRatio === undefined && step.responseMax >= cap).length;
    const assumption = stream.meta.notes.filter((note) => note.startsWith('synthesized lengths, assumption on '));
    expect(assumption).toEqual(unknownClip === 0 ? [] : [expect.stringContaining(`assumption on ${unknownClip} steps: the log has no response_length/clip_ratio`)]);
    const samples = batch * n;
    const seen: number[] = [];
    let worstMeanError = 0;
    const check = (step: number, groups: SampleGroup[]) => {
      const log = logged.get(step)!;
      expect(groups).toHaveLength(batch);
      const lengths = groups.flatMap((g) => g.responseTokens);
      expect(groups.every((g) => g.responseTokens.length === n && g.truncated.length === n)).toBe(true);
      expect(groups.every((g) => g.truncated.every((t, i) => t === g.responseTokens[i]! >= cap))).toBe(true);
      expect(new Set(groups.map((g) => g.promptTokens))).toEqual(new Set([Math.round(log.promptMean)]));
      const mean = lengths.reduce((a, b) => a + b, 0) / samples;
      worstMeanError = Math.max(worstMeanError, Math.abs(mean / log.responseMean - 1));
      const max = Math.max(...lengths);
      expect(max).toBeLessThanOrEqual(cap);
      // The longest sample is the logged max (drawn at the 1 − ½/N quantile, or the cap when responses were clipped), to a token.
      expect(Math.abs(max - Math.min(log.responseMax, cap))).toBeLessThanOrEqual(1);
      // The share at the cap is the logged clip ratio (printed to 3 decimals), to one sample.
      const atCap = lengths.filter((l) => l >= cap).length / samples;
      const clip = log.clipRatio ?? 0;
      expect(Math.abs(atCap - clip)).toBeLessThanOrEqual(0.0005 + 1 / samples + (log.clipRatio === undefined || log.clipRatio === 0 ? 1 / samples : 0));
      // veRL's perf/total_num_tokens is the batch's prompt + response tokens: B × n samples of these lengths, to 1 %.
      if (log.totalTokens !== undefined) {
        const tokens = groups.reduce((sum, g) => sum + n * g.promptTokens + g.responseTokens.reduce((a, b) => a + b, 0), 0);
        expect(Math.abs(tokens / log.totalTokens - 1)).toBeLessThan(0.01);
      }
    };
    let current: { step: number; groups: SampleGroup[] } | undefined;
    for await (const { group } of stream.groups) {
      if (current?.step !== group.iteration) {
        if (current) check(current.step, current.groups);
        current = { step: group.iteration, groups: [] };
        seen.push(group.iteration);
      }
      current.groups.push(group);
    }
    check(current!.step, current!.groups);
    // Every logged step is an iteration, in order: no step of these logs lacks statistics or fails to solve.
    expect(seen).toEqual([...logged.keys()].sort((a, b) => a - b));
    expect(worstMeanError).toBeLessThan(0.01);
  });

  it('skips a step without length statistics, and one whose statistics fit no capped lognormal, each with its note', async () => {
    const path = fixture('workload-steps.log');
    const workload = await readWorkload(path);
    expect(workload.iterations.map((it) => it.iteration)).toEqual([1, 4]);
    expect(workload.meta.notes).toContain('synthesized lengths: step 2 (line 3) skipped, no iteration: no response_length/mean logged');
    expect(workload.meta.notes).toContain('synthesized lengths: step 3 (line 4) skipped, no iteration: response_length/mean 30, /max 25 fit no lognormal capped at 64');
    expect(workload.meta.notes[0]).toContain('Each logged step (2 of 4) is one iteration of data.train_batch_size = 8 prompts (launch command, line 1) × actor_rollout_ref.rollout.n = 2 responses per prompt (launch command, line 1)');
    expect(workload.meta.notes).toContain('synthesized lengths solved for response_length/mean and /clip_ratio on 1 step; response_length/mean and /max (the longest sample) on 1 step');
    expect(workload.meta.notes).toContain("synthesized lengths: the log has no perf/total_num_tokens, so the 16 samples per step are the configuration's, unchecked");
    const [one, four] = workload.iterations.map((it) => it.groups);
    // Step 1: 8 prompts × 2; clip ratio 0.062 of 16 samples is 1 at the cap 64; prompts at round(10.4).
    expect(one!.map((g) => g.responseTokens.length)).toEqual(Array(8).fill(2));
    expect(one!.flatMap((g) => g.responseTokens).filter((l) => l === 64)).toHaveLength(1);
    expect(one!.flatMap((g) => g.truncated).filter(Boolean)).toHaveLength(1);
    expect(one!.every((g) => g.promptTokens === 10)).toBe(true);
    // Step 4: no clip ratio; the longest of 16 is the logged max 50; prompts at round(9.6).
    expect(Math.max(...four!.flatMap((g) => g.responseTokens))).toBe(50);
    expect(four!.every((g) => g.promptTokens === 10)).toBe(true);
    // Group ids restart per step; prompt ids are new each step (a run draws new prompts).
    expect(four!.map((g) => [g.groupId, g.promptId])).toEqual([...Array(8).keys()].map((g) => [String(g), `4/${g}`]));
    // The same file still reads as stage timings, all four steps.
    expect((await readStageTimings(path)).iterations.map((it) => it.iteration)).toEqual([1, 2, 3, 4]);
  });

  it('is deterministic: the same log gives the same groups; each step deals its own order', async () => {
    const file = SHARED[6]!.file;
    const a = await readWorkload(file);
    const b = await readWorkload(file);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const plan = planVerlWorkload(await readVerlRun(file));
    const step = plan.steps[3]!;
    expect(verlStepGroups(step)).toEqual(a.iterations[3]!.groups);
    expect(verlStepGroups(step, 2)).not.toEqual(verlStepGroups(step));
    expect(verlStepGroups(step, 2).flatMap((g) => g.responseTokens).sort((x, y) => x - y)).toEqual(verlStepGroups(step).flatMap((g) => g.responseTokens).sort((x, y) => x - y));
  });

  it('takes a given cap in place of the run’s, and says so', async () => {
    const stream = await streamLengthGroups(fixture('workload-steps.log'), { maxResponseTokens: 40 });
    expect(stream.meta).toMatchObject({ maxResponseTokens: 40, maxResponseTokensSource: 'given' });
    expect(stream.meta.notes).toContain("synthesized lengths: cap 40 given, in place of the run's data.max_response_length = 64; each step's clip ratio is read as the share at the given cap");
    expect(stream.meta.notes).toContain('synthesized lengths: response_length/max exceeds the cap 40 on steps 1, 4: lengths capped at 40');
    const workload = await collectWorkload(stream);
    const lengths = workload.iterations.flatMap((it) => it.groups.flatMap((g) => g.responseTokens));
    expect(Math.max(...lengths)).toBe(40);
  });
});

describe('a veRL log that cannot be a workload', () => {
  it('without a launch command or printed config: located at the first step line', async () => {
    const path = join(fileURLToPath(new URL('./fixtures/', import.meta.url)), 'no-config.log');
    await expect(streamLengthGroups(path)).rejects.toThrow(
      `${path}:1: no launch command (\`python3 -m verl.trainer.main_ppo …\`, a \`command:\` header) and no printed config dict before this first step line: the run's configuration is unknown`,
    );
  });

  it('whose configuration does not state the batch size: names the key', async () => {
    const path = fileURLToPath(new URL('../fixtures/verl-console.log', import.meta.url));
    await expect(readWorkload(path)).rejects.toThrow(
      `${path}: field 'data.train_batch_size': is unknown: neither a launch command nor the printed config (lines 2–2) sets it, so the log's workload (prompts per step) cannot be synthesized`,
    );
  });

  it('whose steps log no length statistics: located at the first step', async () => {
    const dir = await scratchDir('verl-workload');
    const path = join(dir, 'no-lengths.log');
    await writeFile(
      path,
      '+ python3 -m verl.trainer.main_ppo data.train_batch_size=8 data.max_response_length=64\nstep:1 - timing_s/gen:1.000 - timing_s/step:2.000\nstep:2 - timing_s/gen:1.000 - timing_s/step:2.000\n',
    );
    await expect(readWorkload(path)).rejects.toThrow(`${path}:2: none of the 2 logged steps has length statistics a workload can be synthesized from (no response_length/mean logged)`);
  });
});
