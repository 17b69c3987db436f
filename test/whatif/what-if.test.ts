import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { totalGpus } from '../../harness/scenario/scenario.js';
import { findScheduler, schedulers } from '../../harness/schedulers/index.js';
import { readGpuTrace } from '../../harness/traces/gpu/read-gpu-trace.js';
import { deviceActivities, summarizeGpuTrace } from '../../harness/traces/gpu/summarize.js';
import { DEFAULT_STAGE_MAP } from '../../harness/whatif/stage-map.js';
import { whatIf, type WhatIfReport } from '../../harness/whatif/what-if.js';
import { scratchDir } from '../cli/run-cli.js';
import { verlFixture, SIMULATION_SEED, type VerlFixture } from './fixtures/verl-run.js';

/** The stage each annotation the synthetic run writes must land in (written out here, not taken from the default table). */
const EXPECTED_STAGE: Record<string, string | null> = {
  gen: 'gen',
  generate_sequences: 'generate_sequences',
  compute_log_prob: 'old_log_prob',
  compute_ref_log_prob: 'ref',
  compute_values: 'values',
  update_critic: 'update_critic',
  'ActorRolloutRefWorker.update_actor': 'update_actor',
  adv: null,
};

async function runWhatIf(fixture: VerlFixture): Promise<WhatIfReport> {
  const trace = await readGpuTrace(fixture.run.dir);
  const activities = deviceActivities(trace);
  const summary = summarizeGpuTrace(trace, { idleGapS: 0.001 }, activities);
  return whatIf({
    trace,
    summary,
    activities,
    iterations: fixture.iterations,
    scenario: fixture.scenario,
    baseline: findScheduler('verl')!,
    schedulers,
    stageMap: DEFAULT_STAGE_MAP,
    seed: SIMULATION_SEED,
  });
}

describe('what-if replay of a synthetic veRL run made from a verl simulation with seeded perturbation', () => {
  let fixture: VerlFixture;
  let report: WhatIfReport;
  beforeAll(async () => {
    const dir = await scratchDir('whatif-api');
    fixture = await verlFixture(join(dir, 'run'), { steps: 3, seed: 7, maxPerturbation: 0.15 });
    report = await runWhatIf(fixture);
  });

  it('injected a real perturbation (the check below would be vacuous otherwise)', () => {
    const epsilons = fixture.run.factors.flatMap((f) => Object.values(f).map((x) => x - 1));
    expect(epsilons.length).toBeGreaterThan(15);
    for (const e of epsilons) {
      expect(Math.abs(e)).toBeGreaterThan(0.001);
      expect(Math.abs(e)).toBeLessThanOrEqual(0.15);
    }
  });

  it('recovers every recorded step time and stage time from the trace', () => {
    const { recorded } = report;
    expect(recorded.stepsFrom).toBe('profiler-steps');
    expect(recorded.gpus).toBe(4);
    expect(recorded.runGpus).toBe(16);
    expect(recorded.steps.map((s) => s.step)).toEqual([0, 1, 2]);
    fixture.run.steps.forEach((injected, i) => {
      const step = recorded.steps[i]!;
      expect(step.durationS).toBeCloseTo(injected.durationS, 6);
      expect(step.busyFraction).toBeCloseTo(injected.busyS / injected.durationS, 6);
      const expected: Record<string, number> = {};
      for (const range of injected.ranges) {
        const stage = EXPECTED_STAGE[range.name];
        if (stage) expected[stage] = range.recordedS;
      }
      expect(Object.keys(step.stagesS).sort()).toEqual(Object.keys(expected).sort());
      for (const [stage, seconds] of Object.entries(expected)) expect(step.stagesS[stage]).toBeCloseTo(seconds, 6);
    });
  });

  it('says which annotation went to which stage, and that adv matched none', () => {
    const byName = Object.fromEntries(report.recorded.annotations.map((a) => [a.name, a.stage]));
    expect(byName).toEqual(EXPECTED_STAGE);
    const adv = report.recorded.annotations.find((a) => a.name === 'adv')!;
    expect(adv.count).toBe(3 * 4);
    expect(adv.via).toBeNull();
  });

  it('reports fidelity errors equal to the injected perturbation: (simulated − recorded) / recorded = 1 / (1 + ε) − 1', () => {
    const single: Record<string, string> = { old_log_prob: 'old_log_prob', ref: 'ref', values: 'values', update_critic: 'update_critic', update_actor: 'update_actor', generate_sequences: 'generate' };
    fixture.run.factors.forEach((factor, i) => {
      for (const [stage, task] of Object.entries(single)) {
        const row = report.fidelity.rows.find((r) => r.step === i && r.stage === stage)!;
        expect(row.simulatedS).toBeCloseTo(fixture.results[i]!.tasksS[task]!, 9);
        expect(row.errorPct).toBeCloseTo((1 / factor[task]! - 1) * 100, 4);
      }
      // gen holds two perturbed parts: its error follows from them.
      const gen = report.fidelity.rows.find((r) => r.step === i && r.stage === 'gen')!;
      const tasks = fixture.results[i]!.tasksS;
      const recordedGen = tasks['weight-sync']! * factor['weight-sync']! + tasks['generate']! * factor['generate']!;
      expect(gen.errorPct).toBeCloseTo(((tasks['weight-sync']! + tasks['generate']! - recordedGen) / recordedGen) * 100, 4);
      const step = report.fidelity.rows.find((r) => r.step === i && r.stage === 'step')!;
      const injected = fixture.run.steps[i]!.durationS;
      expect(step.errorPct).toBeCloseTo(((fixture.results[i]!.iterationTimeS - injected) / injected) * 100, 4);
    });
  });

  it('summarises each stage with its signed and absolute mean error', () => {
    const ref = report.fidelity.stages.find((s) => s.stage === 'ref')!;
    const errors = fixture.run.factors.map((f) => (1 / f['ref']! - 1) * 100);
    expect(ref.iterations).toBe(3);
    expect(ref.meanErrorPct).toBeCloseTo(errors.reduce((a, b) => a + b, 0) / 3, 4);
    expect(ref.meanAbsErrorPct).toBeCloseTo(errors.reduce((a, b) => a + Math.abs(b), 0) / 3, 4);
    expect(report.fidelity.stages.map((s) => s.stage)).toEqual(['gen', 'generate_sequences', 'old_log_prob', 'ref', 'values', 'update_critic', 'update_actor', 'step']);
    expect(report.fidelity.unrecordedTasks).toEqual([]);
  });

  it('projects every scheduler onto the recorded run by its simulated ratio to the baseline', () => {
    const recordedMean = fixture.run.steps.reduce((s, x) => s + x.durationS, 0) / 3;
    expect(report.recorded.perStep!.iterationTimeS).toBeCloseTo(recordedMean, 6);
    expect(report.recorded.perStep!.gpuSeconds).toBeCloseTo(16 * recordedMean, 5);
    const verl = report.outcomes.find((o) => o.scheduler === 'verl')!;
    expect(verl.projected!.iterationTimeS).toBeCloseTo(recordedMean, 6);
    expect(verl.vsBaseline.speedupX).toBe(1);
    const verlMean = fixture.results.reduce((s, r) => s + r.iterationTimeS, 0) / 3;
    expect(verl.iterationTimeS).toBeCloseTo(verlMean, 9);
    for (const outcome of report.outcomes) {
      expect(outcome.projected!.iterationTimeS).toBeCloseTo((recordedMean * outcome.iterationTimeS) / verlMean, 6);
    }
    expect(report.outcomes.map((o) => o.scheduler)).toEqual(['verl', ...schedulers.map((s) => s.name).filter((n) => n !== 'verl' && !report.notApplicable.some((x) => x.scheduler === n))]);
  });

  it('overlays the recorded utilisation with each simulated one on one time axis', () => {
    const { series, meanUtilisation } = report.utilisation;
    expect(series[0]!.name).toBe('recorded');
    const injectedBusy = fixture.run.steps.reduce((s, x) => s + x.busyS, 0);
    const injectedTime = fixture.run.steps.reduce((s, x) => s + x.durationS, 0);
    expect(series[0]!.horizonS).toBeCloseTo(injectedTime, 6);
    expect(meanUtilisation['recorded']).toBeCloseTo(injectedBusy / injectedTime, 6);
    const verl = series.find((s) => s.name === 'verl')!;
    expect(verl.binS).toBe(series[0]!.binS);
    expect(verl.utilization).toHaveLength(Math.ceil(verl.horizonS / verl.binS - 1e-9));
    // Independently: useful GPU-seconds of every span over the cluster's GPU-seconds.
    let useful = 0;
    for (const r of fixture.results) for (const span of r.spans) useful += span.gpus * (span.endS - span.startS - (span.idleS ?? 0));
    const horizon = fixture.results.reduce((s, r) => s + r.iterationTimeS, 0);
    expect(meanUtilisation['verl']).toBeCloseTo(useful / (totalGpus(fixture.scenario) * horizon), 6);
  });

  it('gives the same report twice', async () => {
    const again = await runWhatIf(fixture);
    expect(JSON.stringify({ ...again, results: undefined })).toBe(JSON.stringify({ ...report, results: undefined }));
  });
});

describe('what-if replay without perturbation', () => {
  it('finds the stages exact, and the step off by exactly the unsimulated data loading and advantage time', async () => {
    const dir = await scratchDir('whatif-exact');
    const fixture = await verlFixture(join(dir, 'run'), { steps: 2, seed: 3, maxPerturbation: 0 });
    const report = await runWhatIf(fixture);
    for (const row of report.fidelity.rows.filter((r) => r.stage !== 'step')) expect(Math.abs(row.errorPct!)).toBeLessThan(1e-5);
    const step = report.fidelity.rows.find((r) => r.stage === 'step' && r.step === 0)!;
    expect(step.recordedS - step.simulatedS!).toBeCloseTo(0.2 + 0.05, 6);
  });
});
