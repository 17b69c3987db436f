import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
