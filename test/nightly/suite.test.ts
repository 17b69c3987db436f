import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE, loadSuite, parseSuite } from '../../harness/nightly/suite.js';
import { DEFAULT_TIMING_RULE } from '../../harness/nightly/timing-rule.js';
import { schedulers } from '../../harness/schedulers/index.js';
import { isInputError } from '../../harness/util/input-error.js';
import { projectRoot } from '../../harness/util/shared-data.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

function parse(text: string) {
  return parseSuite({ file: join(FIXTURES, 'inline-suite.json'), text, value: JSON.parse(text) });
}

function problems(text: string): string {
  try {
    parse(text);
  } catch (error) {
    expect(isInputError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected the suite to be rejected');
}

describe('nightly suite', () => {
  it('expands a sim-figure entry into one case per scheduler, with defaults filled in', async () => {
    const suite = await loadSuite(join(FIXTURES, 'small-suite.json'));
    expect(suite.seed).toBe(7);
    expect(suite.cases.map((c) => c.id)).toEqual(['sim/gen512/verl', 'sim/gen512/realhf', 'cost/h100-7b', 'traces/default', 'pipeline/exp2']);
    expect(suite.cases[0]).toEqual({
      id: 'sim/gen512/verl',
      kind: 'sim-figure',
      tolerance: DEFAULT_TOLERANCE,
      timing: DEFAULT_TIMING_RULE,
      scenario: '../../../harness/scenario/scenarios/rlhfuse-13b-33b-gen512.json',
      trace: '../../../traces/examples/default.jsonl',
      scheduler: 'verl',
      metrics: ['iterationTimeS', 'costUsd', 'stages.training'],
      iterations: 1,
      seed: 1,
      keepTraceBatches: false,
    });
    expect(suite.dir).toBe(FIXTURES.replace(/\/$/, ''));
  });

  it('loads the shipped suite', async () => {
    const suite = await loadSuite(join(projectRoot, 'baselines/nightly/suite.json'));
    expect(suite.cases.length).toBeGreaterThan(10);
    expect(new Set(suite.cases.map((c) => c.kind))).toEqual(new Set(['sim-figure', 'cost-model', 'trace-stats', 'pipeline-search', 'bench']));
  });

  it('reads tolerances and timing rules, per case over the defaults', () => {
    const suite = parse(
      JSON.stringify({
        defaults: { tolerance: { absolute: 0.5 }, timing: { minEffectPct: 20 } },
        cases: [
          { id: 'a', kind: 'pipeline-search', instance: 0 },
          { id: 'b', kind: 'pipeline-search', instance: 1, tolerance: 'exact', timing: { alpha: 0.05, confirmRuns: 2 } },
        ],
      }),
    );
    expect(suite.cases[0]!.tolerance).toEqual({ kind: 'close', relative: 0, absolute: 0.5 });
    expect(suite.cases[0]!.timing).toEqual({ ...DEFAULT_TIMING_RULE, minEffectPct: 20 });
    expect(suite.cases[1]!.tolerance).toEqual({ kind: 'exact' });
    expect(suite.cases[1]!.timing).toEqual({ ...DEFAULT_TIMING_RULE, minEffectPct: 20, alpha: 0.05, confirmRuns: 2 });
  });

  it('reports every problem with the line of the case it is in', () => {
    const text = [
      '{',
      '  "cases": [',
      '    { "id": "ok", "kind": "trace-stats", "trace": "../../../traces/examples/default.jsonl" },',
      '    { "id": "bad", "kind": "sim-figure", "scenario": "nope.json", "trace": "../../../traces/examples/default.jsonl",',
      '      "schedulers": ["verl", "fastest"], "metrics": ["iterationTimeS", "speed"] },',
      '    { "id": "ok", "kind": "trace-stats", "trace": "../../../traces/examples/default.jsonl" },',
      '    { "id": "c", "kind": "cost-model", "gpu": "h100-sxm", "model": "llama-2-7b", "queries": [ { "name": "q", "op": "decodeStep", "batch": 0 } ] },',
      '    { "id": "t", "kind": "trace-stats", "trace": "../../../traces/examples/default.jsonl", "tolerance": 0.1, "colour": "red" },',
      '    { "id": "has space", "kind": "warp" }',
      '  ]',
      '}',
    ].join('\n');
    const message = problems(text);
    const file = join(FIXTURES, 'inline-suite.json');
    expect(message.split('\n')).toEqual([
      `${file}:4:42: field 'cases[1].scenario' value 'nope.json': file not found (paths are relative to the suite file: ${join(FIXTURES, 'nope.json')})`,
      `${file}:5:7: field 'cases[1].schedulers' value 'fastest': unknown scheduler; known: ${schedulers.map((s) => s.name).join(', ')}`,
      `${file}:5:42: field 'cases[1].metrics' value 'speed': unknown metric; known: iterationTimeS, samplesPerS, tokensPerS, gpuSecondsAllocated, gpuSecondsBusy, costUsd, utilization, bubbleRatio, stages.<stage>`,
      `${file}:6:7: field 'cases[2].id' value 'ok': case id is already used by cases[0]`,
      `${file}:7:130: field 'cases[3].queries[0].batch' value '0': must be at least 1`,
      `${file}:7:95: field 'cases[3].queries[0].contextTokens': is missing (expected a whole number)`,
      `${file}:8:92: field 'cases[4].tolerance' value '0.1': must be "exact" or { "relative": r, "absolute": a } (pass when |current − baseline| ≤ a + r·|baseline|)`,
      `${file}:8:110: field 'cases[4].colour' value 'red': is not a known field (known: id, kind, tolerance, timing, description, trace, metrics)`,
      `${file}:9:7: field 'cases[5].id' value 'has space': must be letters, digits and ._/+=@- (no spaces or colons)`,
      `${file}:9:26: field 'cases[5].kind' value 'warp': must be one of sim-figure, cost-model, trace-stats, pipeline-search, bench`,
    ]);
  });

  it('rejects an empty suite and a file that is not JSON', async () => {
    expect(problems('{ "cases": [] }')).toContain("field 'cases' value '[]': must list at least one case");
    const dir = await mkdtemp(join(tmpdir(), 'suite-'));
    await writeFile(join(dir, 'suite.json'), '{ "cases": [ { "id": "a", }');
    await expect(loadSuite(join(dir, 'suite.json'))).rejects.toThrow(/suite\.json:1:\d+: nightly suite: not valid JSON/);
    await expect(loadSuite(join(dir, 'missing.json'))).rejects.toThrow('missing.json: nightly suite: file not found');
  });
});
