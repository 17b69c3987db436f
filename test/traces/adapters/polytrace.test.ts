import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPolyTraceLengths } from '../../../harness/traces/adapters/polytrace.js';
import { readDapoFilterIndices, readPolyTraceRewardTimings } from '../../../harness/traces/adapters/polytrace-tables.js';
import { inferLengthCap } from '../../../harness/traces/adapters/length-cap.js';
import { sharedDataPath } from '../../../harness/util/shared-data.js';
import { isInputError } from '../../../harness/util/input-error.js';
import { scratchDir } from '../../cli/run-cli.js';

const run = (...parts: string[]) => sharedDataPath('polytrace', ...parts);
const RLLM = run('rllm', 'profile', 'packed_length_log', '20260616_024512');
const DAPO = run('verl', 'profile', 'packed_length_log', '20260614_023133');
const VIDEO = run('verl-video', 'profile', 'packed_length_log', '20260609_033329');

interface RawLine {
  step: number;
  rank: number;
  local_index: number;
  input: number;
  output: number[];
}
/** The raw packed lines of a run directory, step files in step order, parsed the plain way. */
function rawLines(dir: string): RawLine[] {
  return readdirSync(dir)
    .filter((name) => /^packed_lengths_step_\d+\.jsonl$/.test(name))
    .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))
    .flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as RawLine),
    );
}

describe('readPolyTraceLengths on the real runs', () => {
  it('reads the DeepCoder 16k run: one group per line, ids step/rank/local_index, cap 16000 inferred', async () => {
    const raw = rawLines(RLLM);
    const workload = await readPolyTraceLengths(RLLM);
    const groups = workload.iterations.flatMap((it) => it.groups);
    expect(groups.map((g) => g.groupId)).toEqual(raw.map((r) => `${r.step}/${r.rank}/${r.local_index}`));
    expect(groups.map((g) => g.responseTokens)).toEqual(raw.map((r) => r.output));
    expect(groups.map((g) => g.promptTokens)).toEqual(raw.map((r) => r.input));
    expect(workload.iterations.map((it) => it.iteration)).toEqual([0, 1, 2, 3, 4]);
    expect(workload.meta).toMatchObject({ format: 'polytrace', synthetic: false, maxResponseTokens: 16000, maxResponseTokensSource: 'inferred' });
    const atCap = raw.flatMap((r) => r.output).filter((tokens) => tokens === 16000).length;
    expect(atCap).toBe(96);
    expect(groups.flatMap((g) => g.truncated).filter(Boolean)).toHaveLength(atCap);
    expect(workload.meta.notes[0]).toMatch(/^length cap 16000 inferred \(rule 'ties-at-max': 96 samples/);
  });

  it("attaches each rank's reward time, split over its groups by response tokens", async () => {
    const workload = await readPolyTraceLengths(RLLM);
    const timings = await readPolyTraceRewardTimings(RLLM);
    expect(timings).toHaveLength(10);
    const raw = rawLines(RLLM);
    for (const timing of timings) {
      const groups = workload.iterations
        .find((it) => it.iteration === timing.step)!
        .groups.filter((_, index) => raw.filter((r) => r.step === timing.step)[index]!.rank === timing.rank);
      const total = groups.reduce((sum, g) => sum + g.rewardLatencyS!, 0);
      expect(total).toBeCloseTo(timing.rewardTimeS, 9);
      const first = groups[0]!;
      const firstTokens = first.responseTokens.reduce((a, b) => a + b, 0);
      expect(first.rewardLatencyS).toBeCloseTo((timing.rewardTimeS * firstTokens) / timing.responseSumTokens, 12);
    }
  });

  it('marks DAPO groups trained / kept-unused / filtered-out from dapo_filter_indices.jsonl', async () => {
    const workload = await readPolyTraceLengths(DAPO);
    const records = readFileSync(join(DAPO, 'dapo_filter_indices.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { workload_step: number; kept_prompt_indices: number[]; used_prompt_indices: number[] });
    for (const record of records) {
      const groups = workload.iterations.find((it) => it.iteration === record.workload_step)!.groups;
      expect(groups).toHaveLength(96);
      const uses = groups.map((g) => g.trainingUse);
      expect(uses.filter((u) => u === 'trained')).toHaveLength(record.used_prompt_indices.length);
      expect(uses.filter((u) => u === 'kept-unused')).toHaveLength(record.kept_prompt_indices.length - record.used_prompt_indices.length);
      for (const index of record.used_prompt_indices) expect(uses[index]).toBe('trained');
    }
  });

  it('infers no cap for the DAPO run (its longest sample is unique) and says why', async () => {
    const workload = await readPolyTraceLengths(DAPO);
    expect(workload.meta.maxResponseTokens).toBeUndefined();
    const max = Math.max(...rawLines(DAPO).flatMap((r) => r.output));
    expect(workload.meta.notes).toContain(
      `no length cap given or inferred (rule 'ties-at-max': the longest length, ${max}, occurs once), so no sample is marked truncated; give --max-response if the run had a cap`,
    );
    expect(workload.iterations.flatMap((it) => it.groups).every((g) => g.truncated.every((t) => !t))).toBe(true);
  });

  it('uses a given cap: samples at it are truncated, the source is "given"', async () => {
    const workload = await readPolyTraceLengths(VIDEO, { maxResponseTokens: 16000 });
    expect(workload.meta).toMatchObject({ maxResponseTokens: 16000, maxResponseTokensSource: 'given' });
    const expected = rawLines(VIDEO).flatMap((r) => r.output).filter((t) => t >= 16000).length;
    expect(workload.iterations.flatMap((it) => it.groups).flatMap((g) => g.truncated).filter(Boolean)).toHaveLength(expected);
    expect(workload.iterations[0]!.iteration).toBe(1);
  });

  it('rejects a given cap below a recorded length, naming the sample', async () => {
    const error = await readPolyTraceLengths(RLLM, { maxResponseTokens: 15000 }).catch((e: unknown) => e);
    expect(isInputError(error)).toBe(true);
    const step0 = rawLines(RLLM).filter((r) => r.step === 0);
    const line = step0.findIndex((r) => r.output.some((t) => t > 15000));
    const sample = step0[line]!.output.findIndex((t) => t > 15000);
    expect((error as Error).message.split('\n')[0]).toBe(
      `${join(RLLM, 'packed_lengths_step_0.jsonl')}:${line + 1}:1: field 'response_tokens[${sample}]' value '${step0[line]!.output[sample]}': exceeds the length cap max_response_tokens = 15000`,
    );
  });

  it('reads a single step file, without side tables', async () => {
    const workload = await readPolyTraceLengths(join(RLLM, 'packed_lengths_step_2.jsonl'));
    expect(workload.iterations.map((it) => it.iteration)).toEqual([2]);
    expect(workload.iterations[0]!.groups.every((g) => g.rewardLatencyS === undefined)).toBe(true);
    expect(workload.meta.notes.at(-1)).toMatch(/single file/);
  });
});

describe('readPolyTraceLengths on bad input', () => {
  it('skips validation lines and reports a step that contradicts the file name', async () => {
    const dir = await scratchDir();
    const line = (step: number, local: number, validate = false) => JSON.stringify({ step, rank: 0, local_index: local, input: 10, output: [5, 6], n_sampling: 2, validate });
    writeFileSync(join(dir, 'packed_lengths_step_0.jsonl'), `${line(0, 0)}\n${line(0, 1, true)}\n`);
    const ok = await readPolyTraceLengths(dir);
    expect(ok.iterations[0]!.groups).toHaveLength(1);
    expect(ok.meta.notes).toContain('1 validation lines (validate: true) skipped: they are evaluation rollouts, not training');
    writeFileSync(join(dir, 'packed_lengths_step_1.jsonl'), `${line(7, 0)}\n`);
    const error = await readPolyTraceLengths(dir).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`${join(dir, 'packed_lengths_step_1.jsonl')}:1:9: field 'step' value '7': differs from the step in the file name (1)`);
  });

  it('reports an n_sampling that disagrees with the outputs', async () => {
    const dir = await scratchDir();
    writeFileSync(join(dir, 'packed_lengths_step_0.jsonl'), `${JSON.stringify({ step: 0, rank: 0, local_index: 0, input: 1, output: [1, 2, 3], n_sampling: 8 })}\n`);
    const error = await readPolyTraceLengths(dir).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/field 'n_sampling' value '8': differs from the 3 entries of output/);
  });

  it('reports a directory without step files', async () => {
    const dir = await scratchDir();
    await expect(readPolyTraceLengths(dir)).rejects.toThrow(/no packed_lengths_step_N\.jsonl files in this directory/);
  });
});

describe('readDapoFilterIndices', () => {
  it('reads the six records of the DAPO run with used ⊆ kept', async () => {
    const records = await readDapoFilterIndices(DAPO);
    expect(records.map((r) => r.workloadStep)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(records.map((r) => r.usedPromptIndices.length)).toEqual([27, 5, 27, 5, 32, 30]);
    expect(records[1]).toMatchObject({ trainerStep: 1, genBatchIndex: 2, promptsInBatchBefore: 27, promptCount: 96 });
  });

  it('rejects a used prompt that was not kept', async () => {
    const dir = await scratchDir();
    const path = join(dir, 'dapo_filter_indices.jsonl');
    const line = JSON.stringify({ workload_step: 0, trainer_step: 1, prompt_count: 4, kept_prompt_indices: [0, 1], used_prompt_indices: [2] });
    writeFileSync(path, `${line}\n`);
    const column = line.indexOf('"used_prompt_indices":') + '"used_prompt_indices":'.length + 1;
    await expect(readDapoFilterIndices(path)).rejects.toThrow(`${path}:1:${column}: field 'used_prompt_indices' value '2': a used prompt must also be kept`);
  });
});

describe('inferLengthCap (rule ties-at-max)', () => {
  it('takes the maximum as the cap only when two or more samples sit on it', () => {
    expect(inferLengthCap(new Map([[100, 5], [16000, 2]]))?.tokens).toBe(16000);
    expect(inferLengthCap(new Map([[100, 5], [16000, 1]]))).toBeUndefined();
    expect(inferLengthCap(new Map())).toBeUndefined();
  });
});
