import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCalibration } from '../../harness/cost/calibration/load.js';
import { sharedDataPath } from '../../harness/util/shared-data.js';
import { runCli, scratchDir } from './run-cli.js';

const sendRecv = sharedDataPath('vidur', 'data', 'profiling', 'network', 'h100_dgx', 'send_recv.csv');

describe('rlhf-replay calibrate', () => {
  it('has --help listing its options', async () => {
    const run = await runCli(['calibrate', '--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--out', '--report', '--json', '--folds']) expect(run.out).toContain(flag);
  });

  it('fits a profile and writes a calibration that loads back, with relative provenance', async () => {
    const dir = await scratchDir('calibrate-out');
    const out = join(dir, 'calibration.json');
    const run = await runCli(['calibrate', sendRecv, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/\| h100-sxm \| send_recv\/intra-node \| latencyS/);
    expect(run.out).toContain(`wrote ${out}`);
    const calibration = await loadCalibration(out);
    expect(Object.keys(calibration.devices['h100-sxm']!.collectives!).sort()).toEqual(['send_recv/inter-node', 'send_recv/intra-node']);
    expect(calibration.provenance.sources).toEqual([
      { file: 'vidur/data/profiling/network/h100_dgx/send_recv.csv', format: 'vidur-collective', rows: 1988, provenance: ['Vidur profiling data (microsoft/vidur) network/h100_dgx/send_recv.csv'] },
    ]);
    expect(calibration.provenance.dataDates[0]).toMatch(/^vidur\/SOURCE\.md: Snapshot commit: 7d4751/);
  });

  it('prints the calibration as one JSON document with --json', async () => {
    const run = await runCli(['calibrate', sendRecv, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).schema).toBe('rlhf-replay.calibration/1');
  });

  it('--report --json gives the fidelity report in the documented shape', async () => {
    const run = await runCli(['calibrate', '--report', '--json', '--folds', '3', sendRecv]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out) as { rows: Record<string, unknown>[]; summary: Record<string, unknown> };
    expect(Object.keys(report.summary).sort()).toEqual(['collectiveMedianApePct', 'decodeMedianApePct', 'mlpMedianApePct', 'prefillMedianApePct']);
    expect(report.summary['decodeMedianApePct']).toBeNull();
    expect(report.summary['collectiveMedianApePct']).toBeLessThan(15);
    expect(report.rows.map((r) => `${r['op']} ${r['model_kind']} ${r['validation']}`).sort()).toEqual([
      'send_recv/inter-node interpolated k-fold',
      'send_recv/inter-node roofline k-fold',
      'send_recv/intra-node interpolated k-fold',
      'send_recv/intra-node roofline k-fold',
    ]);
    for (const row of report.rows) for (const key of ['device', 'model', 'op', 'model_kind', 'tested', 'medianApePct', 'p90ApePct']) expect(row).toHaveProperty(key);
  });

  it('--report prints markdown tables', async () => {
    const run = await runCli(['calibrate', '--report', sendRecv]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/\| roofline \| k-fold \| – \| – \| – \| \d+\.\d \|/);
    expect(run.out).toMatch(/\| h100-sxm \| – \| send_recv\/intra-node \| k-fold \| 994 \|/);
  });

  it('exits 2 with a clear message for a missing file, an empty folder, and a bad --folds', async () => {
    const missing = await runCli(['calibrate', 'no/such/profile.csv']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no\/such\/profile\.csv: GPU profile: file or folder not found/);

    const dir = await scratchDir('calibrate-empty');
    await mkdir(join(dir, 'nothing'));
    await writeFile(join(dir, 'nothing', 'notes.csv'), 'a,b\n1,2\n');
    const empty = await runCli(['calibrate', join(dir, 'nothing')]);
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/folder holds no GPU profile CSV/);

    const folds = await runCli(['calibrate', '--report', '--folds', '1', sendRecv]);
    expect(folds.code).toBe(2);
    expect(folds.err).toMatch(/field 'folds' value '1': must be at least 2/);
  });

  it('exits 2 on an implausible time instead of fitting it (a 1e300 ms prefill pushed the fit to its bound)', async () => {
    const dir = await scratchDir('calibrate-implausible');
    const profile = join(dir, 'profile.csv');
    await writeFile(profile, 'device,model,op,tokens,tp,time_ms\nh100-sxm,llama-2-7b,prefill,512,1,1e300\nh100-sxm,llama-2-7b,prefill,1024,1,25\n');
    const run = await runCli(['calibrate', profile]);
    expect(run.code).toBe(2);
    expect(run.err).toBe(`${profile}:2:6: field 'time_ms' value '1e300': is above 3600000 ms, the plausible maximum for one prefill (even 10M tokens prefill in minutes; an hour is a unit error, ms or µs read as s)\n`);
  });
});
