/**
 * A named assumption's value as a person reads it, in its unit: 6442450944 bytes → '6 GiB',
 * 30 with unit 's per function (negative: derived)' → '30 s', true → 'on'. Units that are a
 * description rather than a unit ('fraction of an actor's responses', 'weight of time') leave
 * the number bare: the assumption's name and its table say what it measures. Values a unit gives
 * a meaning to ('(0: derived)', '(negative: derived)') read as that meaning.
 */
export type AssumptionValueLike = number | string | boolean;

const GIB = 1024 ** 3;

/** Leading unit words that print after a number, and how. */
const SHORT_UNITS: Readonly<Record<string, string>> = { s: 's', ms: 'ms', GiB: 'GiB', MiB: 'MiB', '×': '×', '%': '%', epochs: 'epochs', tokens: 'tokens', W: 'W' };

const number = (value: number) => String(Number(value.toPrecision(4)));

/** The meaning a unit gives to a special value: '(0: derived)' for 0, '(negative: derived)' for any negative number. */
function specialMeaning(value: number, unit: string): string | undefined {
  const match = /\((0|negative): ([^)]+)\)/.exec(unit);
  if (!match) return undefined;
  if (match[1] === '0' && value === 0) return match[2];
  if (match[1] === 'negative' && value < 0) return match[2];
  return undefined;
}

export function formatAssumptionValue(value: AssumptionValueLike, unit = ''): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  const special = specialMeaning(value, unit);
  if (special !== undefined) return special;
  const head = unit.trim().split(/[\s(]/)[0] ?? '';
  if (head === 'bytes' || head === 'B') return Math.abs(value) >= GIB / 4 ? `${number(value / GIB)} GiB` : `${number(value / 1024 ** 2)} MiB`;
  const short = SHORT_UNITS[head];
  if (short === '×' || short === '%') return `${number(value)}${short === '%' ? ' %' : '×'}`;
  return short ? `${number(value)} ${short}` : number(value);
}

/**
 * The plausible values of an assumption in words, for a tornado row: numbers as a range
 * ('1.5–6 GiB, default 3 GiB'), choices as a list ('max, off; default sum').
 */
export function describeAssumptionRange(values: readonly AssumptionValueLike[], defaultValue: AssumptionValueLike, unit = ''): string {
  const all = [...values, defaultValue];
  const formattedDefault = formatAssumptionValue(defaultValue, unit);
  if (all.every((v) => typeof v === 'number') && values.length > 0) {
    const numbers = (values as number[]).filter((v) => specialMeaning(v, unit) === undefined);
    const withDefault = specialMeaning(defaultValue as number, unit) === undefined ? [...numbers, defaultValue as number] : numbers;
    const low = Math.min(...withDefault);
    const high = Math.max(...withDefault);
    const span = low === high ? formatAssumptionValue(low, unit) : joinRange(formatAssumptionValue(low, unit), formatAssumptionValue(high, unit));
    return `${span}, default ${formattedDefault}`;
  }
  return `${values.map((v) => formatAssumptionValue(v, unit)).join(', ')}; default ${formattedDefault}`;
}

/** '1.5 GiB' and '6 GiB' → '1.5–6 GiB': the unit once, after the high end. */
function joinRange(low: string, high: string): string {
  const suffix = (text: string) => /[^\d.\-−]*$/.exec(text)?.[0] ?? '';
  const unit = suffix(high);
  return unit !== '' && suffix(low) === unit ? `${low.slice(0, low.length - unit.length)}–${high}` : `${low}–${high}`;
}
