import { describe, expect, it } from 'vitest';
import { BAND_WIDENING_PER_REASON, errorBand, formatWithBand, insideBand } from '../../harness/fidelity/bands.js';

describe('error bands from out-of-sample log-ratios', () => {
  // the simulation ran 10 % fast to 20 % slow out of sample: ln(sim/meas) in [ln 0.9, ln 1.2]
  const summary = { bandLogRatioLow: Math.log(0.9), bandLogRatioHigh: Math.log(1.2) };

  it('turns a simulated time into the band of what a real run would measure: T / 1.2 … T / 0.9', () => {
    const band = errorBand(120, summary);
    expect(band.lowS).toBeCloseTo(100, 9);
    expect(band.highS).toBeCloseTo(133.333333, 5);
    expect(band.widening).toBe(1);
    expect(insideBand(band, 110)).toBe(true);
    expect(insideBand(band, 140)).toBe(false);
  });

  it('widens the log-width about its centre by the widening per reason outside the calibration', () => {
    const band = errorBand(120, summary, 2);
    const centre = (Math.log(0.9) + Math.log(1.2)) / 2;
    const half = ((Math.log(1.2) - Math.log(0.9)) / 2) * BAND_WIDENING_PER_REASON ** 2;
    expect(band.lowS).toBeCloseTo(120 * Math.exp(-(centre + half)), 9);
    expect(band.highS).toBeCloseTo(120 * Math.exp(-(centre - half)), 9);
  });

  it('prints a time with its band to three significant figures', () => {
    expect(formatWithBand(145.4, { lowS: 118.2, highS: 171.49, nominal: 0.8, widening: 1 })).toBe('145 s [118, 171]');
    expect(formatWithBand(145.4, undefined)).toBe('145 s');
  });
});
