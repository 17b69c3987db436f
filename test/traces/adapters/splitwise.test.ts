import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSplitwisePerfModel } from '../../../harness/traces/adapters/splitwise.js';
import { sharedDataPath } from '../../../harness/util/shared-data.js';

const path = sharedDataPath('splitwise-sim', 'perf_model.csv');

describe('readSplitwisePerfModel', () => {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const col = (name: string) => header.indexOf(name);

  it('gives a prefill and a decode_token row per CSV row, every repetition kept', async () => {
    const profile = await readSplitwisePerfModel(path);
    expect(profile.rows).toHaveLength(2 * (lines.length - 1));
    expect(profile.rows.filter((r) => r.op === 'prefill')).toHaveLength(lines.length - 1);
    expect(profile.rows.filter((r) => r.op === 'decode_token')).toHaveLength(lines.length - 1);
  });

  it('maps the first row field by field, ms to s', async () => {
    const cells = lines[1]!.split(',');
    const profile = await readSplitwisePerfModel(path);
    const [prefill, decode] = profile.rows;
    expect(prefill).toEqual({
      device: 'a100-80gb',
      model: 'llama-2-70b',
      op: 'prefill',
      tokens: Number(cells[col('prompt_size')]),
      batch: Number(cells[col('batch_size')]),
      contextTokens: Number(cells[col('prompt_size')]),
      tp: Number(cells[col('tensor_parallel')]),
      timeS: Number(cells[col('prompt_time')]) / 1000,
      file: path,
      line: 2,
    });
    expect(decode).toEqual({
      device: 'a100-80gb',
      model: 'llama-2-70b',
      op: 'decode_token',
      batch: Number(cells[col('batch_size')]),
      contextTokens: Number(cells[col('prompt_size')]),
      outputTokens: Number(cells[col('token_size')]),
      tp: Number(cells[col('tensor_parallel')]),
      timeS: Number(cells[col('token_time')]) / 1000,
      file: path,
      line: 2,
    });
  });

  it('maps every hardware and model name to a catalog id', async () => {
    const profile = await readSplitwisePerfModel(path);
    expect([...new Set(profile.rows.map((r) => r.device))].sort()).toEqual(['a100-80gb', 'h100-sxm', 'h100-sxm-powercapped']);
    expect([...new Set(profile.rows.map((r) => r.model))].sort()).toEqual(['bloom-176b', 'llama-2-70b']);
    expect(profile.notes.join(' ')).not.toMatch(/no catalog id/);
  });

  it('counts the repetitions per configuration in its notes', async () => {
    const counts = new Map<string, number>();
    for (const line of lines.slice(1)) {
      const c = line.split(',');
      const key = [c[col('model')], c[col('hardware')], c[col('prompt_size')], c[col('batch_size')], c[col('token_size')], c[col('tensor_parallel')]].join('/');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const min = Math.min(...counts.values());
    const max = Math.max(...counts.values());
    const profile = await readSplitwisePerfModel(path);
    expect(profile.notes[0]).toBe(`${counts.size} configurations, each measured ${min}${max !== min ? `–${max}` : ''} times; every measurement is kept as its own row (aggregate in the fitter)`);
  });
});
