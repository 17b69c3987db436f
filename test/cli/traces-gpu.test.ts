import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { utilisationRows } from '../../harness/cli/traces/gpu.js';
import { gpuUtilisationChart } from '../../harness/report/charts/gpu-utilisation.js';
import { readGpuTrace } from '../../harness/traces/gpu/read-gpu-trace.js';
import { summarizeGpuTrace } from '../../harness/traces/gpu/summarize.js';
import { hasSharedData, sharedDataPath } from '../../harness/util/shared-data.js';
import { compileClean } from '../report/charts/chart-test-kit.js';
import { runCli, scratchDir } from './run-cli.js';

const FIXTURES = join(import.meta.dirname, '..', 'traces', 'gpu', 'fixtures');
const NSYS = join(FIXTURES, 'nsys-cuda-gpu-trace.csv');
const HTA = ['hta-kineto', 'tests', 'data'];

interface GpuJson {
  spanS: number;
  gpus: { id: string; name: string | null; busyFraction: number; kernels: number | null; busyS: number; device: string | null }[];
  byKernelClass: Record<string, number>;
  stages: { name: string; count: number; totalS: number }[];
  steps: { step: number; durationS: number }[];
  ncclShare: number | null;
  utilization: { binS: number; series: { gpu: string; utilization: (number | null)[] }[] };
}

describe('rlhf-replay traces gpu', () => {
  it('prints the documented JSON shape with the figures of the trace', async () => {
    const run = await runCli(['traces', 'gpu', NSYS, '--json']);
    expect(run.code, run.err).toBe(0);
    const json = JSON.parse(run.out) as GpuJson;
    expect(json.spanS).toBe(0.0099);
    expect(json.gpus.map(({ id, name, busyFraction, kernels, busyS }) => ({ id, name, busyFraction, kernels, busyS }))).toEqual([
      { id: 'gpu0', name: 'NVIDIA H100 80GB HBM3', busyFraction: Number((5.2 / 9.9).toPrecision(12)), kernels: 4, busyS: 0.0052 },
      { id: 'gpu1', name: 'NVIDIA H100 80GB HBM3', busyFraction: Number((4 / 9.9).toPrecision(12)), kernels: 2, busyS: 0.004 },
    ]);
    expect(json.gpus[0]?.device).toBe('h100-sxm');
    expect(json.byKernelClass).toEqual({ gemm: 0.006, attention: 0.001, nccl: 0.003, elementwise: 0.0002, memcpy: 0.0006, other: 0.001 });
    expect(json.stages).toEqual([]);
    expect(json.ncclShare).toBe(Number((3 / 11.8).toPrecision(12)));
  });

  it('prints tables with units for a person', async () => {
    const run = await runCli(['traces', 'gpu', NSYS, '--idle-gap-ms', '2']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('Busy (s)');
    expect(run.out).toContain('Time by kernel class');
    expect(run.out).toMatch(/gpu0\s+h100-sxm\s+4\s+0\.005200\s+52\.5/);
    expect(run.out).toContain('Longest idle gaps (≥ 2.000 ms)');
  });

  it('gives the same bytes twice', async () => {
    const a = await runCli(['traces', 'gpu', NSYS, '--json']);
    const b = await runCli(['traces', 'gpu', NSYS, '--json']);
    expect(a.out).toBe(b.out);
  });

  it.skipIf(!hasSharedData(...HTA))('reads a folder of ranks and writes the utilisation chart page', async () => {
    const dir = await scratchDir('traces-gpu');
    const chart = join(dir, 'gpu.html');
    const run = await runCli(['traces', 'gpu', sharedDataPath(...HTA, 'trace_filter'), '--json', '--chart', chart]);
    expect(run.code, run.err).toBe(0);
    const json = JSON.parse(run.out) as GpuJson;
    expect(json.gpus.map((g) => [g.id, g.kernels])).toEqual([
      ['rank0.gpu0', 1154],
      ['rank1.gpu1', 1104],
    ]);
    expect(json.steps.map((s) => s.step)).toEqual([551, 552]);
    expect(json.utilization.series.map((s) => s.gpu)).toEqual(['rank0.gpu0', 'rank1.gpu1']);
    const html = readFileSync(chart, 'utf8');
    expect(html).toContain('<!doctype html>');
    expect(html).toContain('Utilisation over time per GPU');
    expect(html).toContain('rank1.gpu1');
  });

  it('reads paths relative to the working folder', async () => {
    const run = await runCli(['traces', 'gpu', relative(FIXTURES, NSYS), '--json'], FIXTURES);
    expect(run.code, run.err).toBe(0);
  });

  it('applies a user kernel-class file', async () => {
    const dir = await scratchDir('traces-gpu');
    const rules = join(dir, 'classes.json');
    writeFileSync(rules, JSON.stringify({ rules: [{ class: 'custom', pattern: '^my_custom_kernel' }] }));
    const run = await runCli(['traces', 'gpu', NSYS, '--json', '--kernel-classes', rules]);
    expect(run.code, run.err).toBe(0);
    const json = JSON.parse(run.out) as GpuJson;
    expect(json.byKernelClass.custom).toBe(0.001);
    expect(json.byKernelClass.other).toBe(0);
  });

  describe('bad input exits 2 with the file and the problem', () => {
    it.skipIf(!hasSharedData(...HTA))('a truncated gzip', async () => {
      const dir = await scratchDir('traces-gpu');
      const full = readFileSync(sharedDataPath(...HTA, 'ns_resolution_trace', 'rank-0.Apr_03_18_51_38.1102.pt.trace.json.gz'));
      const cut = join(dir, 'cut.pt.trace.json.gz');
      writeFileSync(cut, full.subarray(0, full.length >> 1));
      const chart = join(dir, 'never.html');
      const run = await runCli(['traces', 'gpu', cut, '--chart', chart]);
      expect(run.code).toBe(2);
      expect(run.err).toContain(cut);
      expect(run.err).toContain('truncated gzip');
      expect(run.out).toBe('');
      expect(existsSync(chart)).toBe(false);
    });

    it('a file that is not a trace', async () => {
      const dir = await scratchDir('traces-gpu');
      const file = join(dir, 'notes.txt');
      writeFileSync(file, 'hello\n');
      const run = await runCli(['traces', 'gpu', file]);
      expect(run.code).toBe(2);
      expect(run.err).toContain(`${file}:1: value 'hello': not a recognised GPU trace`);
    });

    it('JSON without traceEvents, and one with a negative duration', async () => {
      const dir = await scratchDir('traces-gpu');
      const noEvents = join(dir, 'a.json');
      writeFileSync(noEvents, '{"schemaVersion": 1}');
      expect((await runCli(['traces', 'gpu', noEvents])).err).toContain('without a "traceEvents" array');
      const negative = join(dir, 'b.json');
      writeFileSync(negative, '{"traceEvents": [\n{"ph": "X", "cat": "kernel", "name": "k", "pid": 0, "tid": 7, "ts": 5, "dur": -1}\n]}');
      const run = await runCli(['traces', 'gpu', negative]);
      expect(run.code).toBe(2);
      expect(run.err).toContain(`${negative}:2:1: field 'traceEvents[0].dur' value '-1': negative duration`);
    });

    it('bad flag values', async () => {
      expect((await runCli(['traces', 'gpu', NSYS, '--idle-gap-ms', '-1'])).code).toBe(2);
      expect((await runCli(['traces', 'gpu', NSYS, '--bin-ms', '0'])).err).toContain("field 'bin-ms' value '0'");
      expect((await runCli(['traces', 'gpu', NSYS, '--format', 'pdf'])).code).toBe(2);
      const dir = await scratchDir('traces-gpu');
      const rules = join(dir, 'bad.json');
      writeFileSync(rules, '{"rules": [{"class": "x", "pattern": "("}]}');
      const run = await runCli(['traces', 'gpu', NSYS, '--kernel-classes', rules]);
      expect(run.code).toBe(2);
      expect(run.err).toContain("field 'rules[0].pattern'");
    });
  });

  it('turns utilisation bins into chart points that keep the last bin and skip N/A bins', async () => {
    const smi = summarizeGpuTrace(await readGpuTrace(join(FIXTURES, 'nvidia-smi-query.csv')), { idleGapS: 1 });
    // Bins of 1 s over a 4 s span; GPU 1 has no reading in its second bin.
    expect(utilisationRows(smi)).toEqual([
      { gpu: 'gpu0', timeS: 0, utilisation: 0 },
      { gpu: 'gpu0', timeS: 1, utilisation: 1 },
      { gpu: 'gpu0', timeS: 2, utilisation: 1 },
      { gpu: 'gpu0', timeS: 3, utilisation: 0 },
      { gpu: 'gpu0', timeS: 4, utilisation: 0 },
      { gpu: 'gpu1', timeS: 0, utilisation: 0.5 },
      { gpu: 'gpu1', timeS: 2, utilisation: 0.5 },
      { gpu: 'gpu1', timeS: 3, utilisation: 1 },
      { gpu: 'gpu1', timeS: 4, utilisation: 1 },
    ]);
    compileClean(gpuUtilisationChart(utilisationRows(smi), { layout: 'rows' }));
  });

  it('has --help', async () => {
    const run = await runCli(['traces', 'gpu', '--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--json', '--chart', '--idle-gap-ms', '--format', '--kernel-classes', '--time-unit', '--dcgm-delay-ms']) expect(run.out).toContain(flag);
  });
});
