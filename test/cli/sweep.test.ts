import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../harness/util/shared-data.js';
import { runCli, scratchDir } from './run-cli.js';

const scenario = join(projectRoot, 'harness', 'scenario', 'scenarios', 'rlhfuse-65b-33b.json');

/** Two iterations of 64 prompts with a long tail: sample g is 40 + 13·g² mod 2000 tokens. */
function traceText(): string {
  const lines = [JSON.stringify({ $meta: { format: 'rlhf-replay.lengths', version: 1, synthetic: true, notes: [] } })];
  for (let it = 0; it < 2; it++) {
    for (let g = 0; g < 64; g++) {
      lines.push(JSON.stringify({ iteration: it, group_id: `g${g}`, prompt_id: `p${g}`, prompt_tokens: 100 + g, response_tokens: [40 + ((13 * g * g + 7 * it) % 2000)], truncated: [false] }));
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('rlhf-replay sweep', () => {
  let dir = '';
  let trace = '';
  beforeAll(async () => {
    dir = await scratchDir('sweep-cli');
    trace = join(dir, 'trace.jsonl');
    await writeFile(trace, traceText());
  });
  const sweep = (...extra: string[]) => ['sweep', '--scenario', scenario, '--trace', trace, '--keep-trace-batches', '--scheduler', 'rlhfuse-inter', '--param', 'migrationThreshold', '--values', '0,0.25,...,0.5', ...extra];

  it('prints one JSON document: a row per value with its mean and interval over iterations, and the optimum — the same bytes every run', async () => {
    const first = await runCli(sweep('--json'));
    expect(first.code).toBe(0);
    const json = JSON.parse(first.out);
    expect(json.meta).toMatchObject({ command: 'sweep', scheduler: 'rlhfuse-inter', param: 'migration-threshold', metric: 'iterationTimeS', metricUnit: 's', optimum: 'min', seed: 1 });
    expect(json.rows.map((r: { value: number }) => r.value)).toEqual([0, 0.25, 0.5]);
    for (const row of json.rows) {
      expect(row.iterations).toBe(2);
      expect(row.mean).toBeCloseTo((row.perIteration[0].value + row.perIteration[1].value) / 2, 9);
      expect(row.ciLow).toBeLessThanOrEqual(row.mean);
      expect(row.ciHigh).toBeGreaterThanOrEqual(row.mean);
    }
    const best = Math.min(...json.rows.map((r: { mean: number }) => r.mean));
    expect(json.best.mean).toBe(best);
    expect(json.errors).toEqual([]);
    expect((await runCli(sweep('--json'))).out).toBe(first.out);
  });

  it('prints a table with units and the optimum for people, and writes the chart page', async () => {
    const chart = join(dir, 'threshold.html');
    const { code, out } = await runCli(sweep('--chart', chart));
    expect(code).toBe(0);
    expect(out).toContain('Iteration time, mean (s)');
    expect(out).toMatch(/optimum \(min iterationTimeS\): migration-threshold = [0-9.]+ → [0-9.]+ s/);
    expect(existsSync(chart)).toBe(true);
    const html = readFileSync(chart, 'utf8');
    expect(html).toContain('Sweep of migration-threshold on rlhfuse-inter');
    expect(html).toContain('<!doctype html>');
  });

  it('merges shards into exactly what one run prints, and runs on a worker pool with the same result', async () => {
    const whole = await runCli(sweep('--json'));
    const shards = join(dir, 'shards');
    for (const shard of ['0/2', '1/2']) expect((await runCli(sweep('--shard', shard, '--out', shards))).code).toBe(0);
    const merged = await runCli(['merge', shards, '--json']);
    expect(merged.code).toBe(0);
    expect(merged.out).toBe(whole.out);
    const pooled = await runCli(sweep('--json', '--jobs', '2'));
    expect(pooled.out).toBe(whole.out);
  });

  it('sweeps a choice parameter and any metric, e.g. a counter', async () => {
    const { code, out, err } = await runCli([...sweep('--json').slice(0, 8), '--param', 'kv-reservation', '--values', 'current-context,max-length', '--metric', 'counter:overhead_share_pct', '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.meta).toMatchObject({ param: 'kv-reservation', metric: 'counter:overhead_share_pct', metricUnit: '%' });
    expect(json.rows.map((r: { value: string }) => r.value)).toEqual(['current-context', 'max-length']);
  });

  it('refuses bad input before running anything, with exit code 2 and what is wrong', async () => {
    const cases: [string[], string][] = [
      [['--param', 'tau'], "--param: field 'param' value 'tau': is not a named assumption of rlhfuse-inter"],
      [['--values', '0.5,2'], "--values: field 'values' value '2': migration-threshold must be within [0, 1]"],
      [['--metric', 'speed'], "--metric: field 'metric' value 'speed'"],
      [['--scheduler', 'nope'], "--scheduler: field 'scheduler' value 'nope': unknown scheduler"],
      [['--metric', 'costUsd', '--metric', 'samplesPerS'], "--metric: field 'metric' value 'costUsd samplesPerS': give it once"],
    ];
    for (const [flags, message] of cases) {
      const args = sweep();
      for (let i = 0; i < flags.length; i += 2) {
        const at = args.indexOf(flags[i]!);
        if (at >= 0 && i === 0) args.splice(at, 2, flags[i]!, flags[i + 1]!);
        else args.push(flags[i]!, flags[i + 1]!);
      }
      const result = await runCli(args);
      expect(result.code).toBe(2);
      expect(result.err).toContain(message);
      expect(result.out).toBe('');
    }
    const missing = await runCli(['sweep', '--scenario', scenario, '--trace', join(dir, 'none.jsonl'), '--scheduler', 'rlhfuse', '--param', 'migration-threshold', '--values', '0.1']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('none.jsonl');
  });
});
