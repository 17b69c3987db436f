import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { schedulers } from '../../harness/schedulers/index.js';
import { hasSharedData, sharedDataPath } from '../../harness/util/shared-data.js';
import { LENGTHS_PATH, SCENARIO_PATH, verlFixture, type VerlFixture } from '../whatif/fixtures/verl-run.js';
import { runCli, scratchDir } from './run-cli.js';

const HTA = ['hta-kineto', 'tests', 'data', 'nccl_parser_config', 'nccl_data.json.gz'];

interface WhatIfJson {
  meta: { baseline: string; schedulers: string[]; stageMap: string };
  recorded: { gpus: number; runGpus: number; stepsFrom: string; steps: { step: number; iteration: number | null; durationS: number | null; stagesS: Record<string, number> }[]; annotations: { name: string; stage: string | null; via: string | null }[] };
  fidelity: { baseline: string; pairedBy: string; rows: { step: number; stage: string; recordedS: number; simulatedS: number | null; errorPct: number | null }[]; stages: { stage: string; simulatedMeanS: number | null }[] };
  schedulers: { scheduler: string; vsBaseline: { speedupX: number }; projected: { iterationTimeS: number } | null }[];
  utilization: { series: { name: string; kind: string; binS: number; utilization: (number | null)[] }[] };
  notes: string[];
}

describe('rlhf-replay whatif', () => {
  let dir = '';
  let fixture: VerlFixture;
  beforeAll(async () => {
    dir = await scratchDir('whatif-cli');
    fixture = await verlFixture(join(dir, 'run'), { steps: 3, seed: 11, maxPerturbation: 0.2 });
  });
  const base = () => ['whatif', '--gpu-trace', fixture.run.dir, '--lengths', LENGTHS_PATH, '--scenario', SCENARIO_PATH, '--keep-trace-batches'];

  it('prints the documented JSON: recorded run, fidelity rows with the injected errors, every scheduler, the utilisation overlay', async () => {
    const run = await runCli([...base(), '--json']);
    expect(run.code, run.err).toBe(0);
    const doc = JSON.parse(run.out) as WhatIfJson;
    expect(Object.keys(doc)).toEqual(['meta', 'recorded', 'fidelity', 'mismatch', 'schedulers', 'notApplicable', 'utilization', 'stageMap', 'notes', 'simulationNotes']);
    expect(doc.meta.baseline).toBe('verl');
    expect(doc.meta.schedulers).toEqual(['verl', ...schedulers.map((s) => s.name).filter((n) => n !== 'verl')]);
    expect([doc.recorded.gpus, doc.recorded.runGpus, doc.recorded.stepsFrom]).toEqual([4, 16, 'profiler-steps']);
    expect(doc.recorded.steps.map((s) => [s.step, s.iteration])).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    expect(doc.fidelity.pairedBy).toBe('number');
    fixture.run.factors.forEach((factor, i) => {
      const ref = doc.fidelity.rows.find((r) => r.step === i && r.stage === 'ref')!;
      expect(ref.errorPct).toBeCloseTo((1 / factor['ref']! - 1) * 100, 4);
      const update = doc.fidelity.rows.find((r) => r.step === i && r.stage === 'update_actor')!;
      expect(update.errorPct).toBeCloseTo((1 / factor['update_actor']! - 1) * 100, 4);
    });
    expect(doc.recorded.annotations.find((a) => a.name === 'adv')).toMatchObject({ stage: null, via: null });
    expect(doc.schedulers[0]!.projected!.iterationTimeS).toBeCloseTo(fixture.run.steps.reduce((s, x) => s + x.durationS, 0) / 3, 6);
    expect(doc.utilization.series.map((s) => [s.name, s.kind])).toEqual([['recorded', 'recorded'], ...doc.schedulers.map((s) => [s.scheduler, 'simulated'])]);
    expect(doc.notes).toContain('the GPU trace records 3 steps and the lengths trace gives 4 iterations: compared iterations 0–2, paired by number');
    const again = await runCli([...base(), '--json']);
    expect(again.out).toBe(run.out);
  });

  it('prints the three parts as tables with units, and writes the chart page', async () => {
    const chart = join(dir, 'whatif.html');
    const run = await runCli([...base(), '--scheduler', 'verl,rlhfuse-base', '--chart', chart]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/1\. Recorded run: kineto, 4 files, 4 of 16 GPUs recorded/);
    expect(run.out).toMatch(/Annotation\s+Stage\s+Simulator tasks\s+Ranges\s+Total \(s\)\s+Mapped by/);
    expect(run.out).toMatch(/adv\s+—\s+—\s+12\s+[\d.]+\s+not matched/);
    expect(run.out).toMatch(/2\. Fidelity: verl simulated on the workload of the 3 recorded steps vs recorded/);
    expect(run.out).toMatch(/Stage\s+Simulator tasks\s+Steps\s+Recorded, mean \(s\)\s+Simulated, mean \(s\)\s+Mean error \(%\)\s+Mean absolute error \(%\)/);
    expect(run.out).toMatch(/gen\s+weight-sync\+generate\s+3\s/);
    expect(run.out).toMatch(/Run\s+Iteration time \(s\)\s+Time vs baseline \(%\)\s+Speedup \(×\)\s+GPU time allocated \(GPU·s\)\s+GPU time vs baseline \(%\)\s+Cost \(USD\)/);
    expect(run.out).toMatch(/\nrecorded\s+[\d.]+\s+—/);
    expect(run.out).toMatch(/verl \(baseline\)\s+[\d.]+\s+0\.0\s+1\.00/);
    expect(run.out).toMatch(/rlhfuse-base\s+[\d.]+\s+-?[\d.]+\s+[\d.]+/);
    const html = await readFile(chart, 'utf8');
    expect(html).toContain('id="utilisation-overlay"');
    expect(html).toContain('recorded (4 of 16 GPUs)');
    expect(html).toContain('rlhfuse-base (simulated, 16 GPUs)');
  });

  it('exits 2 on an unknown scheduler or baseline, listing the registered names', async () => {
    const names = schedulers.map((s) => s.name).join(', ');
    const unknown = await runCli([...base(), '--scheduler', 'verl,nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(`--scheduler: field 'scheduler' value 'nope': unknown scheduler; known: ${names}`);
    const baseline = await runCli([...base(), '--baseline', 'hybridflow']);
    expect(baseline.code).toBe(2);
    expect(baseline.err).toContain(`value 'hybridflow': unknown scheduler; known: ${names}`);
  });

  it('exits 2 on a bad stage map, naming the line and column', async () => {
    const map = join(dir, 'bad-map.json');
    await writeFile(map, '{\n  "stages": {\n    "adv": "advantage"\n  }\n}\n');
    const run = await runCli([...base(), '--stage-map', map]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/bad-map\.json:3:5: field 'stages\.adv' value 'advantage': names no stage; known stages: /);
  });

  it('extends the mapping with --stage-map, and says when the baseline runs none of a stage’s tasks', async () => {
    const map = join(dir, 'map.json');
    await writeFile(map, JSON.stringify({ stages: { adv: ['advantage'] } }));
    const run = await runCli([...base(), '--scheduler', 'verl', '--stage-map', map, '--json']);
    expect(run.code, run.err).toBe(0);
    const doc = JSON.parse(run.out) as WhatIfJson;
    expect(doc.recorded.annotations.find((a) => a.name === 'adv')).toMatchObject({ stage: 'adv', via: 'stage-map' });
    expect(doc.fidelity.stages.find((s) => s.stage === 'adv')!.simulatedMeanS).toBeNull();
    expect(doc.notes).toContain("stage 'adv' was recorded but verl runs none of its tasks (advantage): it has no simulated time");
  });

  it('notes, not fails, when the lengths trace has fewer iterations than the recording has steps', async () => {
    const lengths = join(dir, 'two-iterations.jsonl');
    const lines = (await readFile(LENGTHS_PATH, 'utf8')).split('\n').filter((line) => line !== '' && (line.startsWith('{"$meta"') || (JSON.parse(line) as { iteration: number }).iteration < 2));
    await writeFile(lengths, `${lines.join('\n')}\n`);
    const run = await runCli(['whatif', '--gpu-trace', fixture.run.dir, '--lengths', lengths, '--scenario', SCENARIO_PATH, '--keep-trace-batches', '--scheduler', 'verl', '--json']);
    expect(run.code, run.err).toBe(0);
    const doc = JSON.parse(run.out) as WhatIfJson;
    expect(doc.notes).toContain('the GPU trace records 3 steps and the lengths trace gives 2 iterations: compared the first 2, in order');
    expect(new Set(doc.fidelity.rows.map((r) => r.step))).toEqual(new Set([0, 1]));
    expect(doc.recorded.steps.map((s) => s.iteration)).toEqual([0, 1, null]);
  });

  it('exits 2 when the GPU trace is not there', async () => {
    const run = await runCli(['whatif', '--gpu-trace', join(dir, 'missing.json'), '--lengths', LENGTHS_PATH, '--scenario', SCENARIO_PATH]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/missing\.json: no such file or folder/);
  });

  it.skipIf(!hasSharedData(...HTA))('on a real Kineto trace of a non-RLHF job: says first that the run does not match its simulation, exits 1, withholds the projections, still shows utilisation', async () => {
    const chart = join(dir, 'hta.html');
    const run = await runCli(['whatif', '--gpu-trace', sharedDataPath(...HTA), '--lengths', LENGTHS_PATH, '--scenario', SCENARIO_PATH, '--keep-trace-batches', '--scheduler', 'verl', '--json', '--chart', chart]);
    expect(run.code, run.err).toBe(1);
    const doc = JSON.parse(run.out) as WhatIfJson & { mismatch: { recordedS: number; simulatedS: number; band: { lowS: number; highS: number } } | null };
    expect(doc.mismatch).not.toBeNull();
    expect(doc.mismatch!.recordedS < doc.mismatch!.band.lowS || doc.mismatch!.recordedS > doc.mismatch!.band.highS).toBe(true);
    expect(doc.schedulers).toBeNull();
    const text = await runCli(['whatif', '--gpu-trace', sharedDataPath(...HTA), '--lengths', LENGTHS_PATH, '--scenario', SCENARIO_PATH, '--keep-trace-batches', '--scheduler', 'verl']);
    expect(text.code).toBe(1);
    expect(text.out.split('\n')[0]).toMatch(/^MISMATCH: the recorded run does not match its simulation/);
    expect(text.out).toMatch(/withheld: .* pass --force/);
    const forced = await runCli(['whatif', '--gpu-trace', sharedDataPath(...HTA), '--lengths', LENGTHS_PATH, '--scenario', SCENARIO_PATH, '--keep-trace-batches', '--scheduler', 'verl', '--json', '--force']);
    expect(forced.code).toBe(1);
    expect((JSON.parse(forced.out) as WhatIfJson).schedulers).not.toBeNull();
    expect(doc.recorded.annotations.length).toBeGreaterThan(0);
    expect(doc.recorded.annotations.every((a) => a.stage === null)).toBe(true);
    expect(doc.notes.some((n) => n.startsWith('no annotation matched an RLHF stage'))).toBe(true);
    expect(doc.notes.some((n) => n.includes('probably do not describe the same run'))).toBe(true);
    expect(doc.fidelity.stages.map((s) => s.stage)).toEqual(['step']);
    const recorded = doc.utilization.series.find((s) => s.name === 'recorded')!;
    const measured = recorded.utilization.filter((u): u is number => u !== null);
    expect(measured.length).toBeGreaterThan(10);
    expect(measured.some((u) => u > 0)).toBe(true);
    const page = await readFile(chart, 'utf8');
    expect(page).toContain('recorded (1 of 2 GPUs)');
    expect(page).toContain('MISMATCH: the recorded run does not match its simulation');
  });

  it('documents itself in --help', async () => {
    const run = await runCli(['whatif', '--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--gpu-trace', '--lengths', '--scenario', '--baseline', '--scheduler', '--stage-map', '--iterations', '--seed', '--json', '--chart', '--force']) expect(run.out).toContain(flag);
  });
});
