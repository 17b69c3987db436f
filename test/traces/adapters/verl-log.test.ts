import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gpusFromThroughput, parseVerlValue, readVerlLog, splitVerlFields } from '../../../harness/traces/adapters/verl-log.js';
import { readStageTimings } from '../../../harness/traces/read.js';
import { sharedDataPath } from '../../../harness/util/shared-data.js';
import { scratchDir } from '../../cli/run-cli.js';

/** Hand-written from veRL's console logger format and metric names (see traces/README.md). */
const FIXTURE = fileURLToPath(new URL('../fixtures/verl-console.log', import.meta.url));

describe('readVerlLog on the fixture', () => {
  it('reads one iteration per training step, skipping other output and validation-only lines', async () => {
    const trace = await readVerlLog(FIXTURE);
    expect(trace.format).toBe('verl-log');
    expect(trace.iterations.map((it) => it.iteration)).toEqual([1, 2, 3, 4]);
    expect(trace.notes).toContain('1 metric lines without timing_s/* (validation-only) skipped');
  });

  it('splits timing_s/* into stages and the step, and keeps other numbers as metrics', async () => {
    const [first] = (await readVerlLog(FIXTURE)).iterations;
    expect(first!.stagesS).toEqual({
      adv: 0.311,
      gen: 41.027,
      generate_sequences: 38.912,
      old_log_prob: 9.871,
      ref: 8.993,
      reward: 1.204,
      update_actor: 24.18,
      update_critic: 22.45,
      values: 9.102,
    });
    expect(first!.stepS).toBe(118.038);
    expect(first!.metrics['response_length/mean']).toBe(412.337);
    expect(first!.metrics['timing_per_token_ms/gen']).toBeDefined();
    expect(Object.keys(first!.metrics).some((key) => key.startsWith('timing_s/'))).toBe(false);
  });

  it('recovers the GPU count from veRL throughput metrics', async () => {
    const trace = await readVerlLog(FIXTURE);
    expect(trace.iterations.map((it) => it.gpus)).toEqual([16, 16, 16, 16]);
    expect(gpusFromThroughput({ 'perf/total_num_tokens': 1_000_000, 'perf/throughput': 1000 / 8, 'perf/time_per_step': 1000 })).toBe(8);
    expect(gpusFromThroughput({ 'perf/total_num_tokens': 1_000_000, 'perf/throughput': 1000 / 8.5, 'perf/time_per_step': 1000 })).toBeUndefined();
  });

  it('reads Ray prefixes, ANSI colours and numpy reprs, and keeps the later of a re-logged step', async () => {
    const trace = await readVerlLog(FIXTURE);
    expect(trace.iterations[1]!.stagesS.gen).toBe(46.718); // the ANSI-coloured line
    expect(trace.iterations[2]!.stagesS.gen).toBe(52.9); // step 3 logged twice: np.float64 line, then the resumed run's
    expect(trace.notes).toContain('steps logged twice, the later line kept (a resumed run?): step 3 (lines 8 and 11)');
    expect(trace.iterations[3]!.metrics['val-core/openai/gsm8k/reward/mean@1']).toBe(0.571);
  });
});

describe('veRL value and field parsing', () => {
  it('parses numbers, numpy and torch reprs, nan and inf', () => {
    expect(parseVerlValue('1.500')).toBe(1.5);
    expect(parseVerlValue('np.float64(0.25)')).toBe(0.25);
    expect(parseVerlValue('np.int64(7)')).toBe(7);
    expect(parseVerlValue("tensor(3.5, device='cuda:0')")).toBe(3.5);
    expect(parseVerlValue('nan')).toBeNaN();
    expect(parseVerlValue('-inf')).toBe(-Infinity);
    expect(parseVerlValue('abc')).toBeUndefined();
  });

  it('splits on " - " and keeps keys containing colons intact up to the last one', () => {
    expect(splitVerlFields('a/b:1.000 - c@1:-2.000').map((f) => [f.key, f.valueText])).toEqual([
      ['a/b', '1.000'],
      ['c@1', '-2.000'],
    ]);
  });
});

describe('readVerlLog on bad input', () => {
  it('rejects a non-finite stage time with line, column and field', async () => {
    const dir = await scratchDir();
    const path = join(dir, 'bad.log');
    const line = 'step:1 - timing_s/gen:nan - timing_s/step:3.000';
    writeFileSync(path, `${line}\n`);
    await expect(readVerlLog(path)).rejects.toThrow(`${path}:1:${line.indexOf('nan') + 1}: field 'timing_s/gen' value 'nan': is not a finite number of seconds`);
  });

  it('says so when a file has no veRL metric lines', async () => {
    const dir = await scratchDir();
    const path = join(dir, 'other.log');
    writeFileSync(path, 'INFO starting\nINFO done\n');
    await expect(readVerlLog(path)).rejects.toThrow('no veRL metric lines');
  });
});

const LOGS = (...parts: string[]) => sharedDataPath('rl-step-logs', 'logs', ...parts);

describe('readVerlLog on the shared veRL logs (both log generations)', () => {
  // Steps counted in the files: training step lines (with timings), validation-only lines excluded.
  it.each([
    [LOGS('verl-mi300-deepseek7b', 'grpo_run_deepseek7b_llm.log'), 1119, 1, 57.658, 103.092, 8],
    [LOGS('verl-mi300-deepseek7b', 'ppo_run_deepseek7b_llm.log'), 1119, 1, 29.313, 47.189, 8],
    [LOGS('verl-qwen2-7b-gpg', 'qwen2-7b_math.log'), 210, 1, 69.534, 238.206, 8],
    [LOGS('verl-qwen2-7b-gpg', 'qwen2-7b_math_megatron.log'), 105, 1, 50.878, 218.277, 8],
    [LOGS('verl-team-gsm8k', 'Qwen2.5-0.5B-bsz256_2-prompt1024-resp512-0.567.log'), 435, 0, 18.156, undefined, undefined],
    [LOGS('verl-team-gsm8k', 'Qwen2.5-0.5B-bsz256_2-prompt512-resp256-0.538.log'), 435, 0, 18.947, undefined, undefined],
    [LOGS('verl-team-gsm8k', 'gemma-2-2b-it-ppo-bsz512_4-prompt1024-resp-512-0.640.log'), 106, 0, 44.876, undefined, undefined],
  ])('%s: %i steps from step %i; step 2 as logged', async (path, steps, first, gen2, step2, gpus) => {
    const trace = await readStageTimings(path);
    expect(trace.format).toBe('verl-log');
    expect(trace.iterations).toHaveLength(steps);
    expect(trace.iterations[0]!.iteration).toBe(first);
    const two = trace.iterations.find((it) => it.iteration === 2)!;
    expect(two.stagesS.gen).toBe(gen2);
    expect(two.stepS).toBe(step2);
    expect(two.gpus).toBe(gpus);
  });

  it("reads the Dec-2024 trainer's timing/<stage> names as stages and says so", async () => {
    const trace = await readVerlLog(LOGS('verl-team-gsm8k', 'gemma-2-2b-it-ppo-bsz512_4-prompt1024-resp-512-0.640.log'));
    expect(trace.iterations[0]!.stagesS).toEqual({ adv: 0.144, gen: 48.956, ref: 12.07, update_actor: 37.47, update_critic: 32.657, values: 9.785 });
    expect(trace.iterations[0]!.metrics['timing/gen']).toBeUndefined();
    expect(trace.notes).toContain('stage times are logged as timing/<stage> (veRL Dec 2024): read as the same timers as timing_s/<stage>; that trainer has no step timer');
  });

  it('recovers the GPU count from the March-2025 throughput names (total_num_tokens, time_per_step, Tokens/Sec/GPU)', async () => {
    // Step 2 of the GRPO log: 1431853 tokens / (1736.130 tokens/s/GPU × 103.092 s) = 8.000 GPUs.
    expect(gpusFromThroughput({ total_num_tokens: 1431853, time_per_step: 103.092, 'Tokens/Sec/GPU': 1736.13 })).toBe(8);
  });
});
