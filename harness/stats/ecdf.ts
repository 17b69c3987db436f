export interface EcdfPoint {
  readonly value: number;
  /** Share of values ≤ value, in (0, 1]. */
  readonly fraction: number;
}

/**
 * The empirical cumulative distribution: one point per distinct value, F(v) = #{x ≤ v} / n.
 * With more distinct values than `maxPoints`, keeps points at evenly spaced positions among them
 * (always the first and the last), so a million-response trace stays a small chart. Drawn with
 * step-after interpolation it is exact at every kept point.
 */
export function ecdf(values: readonly number[], maxPoints = Number.POSITIVE_INFINITY): EcdfPoint[] {
  if (!(maxPoints >= 2)) throw new RangeError(`ecdf: maxPoints must be at least 2, got ${maxPoints}`);
  const sorted = Float64Array.from(values).sort();
  if (sorted.some((value) => Number.isNaN(value))) throw new RangeError('ecdf: values must not be NaN');
  const n = sorted.length;
  const points: EcdfPoint[] = [];
  for (let i = 0; i < n; i++) {
    if (i + 1 < n && sorted[i + 1] === sorted[i]) continue;
    points.push({ value: sorted[i]!, fraction: (i + 1) / n });
  }
  if (points.length <= maxPoints) return points;
  const kept: EcdfPoint[] = [];
  const last = points.length - 1;
  for (let j = 0; j < maxPoints; j++) kept.push(points[Math.round((j * last) / (maxPoints - 1))]!);
  return kept;
}
