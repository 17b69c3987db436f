import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNsysDevice } from '../../../harness/traces/gpu/nsys-csv-reader.js';
import { readGpuTrace } from '../../../harness/traces/gpu/read-gpu-trace.js';
import { summarizeGpuTrace } from '../../../harness/traces/gpu/summarize.js';
import { inputErrorOf as errorOf } from './helpers/input-error-of.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'nsys-cuda-gpu-trace.csv');
const MS = 1e-3;

describe('Nsight Systems cuda_gpu_trace CSV', () => {
  it('is detected and read: devices, names, catalog ids', async () => {
    const trace = await readGpuTrace(FIXTURE);
    expect(trace.format).toBe('nsys-csv');
    expect(trace.devices.map((d) => [d.device.id, d.device.rawName, d.device.catalogId])).toEqual([
      ['gpu0', 'NVIDIA H100 80GB HBM3', 'h100-sxm'],
      ['gpu1', 'NVIDIA H100 80GB HBM3', 'h100-sxm'],
    ]);
    expect(trace.recordsRead).toBe(8);
  });

  it('gives the busy union, gaps, classes and NCCL share computed by hand', async () => {
    const summary = summarizeGpuTrace(await readGpuTrace(FIXTURE), { idleGapS: 1 * MS });
    // GPU 0 runs: [1.0,1.5] memcpy; [1.6,3.6] GEMM ∪ [2.0,5.0] NCCL = [1.6,5.0]; [9,10] flash;
    // [10.5,10.7] fill; [10.8,10.9] memset → 0.5 + 3.4 + 1.0 + 0.2 + 0.1 = 5.2 ms.
    // GPU 1: [1.2,5.2] GEMM ∪ [1.2,2.2] custom = 4.0 ms. Span: [1.0, 10.9] = 9.9 ms.
    expect(summary.spanS).toBeCloseTo(9.9 * MS, 12);
    const [gpu0, gpu1] = summary.gpus;
    expect(gpu0?.busyS).toBeCloseTo(5.2 * MS, 12);
    expect(gpu0?.busyFraction).toBeCloseTo(5.2 / 9.9, 12);
    expect(gpu1?.busyS).toBeCloseTo(4.0 * MS, 12);
    expect(gpu0?.kernels).toBe(4);
    expect(gpu0?.memoryOps).toBe(2);
    expect(gpu1?.kernels).toBe(2);
    // Gaps ≥ 1 ms: GPU 0 [5.0, 9.0]; GPU 1 [5.2, 10.9] (its lead-in [1.0,1.2] is shorter).
    expect(gpu0?.idle.gaps).toBe(1);
    expect(gpu0?.idle.longest[0]?.startS).toBeCloseTo(4.0 * MS, 12);
    expect(gpu0?.idle.longest[0]?.durationS).toBeCloseTo(4.0 * MS, 12);
    expect(gpu1?.idle.totalS).toBeCloseTo(5.7 * MS, 12);
    const expectedClasses = { gemm: 6.0, attention: 1.0, nccl: 3.0, elementwise: 0.2, memcpy: 0.6, other: 1.0 };
    for (const [name, ms] of Object.entries(expectedClasses)) expect(summary.byKernelClass[name]).toBeCloseTo(ms * MS, 12);
    expect(summary.ncclShare).toBeCloseTo(3.0 / 11.8, 12);
    expect(summary.stages).toEqual([]);
    expect(summary.notes.join(' ')).toContain('no annotations');
  });

  it('converts other time units given in the header', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpu-nsys-'));
    try {
      const text = readFileSync(FIXTURE, 'utf8');
      const rows = text.split('\n').slice(3).filter((line) => line !== '');
      const inUs = rows.map((line) => {
        const [start, duration, ...rest] = line.split(',');
        return [Number(start) / 1000, Number(duration) / 1000, ...rest].join(',');
      });
      const header = text.split('\n')[2]!.replace('Start (ns)', 'Start (us)').replace('Duration (ns)', 'Duration (us)');
      const file = join(dir, 'us.csv');
      writeFileSync(file, [header, ...inUs].join('\n'));
      const summary = summarizeGpuTrace(await readGpuTrace(file), { idleGapS: 1 * MS });
      expect(summary.gpus[0]?.busyS).toBeCloseTo(5.2 * MS, 12);

      writeFileSync(file, [header.replace('Start (us)', 'Start (fortnights)'), ...inUs].join('\n'));
      const error = await errorOf(readGpuTrace(file));
      expect(error.problems[0]).toMatchObject({ line: 1, column: 1, field: 'Start (fortnights)', value: 'fortnights' });

      writeFileSync(file, [header, ...inUs.map((line, i) => (i === 2 ? line.replace(/^([^,]+),[^,]+,/, '$1,-1,') : line))].join('\n'));
      const negative = await errorOf(readGpuTrace(file));
      expect(negative.problems[0]).toMatchObject({ line: 4, column: 2, field: 'Duration (us)', value: '-1' });
      expect(negative.message).toContain('negative duration');

      writeFileSync(file, [header, ...inUs.map((line, i) => (i === 1 ? line.replace(/^[^,]+,/, 'soon,') : line))].join('\n'));
      expect((await errorOf(readGpuTrace(file))).problems[0]).toMatchObject({ line: 3, column: 1, value: 'soon' });

      writeFileSync(file, `${header}\n`);
      expect((await errorOf(readGpuTrace(file))).message).toContain('no GPU rows');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses device labels', () => {
    expect(parseNsysDevice('NVIDIA A100-SXM4-80GB (3)')).toEqual({ index: 3, name: 'NVIDIA A100-SXM4-80GB' });
    expect(parseNsysDevice('GPU (1)')).toEqual({ index: 1 });
    expect(parseNsysDevice('GPU0')).toEqual({ index: 0 });
    expect(parseNsysDevice('')).toBeUndefined();
  });
});
