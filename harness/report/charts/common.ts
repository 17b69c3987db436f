/**
 * Shared pieces of the chart builders. Conventions every builder follows:
 * - rows are normalised to fixed field names (`series`, `mean`, `ciLow`, …) so no caller string
 *   ever becomes a field path, and no caller string is placed in an expression: orders are
 *   literal scale domains, filters are field predicates, tooltips are precomputed text lines
 *   (data, shown escaped by the page);
 * - titles carry units ('Throughput (samples/s)');
 * - data is inline; no URL anywhere.
 */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Distinct values in first-seen order (the order callers pass rows in is the order charts show). */
export function distinctInOrder<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** A number for tooltip text: 4 significant digits, no trailing zeros, no exponent for everyday magnitudes. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** 'value unit', or just the value when there is no unit. */
export function withUnit(value: number, unit: string | undefined): string {
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

/** '95% CI [low, high]' or '' when the interval is missing. */
export function intervalText(low: number | null | undefined, high: number | null | undefined, unit?: string): string {
  if (!isFiniteNumber(low) || !isFiniteNumber(high)) return '';
  return `95% CI [${formatNumber(low)}, ${formatNumber(high)}]${unit ? ` ${unit}` : ''}`;
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Throws a TypeError naming the builder, the row and the field when a required number is not finite. */
export function requireFinite(builder: string, index: number, field: string, value: unknown): number {
  if (!isFiniteNumber(value)) throw new TypeError(`${builder}: row ${index} field '${field}' must be a finite number, got ${String(value)}`);
  return value;
}

/** Finite number or null: charts draw nothing for null (CI bars, bands). */
export function finiteOrNull(value: number | null | undefined): number | null {
  return isFiniteNumber(value) ? value : null;
}

/**
 * The text shown on hover (tooltip lines, also read by screen readers as the ARIA description)
 * for a row. Precomputed as data so Vega-Lite never builds either from titles inside an expression.
 */
export function hoverText(lines: readonly string[]): { tooltip: string[] } {
  return { tooltip: [...lines] };
}

/** Encodings that show a row's `hoverText` (spread into a layer's encoding). */
export const HOVER_ENCODING = {
  tooltip: { field: 'tooltip', type: 'nominal' },
  description: { field: 'tooltip', type: 'nominal' },
} as const;
