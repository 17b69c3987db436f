import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOT_COMPARED, PUBLISHED_MEASUREMENTS } from '../../../harness/reproduce/validation/measurements.js';
import { simulatedValues } from '../../../harness/reproduce/validation/simulated.js';
import { projectRoot } from '../../../harness/util/shared-data.js';
import { SYNTHETIC_COST_VALUES, syntheticReplayResult } from './synthetic-outcomes.js';

/** The published measurements: well-formed, each with a simulated counterpart, and read by the comparison alone. */
describe('published measurements', () => {
  it('have unique ids, a source, a setting, a positive value and a tolerance with why', () => {
    const ids = PUBLISHED_MEASUREMENTS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of PUBLISHED_MEASUREMENTS) {
      expect('value' in m.published ? m.published.value : m.published.min, m.id).toBeGreaterThan(0);
      expect(m.source.length, m.id).toBeGreaterThan(10);
      expect(m.setting.length, m.id).toBeGreaterThan(10);
      expect((m.tolerance.relative ?? 0) + (m.tolerance.absolute ?? 0), m.id).toBeGreaterThan(0);
      expect(m.toleranceWhy.length, m.id).toBeGreaterThan(10);
    }
    for (const m of NOT_COMPARED) expect(m.reason.length, m.id).toBeGreaterThan(20);
  });

  it('cover what the brief asks for: vLLM TPOT, decode flatness, co-located weight sync, the veRL DAPO breakdowns on 32/64/128 H20, generation share', () => {
    const ids = PUBLISHED_MEASUREMENTS.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['vllm-tpot.a100', 'vllm-tpot.h100', 'decode-flatness.7b-h800', 'weight-sync.l20.qwen2.5-7b', 'verl-dapo.gen-128-vs-64', 'generation-share.verl-dapo.64']));
    for (const gpus of [32, 64, 128]) for (const part of ['step', 'gen', 'old-log-prob', 'update-actor']) expect(ids).toContain(`verl-dapo.${gpus}.${part}`);
    // the published numbers, as reference §5.3 gives them
    expect(PUBLISHED_MEASUREMENTS.find((m) => m.id === 'verl-dapo.128.gen')!.published).toEqual({ value: 177.9 });
    expect(PUBLISHED_MEASUREMENTS.find((m) => m.id === 'weight-sync.l20.llama-3-8b')!.published).toEqual({ value: 0.57 });
  });

  it('every measurement gets a simulated value from the validation cases', () => {
    const outcomes = [
      { id: 'validation/cost-queries', kind: 'reproduce-validation-cost', status: 'ok' as const, result: { values: Object.fromEntries(Object.entries(SYNTHETIC_COST_VALUES).map(([id, value]) => [id, { value, detail: '' }])), costModels: [] } },
      ...[32, 64, 128].map((gpus) => ({ id: `validation/verl-dapo-h20/g${gpus}`, kind: 'reproduce-validation-replay', status: 'ok' as const, result: syntheticReplayResult(gpus) })),
    ];
    const values = simulatedValues(outcomes).values;
    expect(PUBLISHED_MEASUREMENTS.filter((m) => !values.has(m.id)).map((m) => m.id)).toEqual([]);
  });
});

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : Promise.resolve(entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []))));
  return nested.flat();
}

describe('only the validation comparison reads the measured values', () => {
  it('no mechanism module and no validation case imports validation/measurements', async () => {
    const files = [
      ...(await sourceFiles(join(projectRoot, 'harness', 'cost'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'schedulers'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'sim'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'scenario'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'jobs'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'sweep'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'run'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'metrics'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'reproduce', 'validation'))),
    ];
    const allowed = new Set(['harness/reproduce/validation/compare.ts', 'harness/reproduce/validation/measurements.ts', 'harness/reproduce/validation/async-measurements.ts']);
    const offenders: string[] = [];
    for (const file of files) {
      const path = relative(projectRoot, file);
      if (allowed.has(path)) continue;
      const code = (await readFile(file, 'utf8')).replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      if (/validation\/measurements(\.js)?['"]|\.\/measurements(\.js)?['"]/.test(code)) offenders.push(path);
    }
    expect(offenders).toEqual([]);
  });
});
