/**
 * Nelder–Mead simplex minimisation (adaptive coefficients of Gao & Han 2012), restarted from the
 * best point until a restart no longer improves: derivative-free, deterministic, and enough for
 * the few (2–5) parameters of each calibration group.
 */

export interface MinimizeOptions {
  readonly maxEvaluations?: number;
  /** Stop when the simplex's function values differ by less than this, relative to the best. */
  readonly tolerance?: number;
  /** Initial step per coordinate. */
  readonly step?: number;
  readonly restarts?: number;
}

export interface MinimizeResult {
  readonly x: number[];
  readonly value: number;
  readonly evaluations: number;
}

export function minimize(objective: (x: readonly number[]) => number, start: readonly number[], options: MinimizeOptions = {}): MinimizeResult {
  const maxEvaluations = options.maxEvaluations ?? 4000;
  const tolerance = options.tolerance ?? 1e-9;
  const step = options.step ?? 0.5;
  const restarts = options.restarts ?? 3;
  let evaluations = 0;
  const f = (x: readonly number[]): number => {
    evaluations++;
    const value = objective(x);
    return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
  };

  let best = { x: [...start], value: f(start) };
  for (let round = 0; round <= restarts && evaluations < maxEvaluations; round++) {
    const result = simplexRun(f, best.x, step, tolerance, maxEvaluations - evaluations, () => evaluations);
    const improved = result.value < best.value - tolerance * (Math.abs(best.value) + 1e-12);
    if (result.value <= best.value) best = result;
    if (!improved && round > 0) break;
  }
  return { ...best, evaluations };
}

function simplexRun(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  step: number,
  tolerance: number,
  budget: number,
  used: () => number,
): { x: number[]; value: number } {
  const n = start.length;
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  const limit = used() + budget;

  const points: number[][] = [[...start]];
  for (let i = 0; i < n; i++) {
    const p = [...start];
    p[i] = p[i]! + step;
    points.push(p);
  }
  let values = points.map((p) => f(p));

  const combine = (a: readonly number[], b: readonly number[], t: number) => a.map((ai, i) => ai + t * (b[i]! - ai));
  while (used() < limit) {
    const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]! || i - j);
    const sortedPoints = order.map((i) => points[i]!);
    const sortedValues = order.map((i) => values[i]!);
    points.splice(0, points.length, ...sortedPoints);
    values = sortedValues;
    if (Math.abs(values[n]! - values[0]!) <= tolerance * (Math.abs(values[0]!) + 1e-12)) break;

    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += points[i]![j]! / n;
    const worst = points[n]!;
    const reflected = combine(centroid, worst, -alpha);
    const fr = f(reflected);
    if (fr < values[0]!) {
      const expanded = combine(centroid, worst, -alpha * beta);
      const fe = f(expanded);
      if (fe < fr) {
        points[n] = expanded;
        values[n] = fe;
      } else {
        points[n] = reflected;
        values[n] = fr;
      }
    } else if (fr < values[n - 1]!) {
      points[n] = reflected;
      values[n] = fr;
    } else {
      const outside = fr < values[n]!;
      const contracted = outside ? combine(centroid, worst, -alpha * gamma) : combine(centroid, worst, gamma);
      const fc = f(contracted);
      if (fc < (outside ? fr : values[n]!)) {
        points[n] = contracted;
        values[n] = fc;
      } else {
        for (let i = 1; i <= n; i++) {
          points[i] = combine(points[0]!, points[i]!, delta);
          values[i] = f(points[i]!);
        }
      }
    }
  }
  let bestIndex = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! < values[bestIndex]!) bestIndex = i;
  return { x: points[bestIndex]!, value: values[bestIndex]! };
}
