import { describe, expect, it } from 'vitest';
import type { FrameworkCalibration, StageErrorSummary } from '../../harness/cost/framework/types.js';
import { bandNote, metricBand, schedulerOutsideReasons } from '../../harness/fidelity/metric-bands.js';
import { catalogMetric } from '../../harness/metrics/catalog.js';
import type { ScenarioFramework } from '../../harness/scenario/cost-model.js';

const summary = (low: number, high: number): StageErrorSummary => ({ n: 10, medianAbsErrorPct: 10, p90AbsErrorPct: 30, bandLogRatioLow: low, bandLogRatioHigh: high, bandGuaranteed: true });

function framework(outsideCalibration: string[] = []): ScenarioFramework {
  const calibration = { leaveOneRunOut: { step: summary(Math.log(0.8), Math.log(1.25)), update_actor: summary(Math.log(0.5), Math.log(1.1)) } } as unknown as FrameworkCalibration;
  return { calibration, label: 'test.json', assumptions: {}, outsideCalibration };
}

describe('metricBand', () => {
  it('bands a time by its stage kind: a simulation 25 % too slow at worst reads 80 s for 100 s simulated', () => {
    const band = metricBand(catalogMetric('iterationTimeS'), 100, { framework: framework(), scheduler: 'verl' })!;
    expect(band.lowS).toBeCloseTo(80, 9);
    expect(band.highS).toBeCloseTo(125, 9);
    expect(band.widening).toBe(1);
  });

  it('turns the band over for a rate (samples/s): a slower real step is a lower real throughput', () => {
    const band = metricBand(catalogMetric('samplesPerS'), 10, { framework: framework(), scheduler: 'verl' })!;
    expect(band.lowS).toBeCloseTo(8, 9);
    expect(band.highS).toBeCloseTo(12.5, 9);
  });

  it('uses the actor update for training time when no run timed actor and critic together', () => {
    const band = metricBand(catalogMetric('trainingS'), 10, { framework: framework(), scheduler: 'verl' })!;
    expect(band.lowS).toBeCloseTo(10 / 1.1, 9);
    expect(band.highS).toBeCloseTo(20, 9);
  });

  it('widens ×1.5 in log-width per reason the run lies outside the calibration, the scheduler’s system counting as one', () => {
    const inside = metricBand(catalogMetric('iterationTimeS'), 100, { framework: framework(), scheduler: 'verl' })!;
    const outside = metricBand(catalogMetric('iterationTimeS'), 100, { framework: framework(['GPU family amd-cdna3 not calibrated']), scheduler: 'rlhfuse' })!;
    expect(outside.widening).toBeCloseTo(2.25, 12);
    expect(Math.log(outside.highS / outside.lowS)).toBeCloseTo(2.25 * Math.log(inside.highS / inside.lowS), 9);
    expect(schedulerOutsideReasons('rlhfuse')).toHaveLength(1);
    expect(schedulerOutsideReasons('megatron-colocated')).toEqual([]);
  });

  it('gives no band without a framework calibration, for a non-positive value or for a metric without a stage kind', () => {
    const none: ScenarioFramework = { label: 'none', assumptions: {}, outsideCalibration: [] };
    expect(metricBand(catalogMetric('iterationTimeS'), 100, { framework: none, scheduler: 'verl' })).toBeUndefined();
    expect(metricBand(catalogMetric('iterationTimeS'), 0, { framework: framework(), scheduler: 'verl' })).toBeUndefined();
    expect(metricBand({ ...catalogMetric('iterationTimeS'), fidelityStage: undefined }, 100, { framework: framework(), scheduler: 'verl' })).toBeUndefined();
  });
});

describe('bandNote', () => {
  it('names the calibration and every widening reason, and is absent without a calibration', () => {
    const note = bandNote(framework(['GPU family amd-cdna3 not calibrated']), ['verl', 'rlhfuse'])!;
    expect(note).toContain('test.json');
    expect(note).toContain('amd-cdna3');
    expect(note).toContain('rlhfuse: another system');
    expect(bandNote({ label: 'none', assumptions: {}, outsideCalibration: [] }, ['verl'])).toBeUndefined();
  });
});
