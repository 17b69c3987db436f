import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASELINE_TIMING_RUNS, readBaselines, updatedBaselines, writeBaselines } from '../../harness/nightly/baseline.js';
import type { Environment, FigureResult } from '../../harness/nightly/types.js';
import { scratchDir } from '../cli/run-cli.js';

const ENV: Environment = { platform: 'linux', arch: 'x64', cpuModel: 'cpu A', cpus: 2, nodeMajor: 20 };
const exact = (id: string, value: number): FigureResult => ({ id, name: id.split(':')[1]!, unit: 's', mode: 'exact', value, comparison: { mode: 'exact', verdict: 'new' } });
const timing = (id: string, samples: number[], environment = ENV): FigureResult => ({
  id,
  name: id.split(':')[1]!,
  unit: 'ms',
  mode: 'timing',
  better: 'lower',
  value: samples[0]!,
  samples,
  environment,
  comparison: { mode: 'timing', verdict: 'new' },
});

describe('baselines', async () => {
  const dir = await scratchDir('nightly-baseline');

  it('reads a missing folder as empty baselines, and writes what it reads back', async () => {
    expect(await readBaselines(join(dir, 'none'))).toEqual({ golden: {}, timings: {} });
    const set = updatedBaselines({ golden: {}, timings: {} }, [exact('a:x', 1.5), timing('b:t', [3, 1, 2])], [], ['a', 'b']);
    await writeBaselines(join(dir, 'rw'), set);
    expect(await readBaselines(join(dir, 'rw'))).toEqual({
      golden: { 'a:x': { value: 1.5, unit: 's' } },
      timings: { 'b:t': { value: 2, unit: 'ms', runs: [[3, 1, 2]], environment: ENV } },
    });
  });

  it('adds a timing run on the same machine kind (keeping the last few) and starts over on another', () => {
    let set = { golden: {}, timings: {} };
    for (let run = 1; run <= BASELINE_TIMING_RUNS + 1; run++) set = updatedBaselines(set, [timing('b:t', [run, run])], [], ['b']);
    const kept = (set.timings as Record<string, { runs: number[][]; value: number }>)['b:t']!;
    expect(kept.runs).toEqual(Array.from({ length: BASELINE_TIMING_RUNS }, (_, i) => [i + 2, i + 2]));
    expect(kept.value).toBe(4);
    const moved = updatedBaselines(set, [timing('b:t', [9], { ...ENV, cpuModel: 'cpu B' })], [], ['b']);
    expect(moved.timings['b:t']).toEqual({ value: 9, unit: 'ms', runs: [[9]], environment: { ...ENV, cpuModel: 'cpu B' } });
  });

  it('keeps the entries of failed cases and drops those of cases no longer in the suite', () => {
    const previous = { golden: { 'a:x': { value: 1, unit: 's' }, 'gone:x': { value: 2, unit: 's' }, 'failed:x': { value: 3, unit: 's' } }, timings: {} };
    const next = updatedBaselines(previous, [exact('a:x', 1.25)], ['failed'], ['a', 'failed']);
    expect(next.golden).toEqual({ 'a:x': { value: 1.25, unit: 's' }, 'failed:x': { value: 3, unit: 's' } });
  });

  it('rejects a damaged file with its line and field, and a wrong format', async () => {
    const bad = join(dir, 'bad');
    await writeBaselines(bad, { golden: { 'a:x': { value: 1, unit: 's' } }, timings: {} });
    const path = join(bad, 'golden.json');
    await writeFile(path, (await readFile(path, 'utf8')).replace('"value": 1', '"value": "fast"'));
    await expect(readBaselines(bad)).rejects.toThrow(`${path}:7:7: field 'figures.a:x.value' value 'fast': must be a number`);
    await writeFile(path, '{ "format": "something-else", "version": 1, "figures": {} }');
    await expect(readBaselines(bad)).rejects.toThrow(`${path}:1:3: field 'format' value 'something-else': must be 'rlhf-replay-nightly-baseline'`);
    await writeFile(path, '<<<<<<< HEAD\n');
    await expect(readBaselines(bad)).rejects.toThrow(`${path}:1:1: nightly baseline: not valid JSON`);
  });
});
