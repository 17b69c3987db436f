import { describe, expect, it } from 'vitest';
import { fitFramework, freeParameters, observationsOf, stepAssumptions } from '../../harness/fidelity/fit-framework.js';
import { DEFAULT_FALLBACK_LENGTHS, DEFAULT_KERNEL_CALIBRATION, packagePath, readFallbackLengths, readKernelCalibration } from '../../harness/fidelity/inputs.js';
import { loadRecorded } from '../../harness/fidelity/load-recorded.js';
import { prepareSources } from '../../harness/fidelity/run-fidelity.js';
import { simulateStep, type PreparedStep } from '../../harness/fidelity/simulate-step.js';
import { sharedDataPath } from '../../harness/util/shared-data.js';

describe('fitting a framework calibration', async () => {
  const kernel = await readKernelCalibration(packagePath(DEFAULT_KERNEL_CALIBRATION));
  const fallbackLengths = await readFallbackLengths(packagePath(DEFAULT_FALLBACK_LENGTHS));
  const { sources } = await loadRecorded([sharedDataPath('rl-step-logs', 'runs.csv')]);
  const { prepared } = prepareSources(
    sources.filter((s) => ['r00', 'r03', 'r06', 'r42'].includes(s.row.runId)),
    { fallbackLengths, seed: 1 },
  );
  const names = ['fsdpKernelScale', 'fsdpPassOverheadS', 'decodeSequenceOverheadS', 'gpuKernelScale'] as const;
  const parameters = freeParameters(prepared, names);
  // known truth: the "measurements" are the simulator's own times under these values
  const truth = parameters.map((p) => ({ fsdpKernelScale: 1.7, fsdpPassOverheadS: 0.02, decodeSequenceOverheadS: 1.2e-4, gpuKernelScale: 1.3 })[p.name as (typeof names)[number]]);
  const synthetic: PreparedStep[] = [];
  for (const step of prepared) {
    const stagesS = (await simulateStep(step, kernel, stepAssumptions(step, parameters, truth), 1)).stagesS;
    const measuredS = Object.fromEntries(Object.keys(step.simulation.step.measuredS).map((stage) => [stage, stagesS[stage as keyof typeof stagesS]!]));
    synthetic.push({ ...step, simulation: { ...step.simulation, step: { ...step.simulation.step, measuredS } } });
  }

  it('finds one parameter per kind and scope the steps can inform', () => {
    expect(parameters.map((p) => `${p.name} ${JSON.stringify(p.scope)}`)).toEqual([
      'decodeSequenceOverheadS {"servingEngine":"vllm-2024-eager"}',
      'fsdpKernelScale {"all":true}',
      'fsdpPassOverheadS {"all":true}',
      'gpuKernelScale {"gpu":"mi300x"}',
    ]);
  });

  it('recovers known values from the simulator’s own times', async () => {
    const fit = await fitFramework(synthetic, observationsOf(synthetic), parameters, { kernelCalibration: kernel, seed: 1 });
    fit.values.forEach((value, k) => expect(Math.abs(value / truth[k]! - 1)).toBeLessThan(0.03));
  });

  it('weighs every run the same, whatever its number of steps', () => {
    const observations = observationsOf(prepared);
    const byRun = new Map<string, number>();
    for (const o of observations) {
      const run = prepared[o.step]!.simulation.step.runKey;
      byRun.set(run, (byRun.get(run) ?? 0) + o.weight);
    }
    for (const total of byRun.values()) expect(total).toBeCloseTo(1, 12);
  });

  it('leaves free no parameter that only one run informs (it could not be scored leave-one-run-out)', () => {
    const oneRun = prepared.filter((s) => s.simulation.step.runKey === prepared[0]!.simulation.step.runKey);
    expect(oneRun.length).toBeGreaterThan(0);
    expect(freeParameters(oneRun, names)).toEqual([]);
    const runs = new Set(prepared.map((s) => s.simulation.step.runKey));
    expect(runs.size).toBeGreaterThanOrEqual(2);
  });
});
