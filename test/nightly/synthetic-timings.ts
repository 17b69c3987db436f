import type { Rng } from '../../harness/util/rng.js';

/**
 * Synthetic timings from a noisy CI runner, for measuring the timing rule without timing anything.
 * A timing = true median × machine factor × run factor × per-sample noise, with occasional
 * outliers (a GC pause, a noisy neighbour):
 * - machine factor: lognormal(0, machineSigma), one per machine (a CI VM); a re-run on the same
 *   machine keeps it, so confirmation does not wash it out;
 * - run factor: lognormal(0, runSigma), one per process run (JIT, heap layout, frequency state);
 * - per sample: lognormal(0, sampleSigma), and with probability outlierProbability × U(outlierMin, outlierMax).
 */
export interface NoiseModel {
  readonly sampleSigma: number;
  readonly runSigma: number;
  readonly machineSigma: number;
  readonly outlierProbability: number;
  readonly outlierMin: number;
  readonly outlierMax: number;
}

/** A shared CI runner: ~5 % sample noise, runs differing by ~2 %, machines by ~4 %, 5 % outliers up to 3×. */
export const CI_RUNNER_NOISE: NoiseModel = { sampleSigma: 0.05, runSigma: 0.02, machineSigma: 0.04, outlierProbability: 0.05, outlierMin: 1.2, outlierMax: 3 };

export function lognormalFactor(rng: Rng, sigma: number): number {
  return Math.exp(sigma * rng.normal());
}

/** The factor of one machine. */
export function machineFactor(rng: Rng, model: NoiseModel): number {
  return lognormalFactor(rng, model.machineSigma);
}

/** `n` timings of one run (lower is better) whose true median is `trueMedian`, on a machine of factor `machine`. */
export function drawRun(rng: Rng, n: number, trueMedian: number, machine: number, model: NoiseModel): number[] {
  const run = lognormalFactor(rng, model.runSigma);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    let value = trueMedian * machine * run * lognormalFactor(rng, model.sampleSigma);
    if (rng.next() < model.outlierProbability) value *= model.outlierMin + rng.next() * (model.outlierMax - model.outlierMin);
    samples.push(value);
  }
  return samples;
}
