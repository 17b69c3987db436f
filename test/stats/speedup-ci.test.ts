import { describe, expect, it } from 'vitest';
import { ratioOfMeansCi } from '../../harness/stats/ratio-of-means-ci.js';
import { speedupCi } from '../../harness/stats/speedup-ci.js';
import { createRng } from '../../harness/util/rng.js';

const baseline = [30.1, 29.8, 31.0, 30.4, 29.9];
const candidate = [20.2, 19.9, 21.1, 20.5, 20.0];

describe('speedupCi', () => {
  it('is mean(baseline time) / mean(candidate time), > 1 when the candidate is faster', () => {
    const speedup = speedupCi(baseline, candidate);
    expect(speedup.estimate).toBeCloseTo(151.2 / 101.7, 14);
    expect(speedup).toEqual(ratioOfMeansCi(baseline, candidate));
  });

  it('pins the independent and paired intervals for the default seed', () => {
    expect(speedupCi(baseline, candidate)).toMatchObject({ ciLow: 1.4535715629680364, ciHigh: 1.5184088778440796 });
    expect(speedupCi(baseline, candidate, { paired: true })).toMatchObject({ ciLow: 1.477338476374156, ciHigh: 1.4949999999999999 });
  });

  it('covers a known true speedup about 95% of the time', () => {
    // Times ~ N(30, 1.5²) and N(20, 1²): true speedup 1.5. 300 trials of 10 seeds each.
    const rng = createRng('coverage-of-speedup');
    let covered = 0;
    for (let trial = 0; trial < 300; trial++) {
      const slow = Array.from({ length: 10 }, () => 30 + 1.5 * rng.normal());
      const fast = Array.from({ length: 10 }, () => 20 + 1 * rng.normal());
      const { ciLow, ciHigh } = speedupCi(slow, fast, { seed: trial, resamples: 1000 });
      if (ciLow <= 1.5 && 1.5 <= ciHigh) covered++;
    }
    expect(covered).toBe(275);
    expect(covered / 300).toBeGreaterThan(0.88);
  });
});
