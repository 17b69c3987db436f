import { describe, expect, it } from 'vitest';
import type { DeviceActivity } from '../../harness/traces/gpu/device-activity.js';
import { meanUtilisation, overlayBinS, recordedUtilisation, seriesBinWidths, simulatedUtilisation } from '../../harness/whatif/utilisation.js';
import { iterationResult, span } from './fixtures/iteration-result.js';

describe('utilisation of simulated iterations from their spans', () => {
  // Iteration 0 (3 s): GPUs 0-1 busy 0-2 s, GPU 2 busy 1-3 s with 1 s of pipeline bubble; a driver span (0 GPUs) 2-3 s.
  // Iteration 1 (1 s), laid after it at 3 s: all 4 GPUs busy 0-0.5 s.
  const results = [
    iterationResult({ iterationTimeS: 3, spans: [span(0, 2, 0, 2), span(2, 1, 1, 3, 1), span(0, 0, 2, 3)] }),
    iterationResult({ iteration: 1, iterationTimeS: 1, spans: [span(0, 4, 0, 0.5)] }),
  ];

  it('divides busy GPU-seconds per bin by the cluster, bubbles counted idle', () => {
    const { horizonS, utilization } = simulatedUtilisation(results, 4, 1);
    expect(horizonS).toBe(4);
    // Bin 0: 2 GPUs × 1 s = 2 → 0.5. Bin 1: 2 + 1 × 1 × 0.5 = 2.5 → 0.625. Bin 2: 0.5 → 0.125. Bin 3: 4 × 0.5 = 2 → 0.5.
    expect(utilization).toEqual([0.5, 0.625, 0.125, 0.5]);
  });

  it('counts bubbles as busy when asked', () => {
    expect(simulatedUtilisation(results, 4, 1, { bubbles: 'busy' }).utilization).toEqual([0.5, 0.75, 0.25, 0.5]);
  });

  it('divides a last, shorter bin by its own width', () => {
    const { utilization } = simulatedUtilisation(results, 4, 1.5);
    // [0,1.5): 2×1.5 + 0.5×0.5 = 3.25 / 6; [1.5,3): 2×0.5 + 0.5×1.5 = 1.75 / 6; [3,4): 2 / 4.
    expect(utilization[0]).toBeCloseTo(3.25 / 6, 12);
    expect(utilization[1]).toBeCloseTo(1.75 / 6, 12);
    expect(utilization[2]).toBeCloseTo(0.5, 12);
    expect(meanUtilisation({ name: 'x', kind: 'simulated', gpus: 4, horizonS: 4, binS: 1.5, utilization })).toBeCloseTo((3.25 + 1.75 + 2) / 16, 12);
  });
});

describe('utilisation of a recording over the same bins', () => {
  const activity = (values: number[]): DeviceActivity => ({
    extent: undefined,
    busyWithin: () => 0,
    coveredWithin: () => 0,
    idleGaps: () => [],
    perBin: (from, to, width) => {
      expect([from, to, width]).toEqual([10, 13, 1]);
      return Float64Array.from(values);
    },
  });

  it('averages the GPUs per bin, leaving out a GPU with no data there', () => {
    expect(recordedUtilisation([activity([1, 0.5, NaN]), activity([0, 0.5, NaN]), activity([0.5, NaN, NaN])], 10, 13, 1)).toEqual([0.5, 0.5, null]);
  });
});

describe('overlay bin width', () => {
  it('rounds the longest horizon over the bin budget up to 1-2-5', () => {
    expect(overlayBinS([30, 96.2], 240)).toBe(0.5);
    expect(overlayBinS([1000], 240)).toBe(5);
  });

  it('shares the width, except with a series it would leave fewer than 24 bins', () => {
    expect(seriesBinWidths([90, 96, 110])).toEqual([0.5, 0.5, 0.5]);
    // A 0.67 s recording beside 96 s simulations: 0.5 s bins would give it 2 points.
    expect(seriesBinWidths([0.667, 96, 110])).toEqual([0.005, 0.5, 0.5]);
  });
});
