import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countingSamples } from '../../../harness/cli/traces/stats.js';
import { memoryIo } from '../../../harness/util/cli-io.js';
import { main } from '../../../harness/cli/main.js';
import type { LengthGroupItem } from '../../../harness/traces/length-stream.js';
import type { Progress } from '../../../harness/util/progress.js';
import { sharedDataPath } from '../../../harness/util/shared-data.js';
import { runCli, scratchDir } from '../run-cli.js';

const SHAREGPT = sharedDataPath('sharegpt-sarathi', 'sharegpt_8k_filtered_stats_llama2_tokenizer.csv');

describe('traces stats', () => {
  it('writes the same JSON to --out as to stdout', async () => {
    const dir = await scratchDir();
    const out = join(dir, 'reports', 'stats.json');
    const run = await runCli(['traces', 'stats', SHAREGPT, '--json', '--out', out]);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(JSON.parse(run.out));
    expect(Object.keys(JSON.parse(run.out))).toEqual(['iterations', 'total']);
  });

  it('takes relative paths from the working folder', async () => {
    const run = await runCli(['traces', 'stats', 'sharegpt_8k_filtered_stats_llama2_tokenizer.csv', '--json'], sharedDataPath('sharegpt-sarathi'));
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out).total.samples).toBe(30731);
  });

  it('counts samples at --max-response as truncated', async () => {
    const run = await runCli(['traces', 'stats', SHAREGPT, '--json', '--max-response', '1024']);
    const rows = readFileSync(SHAREGPT, 'utf8').trim().split('\n').slice(1);
    const atCap = rows.filter((line) => Number(line.split(',')[1]) >= 1024).length;
    expect(JSON.parse(run.out).total.truncatedFraction).toBeCloseTo(atCap / rows.length, 12);
  });

  it('explains that a GPU profile has no response lengths', async () => {
    const run = await runCli(['traces', 'stats', sharedDataPath('splitwise-sim', 'perf_model.csv')]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('holds GPU operator timings (a GPU profile), but response lengths (a workload) is needed here');
  });
});

describe('traces stats progress', () => {
  const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'traces', 'examples', 'default.jsonl');
  const statsRun = async (argv: string[], tty: boolean, path = EXAMPLE) => {
    const io = memoryIo({ tty });
    const code = await main(['traces', 'stats', path, ...argv], io);
    return { code, out: io.out, err: io.err };
  };

  it('prints nothing on stderr when it is not a terminal', async () => {
    for (const argv of [[], ['--json']]) {
      const run = await statsRun(argv, false);
      expect(run.code).toBe(0);
      expect(run.err).toBe('');
    }
  });

  it('on a terminal, counts samples on stderr, clears the line, and leaves stdout byte-identical', async () => {
    for (const argv of [[], ['--json']]) {
      const quiet = await statsRun(argv, false);
      const tty = await statsRun(argv, true);
      expect(tty.code).toBe(0);
      expect(tty.out).toBe(quiet.out);
      // The first group is always drawn (8 responses per prompt in this trace); the line is cleared at the end.
      expect(tty.err).toMatch(/^\r\x1b\[2Kreading 8 samples \d+\.\ds \(group 1, iteration 0\)/);
      expect(tty.err.endsWith('\r\x1b[2K')).toBe(true);
    }
  });

  it('clears its line before an input error is printed', async () => {
    const dir = await scratchDir();
    const bad = join(dir, 'bad.jsonl');
    const lines = readFileSync(EXAMPLE, 'utf8').split('\n');
    writeFileSync(bad, `${lines.slice(0, 3).join('\n')}\n{"iteration":0,"group_id":"g9","prompt_id":"p9","prompt_tokens":-1,"response_tokens":[5]}\n`);
    const quiet = await statsRun(['--json'], false, bad);
    const tty = await statsRun(['--json'], true, bad);
    expect(quiet.code).toBe(2);
    expect(tty).toEqual({ code: 2, out: '', err: expect.stringMatching(/^\r\x1b\[2Kreading 8 samples \d+\.\ds \(group 1, iteration 0\)\r\x1b\[2K/) });
    expect(tty.err.slice(tty.err.lastIndexOf('\r\x1b[2K') + 5)).toBe(quiet.err);
  });

  it('counts every sample and group it passes through, unchanged and in order', async () => {
    const groups = [
      { iteration: 0, groupId: 'a', promptId: 'a', promptTokens: 5, responseTokens: [1, 2, 3], truncated: [false, false, false] },
      { iteration: 0, groupId: 'b', promptId: 'b', promptTokens: 5, responseTokens: [4], truncated: [false] },
      { iteration: 1, groupId: 'c', promptId: 'c', promptTokens: 5, responseTokens: [5, 6], truncated: [false, false] },
    ];
    async function* source(): AsyncGenerator<LengthGroupItem> {
      for (const group of groups) yield { group };
    }
    const updates: [number, string | undefined][] = [];
    const progress: Progress = { update: (done, label) => updates.push([done, label]), finish: () => {} };
    const seen: LengthGroupItem[] = [];
    for await (const item of countingSamples(source(), progress)) seen.push(item);
    expect(seen.map((item) => item.group)).toEqual(groups);
    expect(updates).toEqual([
      [3, '(group 1, iteration 0)'],
      [4, '(group 2, iteration 0)'],
      [6, '(group 3, iteration 1)'],
    ]);
  });
});
