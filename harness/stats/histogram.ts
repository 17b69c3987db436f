export interface HistogramBin {
  /** Inclusive lower edge. */
  readonly start: number;
  /** Exclusive upper edge, except the last bin, which includes the domain's maximum. */
  readonly end: number;
  readonly count: number;
}

export interface HistogramOptions {
  readonly binCount: number;
  /** 'log': geometrically spaced edges (equal width on a log axis); every value must be > 0. */
  readonly scale?: 'linear' | 'log';
  /** [min, max] the bins span; defaults to the values' own range. Share it so several histograms align. */
  readonly domain?: readonly [number, number];
}

/**
 * Counts values into `binCount` equal-width bins (equal on a log axis for scale 'log'). When the
 * domain is a single point, one bin of width 1 centred on it (log: from v/√10 to v·√10) holds
 * everything. A value outside the domain, a non-finite value, or (log) a value ≤ 0 is a RangeError.
 */
export function histogram(values: readonly number[], options: HistogramOptions): HistogramBin[] {
  const { binCount } = options;
  const log = options.scale === 'log';
  if (!Number.isInteger(binCount) || binCount < 1) throw new RangeError(`histogram: binCount must be a positive integer, got ${binCount}`);
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`histogram: value ${value} is not finite`);
    if (log && value <= 0) throw new RangeError(`histogram: value ${value} cannot go on a log scale`);
  }
  if (values.length === 0 && options.domain === undefined) return [];
  let [min, max] = options.domain ?? extent(values);
  if (min === max) {
    [min, max] = log ? [min / Math.sqrt(10), max * Math.sqrt(10)] : [min - 0.5, max + 0.5];
    return [{ start: min, end: max, count: values.length }];
  }
  if (!(min < max) || (log && min <= 0)) throw new RangeError(`histogram: bad domain [${min}, ${max}]`);
  const position = log ? (v: number) => Math.log(v / min) / Math.log(max / min) : (v: number) => (v - min) / (max - min);
  const edge = log ? (i: number) => min * (max / min) ** (i / binCount) : (i: number) => min + ((max - min) * i) / binCount;
  const counts = new Array<number>(binCount).fill(0);
  for (const value of values) {
    if (value < min || value > max) throw new RangeError(`histogram: value ${value} is outside the domain [${min}, ${max}]`);
    counts[Math.min(binCount - 1, Math.floor(position(value) * binCount))]! += 1;
  }
  return counts.map((count, i) => ({ start: i === 0 ? min : edge(i), end: i === binCount - 1 ? max : edge(i + 1), count }));
}

/** [min, max] without spreading (a million values would overflow the call stack). */
function extent(values: readonly number[]): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return [min, max];
}
