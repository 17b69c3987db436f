import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIDELITY_STAGES } from '../../harness/fidelity/fidelity-step.js';
import { sharedDataPath } from '../../harness/util/shared-data.js';
import { runCli, scratchDir } from './run-cli.js';

const RUNS = sharedDataPath('rl-step-logs', 'runs.csv');

describe('rlhf-replay fidelity', async () => {
  const json = await runCli(['fidelity', '--runs', RUNS, '--json']);
  const report = JSON.parse(json.out) as {
    rows: { runId: string; stage: string; measuredS: number; simulatedS: number; errorPct: number; inferredWorkload: boolean }[];
    summary: Record<string, { n: number; medianAbsErrorPct: number; p90AbsErrorPct: number }>;
    unsupported: { runId: string; reason: string }[];
  };

  it('prints exactly { rows, summary, unsupported } with the documented fields', () => {
    expect(json.code).toBe(0);
    expect(Object.keys(report)).toEqual(['rows', 'summary', 'unsupported']);
    for (const row of report.rows) {
      expect(Object.keys(row)).toEqual(['runId', 'stage', 'measuredS', 'simulatedS', 'errorPct', 'inferredWorkload']);
      expect(FIDELITY_STAGES).toContain(row.stage);
      expect(row.errorPct).toBeCloseTo((row.simulatedS / row.measuredS - 1) * 100, 6);
    }
    for (const entry of Object.values(report.summary)) expect(Object.keys(entry)).toEqual(['n', 'medianAbsErrorPct', 'p90AbsErrorPct']);
  });

  it('compares or explains every row of runs.csv', async () => {
    const ids = (await readFile(RUNS, 'utf8')).trim().split('\n').slice(1).map((line) => line.split(',')[0]!);
    const compared = new Set(report.rows.map((r) => r.runId));
    const explained = new Set(report.unsupported.map((u) => u.runId));
    expect(ids.filter((id) => !compared.has(id) && !explained.has(id))).toEqual([]);
  });

  it('marks the rows whose workload the source does not publish (the veRL documentation tables)', () => {
    const inferred = [...new Set(report.rows.filter((r) => r.inferredWorkload).map((r) => r.runId))].sort();
    expect(inferred).toEqual(['r12', 'r13', 'r14', 'r15', 'r16', 'r18', 'r19']);
  });

  it('prints a table per step with bands, a summary, and writes an offline page with --html', async () => {
    const dir = await scratchDir('fidelity');
    const page = join(dir, 'fidelity.html');
    const text = await runCli(['fidelity', '--runs', RUNS, '--html', page]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^r06 \(step 2\) · qwen2-7b-instruct on 8 × a100-80gb · fsdp · left out of the fit/m);
    expect(text.out).toMatch(/Simulated \[80 % band\] \(s\)/);
    expect(text.out).toMatch(/summary \(\|error\| = \|simulated \/ measured − 1\|; out of sample: /);
    expect(text.out).toMatch(/Stage\s+Out of sample: rows\s+Out of sample: median \|error\| \(%\)/);
    const html = await readFile(page, 'utf8');
    expect(html).toContain('Simulated against measured, per stage (log–log)');
    expect(html).toContain('Out-of-sample error by run');
  });

  it('simulates a log that names a local checkpoint once its model is named (--model), and says how when it is not', async () => {
    const log = sharedDataPath('rl-step-logs', 'logs', 'verl-team-gsm8k', 'gemma-2-2b-it-ppo-bsz512_4-prompt1024-resp-512-0.640.log');
    const unnamed = await runCli(['fidelity', '--runs', log, '--log-steps', '1']);
    expect(unnamed.code).toBe(0);
    expect(unnamed.out).toMatch(/not simulated: .*model 'sft_model_path\/global_step_58' is not in the catalog/);
    expect(unnamed.out).toMatch(/--model <catalog id>/);
    const named = await runCli(['fidelity', '--runs', log, '--log-steps', '1', '--model', 'gemma-2-2b-it', '--gpu', 'a100-80gb', '--json']);
    expect(named.code).toBe(0);
    const { rows, unsupported } = JSON.parse(named.out) as { rows: { stage: string }[]; unsupported: unknown[] };
    expect(unsupported).toEqual([]);
    expect(rows.map((r) => r.stage)).toContain('gen');
    const wrong = await runCli(['fidelity', '--runs', log, '--model', 'gemma-9000']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/--model.*gemma-9000.*unknown model id/s);
  });

  it('refuses a file that is neither a recorded-runs table nor a veRL log, naming it (exit 2)', async () => {
    const bad = await runCli(['fidelity', '--runs', sharedDataPath('polytrace', 'SOURCE.md')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/SOURCE\.md/);
  });
});

describe('rlhf-replay calibrate --runs', () => {
  it('rebuilds the shipped framework calibration from the recorded runs, byte for byte', async () => {
    const dir = await scratchDir('calibrate-runs');
    const out = join(dir, 'rl-step-logs.json');
    const run = await runCli(['calibrate', '--runs', '../shared/research/data/rl-step-logs/runs.csv', '--out', out]);
    expect(run.code).toBe(0);
    const shipped = await readFile(join(process.cwd(), 'harness/cost/calibrations/rl-step-logs.json'), 'utf8');
    // the command recorded in the file names the shipped path
    expect((await readFile(out, 'utf8')).replace(out, 'harness/cost/calibrations/rl-step-logs.json')).toBe(shipped);
  });
});
