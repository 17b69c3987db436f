import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { KernelClassifier } from '../../../harness/traces/gpu/kernel-classes.js';
import { readKinetoFile, type KinetoReadOptions } from '../../../harness/traces/gpu/kineto-reader.js';
import { deviceActivities, summarizeGpuTrace } from '../../../harness/traces/gpu/summarize.js';
import { GpuTraceBuilder } from '../../../harness/traces/gpu/trace-builder.js';
import type { GpuTrace } from '../../../harness/traces/gpu/types.js';
import { OpActivity } from '../../../harness/traces/gpu/device-activity.js';
import type { InputError } from '../../../harness/util/input-error.js';
import { inputErrorOf } from './helpers/input-error-of.js';
import { hasSharedData, sharedDataPath } from '../../../harness/util/shared-data.js';

const HTA = ['hta-kineto', 'tests', 'data'];

/** The SOURCE.md table: file, events, kernels, GPU name. */
const SAMPLES = [
  { path: 'trace_filter/sampled_rank-0.json.gz', events: 4855, kernels: 1154, gpu: undefined },
  { path: 'trace_filter/sampled_rank-1.json.gz', events: 4720, kernels: 1104, gpu: undefined },
  { path: 'nccl_parser_config/nccl_data.json.gz', events: 40573, kernels: 2700, gpu: 'NVIDIA A100-PG509-200' },
  { path: 'ns_resolution_trace/rank-0.Apr_03_18_51_38.1102.pt.trace.json.gz', events: 68692, kernels: 4350, gpu: 'Tesla V100-SXM2-32GB' },
  { path: 'amd_trace/mi250_minitoy_train_ROCm6_2_kineto.json.gz', events: 220, kernels: 14, gpu: 'AMD Radeon Graphics' },
] as const;

interface RawEvent {
  cat?: string;
  ph?: string;
  name?: string;
  pid?: number | string;
  ts?: number;
  dur?: number;
  args?: { device?: number };
}

/** The independent reading: the whole file in memory, JSON.parse, plain arrays. */
function parseWhole(file: string): { traceEvents: RawEvent[]; [key: string]: unknown } {
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
}

/**
 * Busy µs per device: sort GPU ops by start, merge overlaps, sum. Timestamps are shifted to the
 * first one before adding durations: at 1.7e15 µs a double only resolves 0.25 µs.
 */
function independentBusyUsByDevice(events: RawEvent[]): Map<number, number> {
  const gpuEvents = events.filter((e) => e.cat === 'kernel' || e.cat === 'gpu_memcpy' || e.cat === 'gpu_memset');
  const origin = Math.min(...gpuEvents.map((e) => e.ts as number));
  const byDevice = new Map<number, [number, number][]>();
  for (const e of gpuEvents) {
    const device = e.args?.device ?? Number(e.pid);
    const list = byDevice.get(device) ?? [];
    const start = (e.ts as number) - origin;
    list.push([start, start + (e.dur as number)]);
    byDevice.set(device, list);
  }
  const busy = new Map<number, number>();
  for (const [device, list] of byDevice) {
    list.sort((a, b) => a[0] - b[0]);
    let total = 0;
    let [runStart, runEnd] = list[0] as [number, number];
    for (const [s, e] of list.slice(1)) {
      if (s <= runEnd) runEnd = Math.max(runEnd, e);
      else {
        total += runEnd - runStart;
        [runStart, runEnd] = [s, e];
      }
    }
    total += runEnd - runStart;
    busy.set(device, total);
  }
  return busy;
}

async function readOne(file: string, options: KinetoReadOptions = {}): Promise<GpuTrace> {
  const builder = new GpuTraceBuilder('kineto', new KernelClassifier());
  await readKinetoFile(file, builder, options);
  return builder.build();
}

function readError(file: string, options: KinetoReadOptions = {}): Promise<InputError> {
  return inputErrorOf(readOne(file, options));
}

describe.skipIf(!hasSharedData(...HTA))('reading the real HTA Kineto traces', () => {
  for (const sample of SAMPLES) {
    it(`${sample.path}: event and kernel counts match SOURCE.md and a whole-file parse`, async () => {
      const file = sharedDataPath(...HTA, sample.path);
      const whole = parseWhole(file);
      expect(whole.traceEvents.length).toBe(sample.events);
      expect(whole.traceEvents.filter((e) => e.cat === 'kernel').length).toBe(sample.kernels);

      const trace = await readOne(file);
      expect(trace.recordsRead).toBe(sample.events);
      const kernels = trace.kernelNames.filter((k) => k.kernelClass !== 'memcpy').reduce((sum, k) => sum + k.count, 0);
      const summary = summarizeGpuTrace(trace, { idleGapS: 0.001 });
      expect(summary.gpus.reduce((sum, g) => sum + (g.kernels ?? 0), 0)).toBe(sample.kernels);
      expect(kernels).toBe(sample.kernels);
      const memoryOps = whole.traceEvents.filter((e) => e.cat === 'gpu_memcpy' || e.cat === 'gpu_memset').length;
      expect(summary.gpus.reduce((sum, g) => sum + (g.memoryOps ?? 0), 0)).toBe(memoryOps);
      expect(summary.gpus.map((g) => g.name)).toEqual(summary.gpus.map(() => sample.gpu ?? null));
    });

    it(`${sample.path}: busy time is the union of GPU intervals, as a sort-and-merge computes it`, async () => {
      const file = sharedDataPath(...HTA, sample.path);
      const expected = independentBusyUsByDevice(parseWhole(file).traceEvents);
      const trace = await readOne(file);
      const activities = deviceActivities(trace);
      expect(trace.devices.map((d) => d.device.index).sort()).toEqual([...expected.keys()].sort());
      for (const { device } of trace.devices) {
        const activity = activities.get(device.id) as OpActivity;
        const expectedS = (expected.get(device.index) as number) * 1e-6;
        expect(Math.abs(activity.busyS - expectedS)).toBeLessThan(1e-9);
        // And the union really is less than the plain sum where streams overlap.
        const sumS = trace.devices.find((d) => d.device.id === device.id)!.ops!;
        let plain = 0;
        for (let i = 0; i < sumS.count; i++) plain += (sumS.endS[i] as number) - (sumS.startS[i] as number);
        expect(activity.busyS).toBeLessThanOrEqual(plain + 1e-9);
      }
    });
  }

  it('reads distributedInfo (rank, world size) and names devices by rank', async () => {
    const trace = await readOne(sharedDataPath(...HTA, 'trace_filter/sampled_rank-1.json.gz'));
    expect(trace.ranks).toEqual([{ file: expect.stringContaining('sampled_rank-1'), rank: 1, worldSize: 128, backend: 'nccl' }]);
    expect(trace.devices.map((d) => [d.device.id, d.device.rank])).toEqual([['gpu1', 1]]);
  });

  it('keeps µs timestamps in a trace whose displayTimeUnit is "ns" (display only)', async () => {
    const file = sharedDataPath(...HTA, 'ns_resolution_trace/rank-0.Apr_03_18_51_38.1102.pt.trace.json.gz');
    const whole = parseWhole(file);
    expect(whole.displayTimeUnit).toBe('ns');
    const step = whole.traceEvents.find((e) => e.name === 'ProfilerStep#101' && e.cat === 'user_annotation') as RawEvent;
    const summary = summarizeGpuTrace(await readOne(file), { idleGapS: 0.001 });
    expect(summary.steps[0]?.step).toBe(101);
    expect(summary.steps[0]?.durationS).toBeCloseTo((step.dur as number) * 1e-6, 9);
    expect(summary.steps.map((s) => s.step)).toEqual([101, 102, 103, 104, 105]);
  });

  it('classifies the real kernels: NCCL all-reduce, cuDNN/CUTLASS GEMMs, element-wise', async () => {
    const trace = await readOne(sharedDataPath(...HTA, 'nccl_parser_config/nccl_data.json.gz'));
    const byName = new Map(trace.kernelNames.map((k) => [k.name, k.kernelClass]));
    expect(byName.get('ncclKernel_AllReduce_RING_LL_Sum_float(ncclDevComm*, unsigned long, ncclWork*)')).toBe('nccl');
    expect([...byName].find(([n]) => n.startsWith('void cutlass::Kernel<cutlass_80_tensorop_s1688gemm'))?.[1]).toBe('gemm');
    expect([...byName].find(([n]) => n.startsWith('void at::native::vectorized_elementwise_kernel'))?.[1]).toBe('elementwise');
    expect(byName.get('Memcpy DtoD (Device -> Device)')).toBe('memcpy');
    // NCCL time equals the sum of the NCCL kernels' durations in the file.
    const whole = parseWhole(sharedDataPath(...HTA, 'nccl_parser_config/nccl_data.json.gz'));
    const ncclUs = whole.traceEvents.filter((e) => e.cat === 'kernel' && /nccl/i.test(e.name ?? '')).reduce((s, e) => s + (e.dur as number), 0);
    const summary = summarizeGpuTrace(trace, { idleGapS: 0.001 });
    expect(summary.byKernelClass.nccl).toBeCloseTo(ncclUs * 1e-6, 9);
  });
});

describe('bad Kineto input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpu-kineto-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const kernel = (extra: Record<string, unknown> = {}) => ({ ph: 'X', cat: 'kernel', name: 'k', pid: 0, tid: 7, ts: 100, dur: 5, args: { device: 0, stream: 7 }, ...extra });

  it.skipIf(!hasSharedData(...HTA))('truncated gzip', async () => {
    const full = readFileSync(sharedDataPath(...HTA, 'nccl_parser_config/nccl_data.json.gz'));
    const file = write('cut.json.gz', full.subarray(0, Math.floor(full.length * 0.6)));
    const error = await readError(file);
    expect(error.problems[0]?.file).toBe(file);
    expect(error.message).toMatch(/truncated gzip/);
  });

  it('not JSON', async () => {
    const error = await readError(write('text.json', 'this is not a trace\n'));
    expect(error.message).toMatch(/not a JSON trace.*found 't'/);
    expect(error.problems[0]).toMatchObject({ line: 1, column: 1 });
  });

  it('JSON without traceEvents', async () => {
    const error = await readError(write('no-events.json', JSON.stringify({ schemaVersion: 1, deviceProperties: [] })));
    expect(error.message).toContain('without a "traceEvents" array');
    expect(error.message).toContain('schemaVersion, deviceProperties');
  });

  it('a trace with no GPU events', async () => {
    const cpuOnly = { traceEvents: [{ ph: 'X', cat: 'cpu_op', name: 'aten::mm', pid: 1, tid: 1, ts: 0, dur: 3 }] };
    const error = await readError(write('cpu.json', JSON.stringify(cpuOnly)));
    expect(error.message).toContain('no GPU events');
    expect(error.message).toContain('among 1 events');
  });

  it('a negative duration names the event, its line and the value', async () => {
    const text = `{"traceEvents": [\n${JSON.stringify(kernel())},\n${JSON.stringify(kernel({ dur: -3.5 }))}\n]}`;
    const error = await readError(write('negative.json', text));
    expect(error.problems[0]).toMatchObject({ field: 'traceEvents[1].dur', value: -3.5, line: 3, column: 1 });
    expect(error.message).toContain('negative duration');
  });

  it('a missing timestamp and a GPU event without a device', async () => {
    expect((await readError(write('nots.json', JSON.stringify({ traceEvents: [kernel({ ts: 'soon' })] })))).problems[0]).toMatchObject({ field: 'traceEvents[0].ts', value: 'soon' });
    const noDevice = kernel({ pid: 'GPU', args: {} });
    expect((await readError(write('nodev.json', JSON.stringify({ traceEvents: [noDevice] })))).problems[0]).toMatchObject({ field: 'traceEvents[0].pid' });
  });

  it('an unknown displayTimeUnit is an error; ms, us and ns are display units', async () => {
    const error = await readError(write('unit.json', JSON.stringify({ traceEvents: [kernel()], displayTimeUnit: 'fortnights' })));
    expect(error.problems[0]).toMatchObject({ field: 'displayTimeUnit', value: 'fortnights' });
    for (const unit of ['ms', 'us', 'ns']) {
      const trace = await readOne(write(`unit-${unit}.json`, JSON.stringify({ traceEvents: [kernel()], displayTimeUnit: unit })));
      expect((trace.devices[0]?.ops?.endS[0] as number) - (trace.devices[0]?.ops?.startS[0] as number)).toBeCloseTo(5e-6, 15);
    }
  });

  it('reads a producer that writes nanoseconds when told (--time-unit ns)', async () => {
    const file = write('ns.json.gz', gzipSync(JSON.stringify({ traceEvents: [kernel({ ts: 1_000_000, dur: 2_500 }), kernel({ ts: 2_000_000, dur: 500 })] })));
    const summary = summarizeGpuTrace(await readOne(file, { timeUnit: 'ns' }), { idleGapS: 0 });
    expect(summary.gpus[0]?.busyS).toBeCloseTo(3e-6, 15);
    expect(summary.spanS).toBeCloseTo(1.0005e-3, 12);
  });

  it('an event that is not an object, and one that is not valid JSON', async () => {
    expect((await readError(write('scalar.json', '{"traceEvents": [1]}'))).message).toBeDefined();
    const bad = '{"traceEvents": [{"cat": "kernel", "ts": 1, "dur": 2, "pid": 0, "name": "a" "b"}]}';
    const error = await readError(write('badevent.json', bad));
    expect(error.problems[0]).toMatchObject({ field: 'traceEvents[0]', line: 1, column: 18 });
  });
});
