import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNvidiaSmiTimestamp } from '../../../harness/traces/gpu/nvidia-smi-reader.js';
import { readGpuTrace } from '../../../harness/traces/gpu/read-gpu-trace.js';
import { summarizeGpuTrace } from '../../../harness/traces/gpu/summarize.js';
import { inputErrorOf as errorOf } from './helpers/input-error-of.js';

/** nvidia-smi and dcgmi dmon logs: the two fixtures hold the same readings, one second apart. */
const SMI = join(import.meta.dirname, 'fixtures', 'nvidia-smi-query.csv');
const DCGM = join(import.meta.dirname, 'fixtures', 'dcgmi-dmon.txt');

describe.each([
  { name: 'nvidia-smi', file: SMI, format: 'nvidia-smi', measure: 'utilization.gpu' },
  { name: 'dcgmi dmon', file: DCGM, format: 'dcgm', measure: 'GPUTL' },
])('$name utilisation log', ({ file, format, measure }) => {
  it('is detected and read into per-GPU utilisation series', async () => {
    const trace = await readGpuTrace(file);
    expect(trace.format).toBe(format);
    expect(trace.devices.map((d) => d.device.id)).toEqual(['gpu0', 'gpu1']);
    const gpu0 = trace.devices[0]?.samples;
    expect(Array.from(gpu0?.tS ?? [])).toEqual([0, 1, 2, 3]);
    expect(Array.from(gpu0?.utilization ?? [])).toEqual([0, 1, 1, 0]);
    expect(Array.from(trace.devices[1]?.samples?.utilization ?? [])).toEqual([0.5, NaN, 0.5, 1]);
    expect(gpu0?.memoryUsedBytes?.[2]).toBe(40960 * 2 ** 20);
    expect(gpu0?.powerW?.[1]).toBeCloseTo(390.1, 9);
  });

  it('integrates utilisation over the period each sample reports', async () => {
    // GPU 0 covers (-1,0]:0, (0,1]:1, (1,2]:1, (2,3]:0 → 2 busy s of 4; idle gaps (-1,0] and (2,3].
    // GPU 1: 0.5, N/A, 0.5, 1 → 2 busy s over the 3 s it reported.
    const summary = summarizeGpuTrace(await readGpuTrace(file), { idleGapS: 0.5 });
    expect(summary.spanS).toBe(4);
    // The first sample (t = 0 on the trace clock) reports the second before it.
    expect(summary.spanStartS).toBe(-1);
    expect(summary.gpus.map((g) => [g.busyS, g.busyFraction, g.busyMeasure, g.kernels])).toEqual([
      [2, 0.5, measure, null],
      [2, 2 / 3, measure, null],
    ]);
    expect(summary.gpus[0]?.idle).toEqual({
      gaps: 2,
      totalS: 2,
      longest: [
        { startS: 0, durationS: 1 },
        { startS: 3, durationS: 1 },
      ],
    });
    expect(summary.utilization.binS).toBe(1);
    expect(summary.utilization.series.map((s) => s.utilization)).toEqual([
      [0, 1, 1, 0],
      [0.5, null, 0.5, 1],
    ]);
    expect(summary.byKernelClass).toEqual({});
    expect(summary.ncclShare).toBeNull();
  });
});

describe('utilisation-log details and bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpu-logs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('maps nvidia-smi GPU names to catalog ids', async () => {
    const trace = await readGpuTrace(SMI);
    expect(trace.devices.map((d) => d.device.catalogId)).toEqual(['a100-80gb', 'a100-80gb']);
  });

  it('places dmon samples at the given delay', async () => {
    const summary = summarizeGpuTrace(await readGpuTrace(DCGM, { dcgmDelayMs: 500 }), { idleGapS: 0.1 });
    expect(summary.spanS).toBe(2);
    expect(summary.gpus[0]?.busyS).toBe(1);
  });

  it('parses nvidia-smi timestamps to the millisecond', () => {
    expect(parseNvidiaSmiTimestamp('2024/05/01 12:00:01.250')! - parseNvidiaSmiTimestamp('2024/05/01 12:00:00.000')!).toBe(1250);
    expect(parseNvidiaSmiTimestamp('yesterday')).toBeUndefined();
  });

  it('rejects nvidia-smi logs it cannot place in time or on a GPU', async () => {
    const text = readFileSync(SMI, 'utf8');
    const noHeader = write('noheader.csv', text.split('\n').slice(1).join('\n'));
    expect((await errorOf(readGpuTrace(noHeader))).message).toContain('not a recognised GPU trace');
    expect((await errorOf(readGpuTrace(noHeader, { format: 'nvidia-smi' }))).message).toContain('noheader');

    const noIndex = write('noindex.csv', 'timestamp, utilization.gpu [%]\n2024/05/01 12:00:00.000, 5 %\n');
    expect((await errorOf(readGpuTrace(noIndex))).message).toContain('no "index" column');

    const badTime = write('badtime.csv', text.replace('2024/05/01 12:00:02.000, 0', 'noon, 0'));
    expect((await errorOf(readGpuTrace(badTime))).problems[0]).toMatchObject({ line: 6, column: 1, field: 'timestamp', value: 'noon' });

    const tooBusy = write('toobusy.csv', text.replace('100 %, 40960 MiB, 395.00 W', '180 %, 40960 MiB, 395.00 W'));
    expect((await errorOf(readGpuTrace(tooBusy))).problems[0]).toMatchObject({ line: 6, column: 4, field: 'utilization.gpu', value: '180 %' });

    const badUnit = write('badunit.csv', text.replace('memory.used [MiB]', 'memory.used [furlongs]'));
    expect((await errorOf(readGpuTrace(badUnit))).problems[0]).toMatchObject({ line: 1, field: 'memory.used', value: 'furlongs' });
  });

  it('rejects dmon output it cannot read', async () => {
    const text = readFileSync(DCGM, 'utf8');
    const short = write('short.txt', text.replace('GPU 0     100          40960        395.000', 'GPU 0     100          40960'));
    expect((await errorOf(readGpuTrace(short))).problems[0]).toMatchObject({ line: 7 });
    expect((await errorOf(readGpuTrace(short))).message).toContain('2 values for 3 fields');

    const noUtil = write('noutil.txt', '#Entity   FBUSD        POWER\nGPU 0     1024         60.5\n');
    expect((await errorOf(readGpuTrace(noUtil))).message).toContain('no utilisation field');

    const changed = write('changed.txt', `${text}#Entity   GPUTL        POWER\n`);
    const changedError = await errorOf(readGpuTrace(changed));
    expect(changedError.problems[0], changedError.message).toMatchObject({ line: 13 });

    const bad = write('bad.txt', text.replace('GPU 1     100', 'GPU 1     1e9x'));
    expect((await errorOf(readGpuTrace(bad))).problems[0]).toMatchObject({ line: 12, field: 'GPUTL', value: '1e9x' });

    const notDmon = write('notdmon.txt', text.replace('GPU 0     0 ', 'hello world '));
    expect((await errorOf(readGpuTrace(notDmon, { format: 'dcgm' }))).problems[0]).toMatchObject({ line: 3 });
  });
});
