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

/**
 * Compares category names with their numbers as numbers ('512' < '1024', '5 nodes' < '10 nodes'),
 * the rest as text, so categories read in numeric order. Pure and locale-free (same order on
 * every machine).
 */
export function naturalCompare(a: string, b: string): number {
  const chunks = (text: string) => text.match(/\d+(?:\.\d+)?|\D+/g) ?? [];
  const left = chunks(a);
  const right = chunks(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i]!;
    const y = right[i]!;
    const numeric = /^\d/.test(x) && /^\d/.test(y);
    const order = numeric ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
    if (order !== 0) return order;
  }
  return left.length - right.length || (a < b ? -1 : a > b ? 1 : 0);
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

/**
 * Legends go below the plot, laid out in as many columns as fit the narrowest page (420 px,
 * about 360 px for the chart), so a legend is never clipped and never squeezes the plot: the
 * entries' width is estimated from their longest label at the legend's 11 px font.
 */
export const NARROW_CHART_WIDTH_PX = 360;

export function legendColumns(labels: readonly string[], availablePx = NARROW_CHART_WIDTH_PX): number {
  if (labels.length === 0) return 1;
  const longest = Math.max(...labels.map((label) => label.length));
  const entryPx = 16 + 6.2 * longest + 12;
  return Math.max(1, Math.min(labels.length, Math.floor(availablePx / entryPx)));
}

/** A bottom legend for these labels: columns that fit, labels never cut (Vega's default cuts at 160 px). */
export function bottomLegend(labels: readonly string[]): { orient: 'bottom'; direction: 'horizontal'; columns: number; labelLimit: number; titleLimit: number } {
  return { orient: 'bottom', direction: 'horizontal', columns: legendColumns(labels), labelLimit: NARROW_CHART_WIDTH_PX, titleLimit: NARROW_CHART_WIDTH_PX };
}

/**
 * A long category name (a configuration) wrapped onto lines of at most `chars` characters at its
 * spaces; a longer word (a file name) breaks after its '-', '_', '.' or '/' where it must, and a
 * word without any stays whole. Builders join the lines with '\n' into the category value and the
 * axis splits it back (`labelExpr: split(datum.value, '\n')`: the expression holds no caller
 * string), so a name sits on lines of its own instead of running into its neighbour.
 */
export function wrapText(text: string, chars: number): string[] {
  // Tokens; `glued` ones continue a word and join their line without a space.
  const tokens: { text: string; glued: boolean }[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (word.length <= chars) {
      tokens.push({ text: word, glued: false });
      continue;
    }
    // Pack the word's pieces (each ending at a separator) into chunks of at most `chars`.
    let chunk = '';
    let first = true;
    for (const piece of word.match(/[^-_./]*[-_./]?/g)!.filter(Boolean)) {
      if (chunk !== '' && chunk.length + piece.length > chars) {
        tokens.push({ text: chunk, glued: !first });
        first = false;
        chunk = piece;
      } else chunk += piece;
    }
    tokens.push({ text: chunk, glued: !first });
  }
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    const joined = line === '' ? token.text : `${line}${token.glued ? '' : ' '}${token.text}`;
    if (line !== '' && joined.length > chars) {
      lines.push(line);
      line = token.text;
    } else line = joined;
  }
  if (line !== '') lines.push(line);
  return lines;
}
