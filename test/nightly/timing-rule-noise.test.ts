import { describe, expect, it } from 'vitest';
import { runCase } from '../../harness/jobs/cases.js';
import { nightlyKind, type Measurer } from '../../harness/nightly/measure-and-compare.js';
import { DEFAULT_TIMING_RULE } from '../../harness/nightly/timing-rule.js';
import { DEFAULT_TOLERANCE } from '../../harness/nightly/suite.js';
import type { Environment, NightlyCase, NightlyCaseResult } from '../../harness/nightly/types.js';
import { createRng } from '../../harness/util/rng.js';
import { CI_RUNNER_NOISE, drawRun, machineFactor, type NoiseModel } from './synthetic-timings.js';

/**
 * The false-alarm rate and the power of the whole timing path (rule + confirmation re-run, as
 * nightlyKind runs it) on synthetic timings: no real timing happens here. Each trial is a case
 * with its own id (so its own seed): a baseline recorded over `baselineRuns` runs, each on its own
 * machine of the kind CI uses, tonight's run on another such machine, and the confirmation re-run
 * on tonight's machine again.
 */
const ENV: Environment = { platform: 'linux', arch: 'x64', cpuModel: 'synthetic', cpus: 2, nodeMajor: 20 };
const SAMPLES = 10;

interface SyntheticCase {
  readonly id: string;
  readonly kind: 'bench';
  readonly slowdown: number;
  readonly noise: NoiseModel;
}

const syntheticMeasurer: Measurer = {
  kind: 'bench',
  async measure(testCase, { rng, attempt }) {
    const c = testCase as unknown as SyntheticCase;
    const machine = machineFactor(rng.fork('tonight-machine'), c.noise);
    const samples = drawRun(rng.fork(`attempt-${attempt}`), SAMPLES, 0.02 * c.slowdown, machine, c.noise);
    const sorted = [...samples].sort((a, b) => a - b);
    return { figures: [{ name: 'loop', unit: 's', mode: 'timing', better: 'lower', value: (sorted[4]! + sorted[5]!) / 2, samples }], notes: [], environment: ENV };
  },
};

const registry = { bench: nightlyKind(syntheticMeasurer as Measurer<NightlyCase>) };

async function verdicts(trials: number, slowdown: number, noise: NoiseModel, baselineRuns: number, label: string): Promise<{ confirmed: number; suspected: number }> {
  let confirmed = 0;
  let suspected = 0;
  for (let trial = 0; trial < trials; trial++) {
    const baselineRng = createRng(`${label}-baseline-${trial}`);
    const runs = Array.from({ length: baselineRuns }, () => drawRun(baselineRng, SAMPLES, 0.02, machineFactor(baselineRng, noise), noise));
    const testCase = {
      id: `${label}-${trial}`,
      kind: 'bench',
      slowdown,
      noise,
      tolerance: DEFAULT_TOLERANCE,
      timing: DEFAULT_TIMING_RULE,
      baselines: { loop: { value: 0.02, unit: 's', runs, environment: ENV } },
    };
    const outcome = await runCase(registry, testCase as never, 1, '/');
    if (outcome.status !== 'ok') throw new Error(JSON.stringify(outcome));
    const comparison = (outcome.result as NightlyCaseResult).figures[0]!.comparison;
    if (comparison.mode !== 'timing') throw new Error('expected a timing comparison');
    if (comparison.verdict === 'regression') confirmed++;
    if (comparison.verdict === 'regression' || (comparison.confirmations?.length ?? 0) > 0) suspected++;
  }
  return { confirmed, suspected };
}

describe('timing rule on seeded synthetic noise', () => {
  const TRIALS = 400;
  const SAME_MACHINE = { ...CI_RUNNER_NOISE, machineSigma: 0 };

  it(`raises at most 5 % false alarms over ${TRIALS} noise-only runs on CI-like runners (3-run baseline), and confirmation removes some`, async () => {
    const { confirmed, suspected } = await verdicts(TRIALS, 1, CI_RUNNER_NOISE, 3, 'noise');
    expect(confirmed / TRIALS).toBeLessThanOrEqual(0.05);
    expect(suspected).toBeGreaterThan(confirmed);
  });

  it('raises at most 1 % when baseline and run share one machine, even with a 1-run baseline', async () => {
    const { confirmed } = await verdicts(TRIALS, 1, SAME_MACHINE, 1, 'same-machine-noise');
    expect(confirmed / TRIALS).toBeLessThanOrEqual(0.01);
  });

  it('catches a real 20 % slowdown with high power', async () => {
    const trials = 200;
    const ci = await verdicts(trials, 1.2, CI_RUNNER_NOISE, 3, 'slow');
    const sameMachine = await verdicts(trials, 1.2, SAME_MACHINE, 1, 'same-machine-slow');
    expect(ci.confirmed / trials).toBeGreaterThanOrEqual(0.85);
    expect(sameMachine.confirmed / trials).toBeGreaterThanOrEqual(0.85);
  });

  it('rarely calls a real 5 % slowdown (below the 10 % minimum effect) a regression', async () => {
    const { confirmed } = await verdicts(TRIALS, 1.05, SAME_MACHINE, 3, 'small');
    expect(confirmed / TRIALS).toBeLessThanOrEqual(0.05);
  });
});
