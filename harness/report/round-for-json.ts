/**
 * A `JSON.stringify` replacer: numbers without float noise, to 12 significant digits
 * (0.00915853671874999 → 0.00915853671875), so the same input gives the same bytes. Whole numbers
 * and non-finite values pass unchanged.
 */
export function roundForJson(_key: string, value: unknown): unknown {
  return typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value) ? Number(value.toPrecision(12)) : value;
}
