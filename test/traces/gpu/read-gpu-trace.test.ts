import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectGpuTraceFormat } from '../../../harness/traces/gpu/formats.js';
import { readGpuTrace } from '../../../harness/traces/gpu/read-gpu-trace.js';
import { summarizeGpuTrace } from '../../../harness/traces/gpu/summarize.js';
import { inputErrorOf as errorOf } from './helpers/input-error-of.js';
import { hasSharedData, sharedDataPath } from '../../../harness/util/shared-data.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const RANKS = ['hta-kineto', 'tests', 'data', 'trace_filter'];

describe('format detection', () => {
  it('recognises each format from its first bytes', () => {
    expect(detectGpuTraceFormat('\uFEFF  {"schemaVersion": 1')?.name).toBe('kineto');
    expect(detectGpuTraceFormat('[{"ph": "X"}')?.name).toBe('kineto');
    expect(detectGpuTraceFormat('Processing [r.sqlite]...\n\nStart (ns),Duration (ns),CorrId,Strm,Name\n')?.name).toBe('nsys-csv');
    expect(detectGpuTraceFormat('timestamp, index, utilization.gpu [%]\n')?.name).toBe('nvidia-smi');
    expect(detectGpuTraceFormat('#Entity   GPUTL\nID\n')?.name).toBe('dcgm');
    expect(detectGpuTraceFormat('time,gpu,busy\n')).toBeUndefined();
  });
});

describe('readGpuTrace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpu-read-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!hasSharedData(...RANKS))('reads a folder of ranks as one trace, in rank order', async () => {
    const trace = await readGpuTrace(sharedDataPath(...RANKS));
    expect(trace.sources.map((s) => s.split('/').pop())).toEqual(['sampled_rank-0.json.gz', 'sampled_rank-1.json.gz']);
    expect(trace.devices.map((d) => d.device.id)).toEqual(['rank0.gpu0', 'rank1.gpu1']);
    const summary = summarizeGpuTrace(trace, { idleGapS: 0.001 });
    expect(summary.gpus.map((g) => g.kernels)).toEqual([1154, 1104]);
    // Steps 551 and 552 were recorded by both ranks.
    expect(summary.steps.map((s) => [s.step, s.files])).toEqual([
      [551, 2],
      [552, 2],
    ]);
  });

  it('leaves files of no known format in a folder out, and says so', async () => {
    const folder = join(dir, 'with-notes');
    mkdirSync(folder);
    copyFileSync(join(FIXTURES, 'nsys-cuda-gpu-trace.csv'), join(folder, 'run.csv'));
    writeFileSync(join(folder, 'notes.txt'), 'profiled on Tuesday\n');
    writeFileSync(join(folder, 'README.md'), '# not even a candidate\n');
    const trace = await readGpuTrace(folder);
    expect(trace.sources).toEqual([join(folder, 'run.csv')]);
    expect(trace.notes).toContain(`${join(folder, 'notes.txt')}: not a recognised GPU trace format; skipped`);
  });

  it('refuses a folder that mixes formats', async () => {
    const folder = join(dir, 'mixed');
    mkdirSync(folder);
    copyFileSync(join(FIXTURES, 'nsys-cuda-gpu-trace.csv'), join(folder, 'a.csv'));
    copyFileSync(join(FIXTURES, 'nvidia-smi-query.csv'), join(folder, 'b.csv'));
    expect((await errorOf(readGpuTrace(folder))).message).toContain('mixes formats (nsys-csv, nvidia-smi)');
  });

  it('names the file when it is of no known format, or missing', async () => {
    const file = join(dir, 'unknown.csv');
    writeFileSync(file, 'time,gpu,busy\n1,0,0.5\n');
    const error = await errorOf(readGpuTrace(file));
    expect(error.problems[0]).toMatchObject({ file, line: 1, value: 'time,gpu,busy' });
    expect(error.message).toContain('--format');
    expect((await errorOf(readGpuTrace(join(dir, 'nope.json')))).message).toContain('no such file');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect((await errorOf(readGpuTrace(empty))).message).toContain('no trace files');
  });

  it('never echoes binary bytes: binary data and compressed archives are named, control characters escaped', async () => {
    const binary = join(dir, 'trace.json');
    // Bytes that would drive a terminal (ESC sequences, BEL) and a NUL, as a profiler's binary dump has.
    writeFileSync(binary, Buffer.from([0x7b, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x07, 0x00, 0xff, 0xfe, 0x0a, 0x41]));
    const error = await errorOf(readGpuTrace(binary));
    expect(error.message).toBe(`${binary}: is binary data, not a GPU trace (Kineto/torch.profiler JSON, nsys cuda_gpu_trace CSV, nvidia-smi CSV, dcgmi dmon)`);
    const zip = join(dir, 'trace.zip');
    writeFileSync(zip, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]));
    expect((await errorOf(readGpuTrace(zip))).message).toMatch(/: is zip-compressed: decompress it first/);
    const escapes = join(dir, 'escapes.txt');
    writeFileSync(escapes, 'step \u001b[2Jtime\n');
    const text = (await errorOf(readGpuTrace(escapes))).message;
    expect(text).toContain("value 'step \\x1b[2Jtime'");
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });

  it('honours a forced format', async () => {
    const error = await errorOf(readGpuTrace(join(FIXTURES, 'nvidia-smi-query.csv'), { format: 'kineto' }));
    expect(error.message).toContain('not a JSON trace');
  });

  it('reports progress in bytes over all files', async () => {
    const seen: [number, number][] = [];
    await readGpuTrace(join(FIXTURES, 'dcgmi-dmon.txt'), { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)?.[0]).toBe(seen.at(-1)?.[1]);
  });
});
