import { createRng } from '../util/rng.js';
import { DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED, type BootstrapOptions } from './confidence-interval.js';

/** Settled bootstrap options with their defaults. */
export interface BootstrapSettings {
  readonly seed: number | string;
  readonly resamples: number;
  readonly confidence: number;
}

export function bootstrapSettings(options: BootstrapOptions = {}): BootstrapSettings {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`bootstrap: confidence must be in (0, 1), got ${confidence}`);
  return { seed: options.seed ?? DEFAULT_SEED, resamples, confidence };
}

function checkSample(values: ArrayLike<number>, name: string): void {
  if (values.length === 0) throw new RangeError(`bootstrap: ${name} is empty`);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new RangeError(`bootstrap: ${name}[${i}] is ${values[i]}, not a finite number`);
  }
}

/**
 * Bootstrap replicates of a statistic of independent samples. Each resample draws, for each
 * sample in order, n indices with `rng.int(n)` from one stream `createRng(seed)` — the exact
 * order the tests reimplement — and passes the resampled copies to `statistic`.
 */
export function bootstrapIndependent(
  samples: readonly ArrayLike<number>[],
  statistic: (resampled: readonly Float64Array[]) => number,
  settings: BootstrapSettings,
): Float64Array {
  samples.forEach((sample, i) => checkSample(sample, `sample ${i}`));
  const rng = createRng(settings.seed);
  const buffers = samples.map((sample) => new Float64Array(sample.length));
  const replicates = new Float64Array(settings.resamples);
  for (let b = 0; b < settings.resamples; b++) {
    samples.forEach((sample, s) => {
      const buffer = buffers[s]!;
      const n = sample.length;
      for (let i = 0; i < n; i++) buffer[i] = sample[rng.int(n)]!;
    });
    replicates[b] = statistic(buffers);
  }
  return replicates;
}

/**
 * Bootstrap replicates for paired samples (same length, element i of each belongs together,
 * e.g. the same seed run under two schedulers): one index stream `rng.int(n)` picks whole pairs.
 */
export function bootstrapPaired(
  samples: readonly ArrayLike<number>[],
  statistic: (resampled: readonly Float64Array[]) => number,
  settings: BootstrapSettings,
): Float64Array {
  samples.forEach((sample, i) => checkSample(sample, `sample ${i}`));
  const n = samples[0]?.length ?? 0;
  if (samples.some((sample) => sample.length !== n)) throw new RangeError('bootstrap: paired samples must have the same length');
  const rng = createRng(settings.seed);
  const buffers = samples.map(() => new Float64Array(n));
  const replicates = new Float64Array(settings.resamples);
  for (let b = 0; b < settings.resamples; b++) {
    for (let i = 0; i < n; i++) {
      const index = rng.int(n);
      samples.forEach((sample, s) => {
        buffers[s]![i] = sample[index]!;
      });
    }
    replicates[b] = statistic(buffers);
  }
  return replicates;
}
