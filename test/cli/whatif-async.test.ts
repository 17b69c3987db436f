import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../harness/util/shared-data.js';
import { LENGTHS_PATH, SCENARIO_PATH, verlFixture } from '../whatif/fixtures/verl-run.js';
import { runCli, scratchDir } from './run-cli.js';

const SCENARIO = join(projectRoot, 'test', 'whatif', 'async', 'fixtures', 'dapo-7b-8gpu.json');
const TRACE = join(projectRoot, 'traces', 'examples', 'default.jsonl');
const base = ['whatif', '--async', '--lengths', TRACE, '--scenario', SCENARIO, '--iterations', '1', '--jobs', '1'];

interface AsyncJson {
  meta: { command: string; baseline: string; iterations: number; staleness: number[]; gpus: number[] };
  baseline: { scheduler: string; stepTimeS: number; costUsd: number; stepTimeBand80S: [number, number] | null };
  points: { id: string; scheduler: string; status: string; rolloutGpus: number; trainerGpus: number; stepTimeS: number | null; costUsd: number | null; staleShare: number | null; speedupX: number | null; projectedStepTimeS: number | null; onFrontier: boolean; reason: string | null }[];
  frontier: { id: string; stepTimeS: number }[];
  notes: string[];
  errors: unknown[];
}

describe('rlhf-replay whatif --async', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await scratchDir('whatif-async-cli');
  });

  it('prints one JSON document (meta, baseline, recorded, points, frontier, notes, errors), the same bytes every run', async () => {
    const run = await runCli([...base, '--rollout-gpus', '2,4', '--staleness', '0,0.5', '--json']);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toBe('');
    const doc = JSON.parse(run.out) as AsyncJson;
    expect(Object.keys(doc)).toEqual(['meta', 'baseline', 'recorded', 'points', 'frontier', 'notes', 'errors']);
    expect([doc.meta.command, doc.meta.baseline, doc.meta.iterations, doc.meta.staleness, doc.meta.gpus]).toEqual(['whatif --async', 'verl', 1, [0, 0.5], [8]]);
    expect(doc.baseline.scheduler).toBe('verl');
    // 2 rollout GPUs hold no server of TP 4: listed, not dropped.
    expect(doc.points.map((p) => [p.rolloutGpus, p.scheduler, p.status])).toEqual([
      [2, 'one-step-off', 'infeasible'],
      [2, 'fully-async', 'infeasible'],
      [2, 'fully-async', 'infeasible'],
      [4, 'one-step-off', 'ok'],
      [4, 'fully-async', 'ok'],
      [4, 'fully-async', 'ok'],
    ]);
    expect(doc.points[0]!.reason).toBe('2 rollout GPUs hold no rollout server of generation TP 4');
    const ok = doc.points.filter((p) => p.status === 'ok');
    for (const p of ok) expect(p.speedupX!).toBeCloseTo(doc.baseline.stepTimeS / p.stepTimeS!, 9);
    expect(doc.frontier.length).toBeGreaterThan(0);
    expect(doc.frontier.map((f) => f.stepTimeS)).toEqual([...doc.frontier.map((f) => f.stepTimeS)].sort((a, b) => a - b));
    const again = await runCli([...base, '--rollout-gpus', '2,4', '--staleness', '0,0.5', '--json']);
    expect(again.out).toBe(run.out);
  });

  it('gives for a point the numbers `replay` gives for that scheduler with the same parameters', async () => {
    const run = await runCli([...base, '--rollout-gpus', '4', '--staleness', '0.3', '--scheduler', 'fully-async', '--json']);
    expect(run.code, run.err).toBe(0);
    const point = (JSON.parse(run.out) as AsyncJson).points[0]!;
    // The same scheduler and parameters written into a scenario and replayed: the point's inherited veRL settings, its configuration and split.
    const scenario = join(dir, 'point.json');
    const parameters = { 'fsdp-size': 2, 'log-prob-max-tokens-per-gpu': 92160, 'optimizer-offload': true, 'param-offload': true, 'ppo-max-tokens-per-gpu': 61440, 'ulysses-sp': 4, 'staleness-threshold': 0.3, 'require-batches': 1, 'trigger-parameter-sync-step': 4, 'partial-rollout': true, 'rollout-gpus': 4, 'trainer-gpus': 4 };
    await writeFile(scenario, JSON.stringify({ extends: SCENARIO, name: 'point', schedulerParameters: { 'fully-async': parameters }, provenance: { 'schedulerParameters.fully-async': 'assumption: the what-if point' } }));
    const replay = await runCli(['replay', '--scenario', scenario, '--trace', TRACE, '--scheduler', 'fully-async', '--iterations', '1', '--json']);
    expect(replay.code, replay.err).toBe(0);
    const summary = (JSON.parse(replay.out) as { summary: { iterationTimeS: number; costUsd: number }[]; iterations: { counters: Record<string, number> }[] });
    expect(point.stepTimeS).toBe(Number(summary.summary[0]!.iterationTimeS.toPrecision(12)));
    expect(point.costUsd).toBe(Number(summary.summary[0]!.costUsd.toPrecision(12)));
    expect(point.staleShare).toBe(Number(summary.iterations[0]!.counters['stale_samples_frac']!.toPrecision(12)));
  });

  it('prints the tables with units and writes the chart page', async () => {
    const chart = join(dir, 'async.html');
    const run = await runCli([...base, '--splits', '3', '--staleness', '0.5', '--chart', chart]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/co-located baseline: verl on 8 GPUs, [\d.]+ s per step \[[\d.]+, [\d.]+\], [\d.]+ USD per step/);
    expect(run.out).toMatch(/Rollout share \(%\)\s+Configuration\s+Iteration time \(s\)\s+Iteration time, 80 % band \(s\)\s+Speedup vs co-located \(×\)/);
    expect(run.out).toMatch(/2\. Time–cost–staleness frontier/);
    expect(run.out).toContain(`chart written to ${chart}`);
    const html = await readFile(chart, 'utf8');
    expect(html).toContain('id="frontier"');
    expect(html).toContain('id="step-time-vs-share-g8"');
    expect(html).toContain('Should dapo-7b-8gpu go asynchronous?');
  });

  it('gives the same report sharded and merged as in one run, and on a worker pool', async () => {
    const args = [...base.filter((a) => a !== '--jobs' && a !== '1'), '--iterations', '1', '--splits', '2', '--staleness', '0.5', '--json'];
    const whole = await runCli([...args, '--jobs', '1']);
    expect(whole.code, whole.err).toBe(0);
    const shards = join(dir, 'shards');
    for (const shard of ['0/2', '1/2']) {
      const part = await runCli([...args, '--jobs', '1', '--shard', shard, '--out', shards]);
      expect(part.code, part.err).toBe(0);
    }
    const merged = await runCli(['merge', shards, '--json']);
    expect(merged.code, merged.err).toBe(0);
    expect(merged.out).toBe(whole.out);
    const pooled = await runCli([...args, '--jobs', '2']);
    expect(pooled.code, pooled.err).toBe(0);
    expect(pooled.out).toBe(whole.out);
  });

  it('sets a recorded GPU trace against the co-located simulation and projects every point onto it', async () => {
    const fixture = await verlFixture(join(dir, 'run'), { steps: 3, seed: 11, maxPerturbation: 0.2 });
    const run = await runCli(['whatif', '--async', '--gpu-trace', fixture.run.dir, '--lengths', LENGTHS_PATH, '--scenario', SCENARIO_PATH, '--keep-trace-batches', '--splits', '2', '--staleness', '0.5', '--jobs', '1', '--json']);
    expect(run.code, run.err).toBe(0);
    const doc = JSON.parse(run.out) as AsyncJson & { recorded: { pairedSteps: number; recordedStepS: number; simulatedStepS: number; mismatch: string | null } };
    const recordedMean = fixture.run.steps.reduce((sum, s) => sum + s.durationS, 0) / 3;
    expect(doc.recorded.pairedSteps).toBe(3);
    expect(doc.recorded.recordedStepS).toBeCloseTo(recordedMean, 6);
    expect(doc.recorded.mismatch).toBeNull();
    const ok = doc.points.filter((p) => p.status === 'ok');
    expect(ok.length).toBeGreaterThan(0);
    for (const p of ok) expect(p.projectedStepTimeS!).toBeCloseTo((doc.recorded.recordedStepS * p.stepTimeS!) / doc.baseline.stepTimeS, 6);
  });

  it.each([
    [['--staleness', 'abc'], "--staleness: field 'staleness' value 'abc': must be a number from 0 to 16 (fraction of a version)"],
    [['--staleness', '0.1,0.1'], "--staleness: field 'staleness' value '0.1': appears twice"],
    [['--splits', '0'], "--splits: field 'splits' value '0': must be a positive whole number of splits"],
    [['--gpus', '9'], "--gpus: field 'gpus' value '9': must be a whole number from 2 to 8 (GPUs of the asynchronous run, at most the co-located run's 8)"],
    [['--require-batches', '1.5'], "--require-batches: field 'require-batches' value '1.5': must be a whole number from 1 to 1024"],
    [['--partial-rollout', 'maybe'], "--partial-rollout: field 'partial-rollout' value 'maybe': must be 'true' or 'false'"],
    [['--scheduler', 'verl'], "--scheduler: field 'scheduler' value 'verl': --async compares the asynchronous schedulers: one-step-off, fully-async"],
    [['--baseline', 'fully-async'], "--baseline: field 'baseline' value 'fully-async': is asynchronous"],
    [['--splits', '3', '--rollout-gpus', '4'], 'give --splits or --rollout-gpus, not both'],
    [['--chrome-trace', 'x.json'], "--chrome-trace: field 'chrome-trace' value 'x.json': is not read by --async"],
    [['--stage-map', 'x.json'], "--stage-map: field 'stage-map' value 'x.json': concerns the recorded GPU trace: give --gpu-trace too"],
    [['--gpu-trace', 'nope.json'], 'nope.json: no such file or folder'],
  ])('exits 2 on %j, saying which flag and why', async (flags, message) => {
    const run = await runCli([...base, ...flags]);
    expect(run.code).toBe(2);
    expect(run.err).toContain(message);
    expect(run.out).toBe('');
  });

  it('exits 2 on an asynchronous flag without --async, and on no --gpu-trace without it', async () => {
    const plain = ['whatif', '--lengths', TRACE, '--scenario', SCENARIO];
    const flag = await runCli([...plain, '--gpu-trace', 'x', '--splits', '3']);
    expect(flag.code).toBe(2);
    expect(flag.err).toContain("--splits: field 'splits' value '3': is a flag of the asynchronous what-if: add --async");
    const noTrace = await runCli(plain);
    expect(noTrace.code).toBe(2);
    expect(noTrace.err).toContain("--gpu-trace: field 'gpu-trace' value 'undefined': is required (the recorded GPU trace), except with --async");
  });

  it('exits 2 on a trace or scenario it cannot read, naming the file', async () => {
    const missing = await runCli(['whatif', '--async', '--lengths', join(dir, 'nope.jsonl'), '--scenario', SCENARIO]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope.jsonl');
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{ "name": 1 ');
    const badScenario = await runCli(['whatif', '--async', '--lengths', TRACE, '--scenario', bad]);
    expect(badScenario.code).toBe(2);
    expect(badScenario.err).toContain('bad.json');
  });

  it('has --help with the asynchronous examples', async () => {
    const run = await runCli(['whatif', '--help']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('--async');
    expect(run.out).toContain('rlhf-replay whatif --async --lengths run.jsonl');
    expect(run.out).toContain('should my co-located run go asynchronous?');
    expect(run.out).toContain('--staleness');
  });
});
