import { describe, expect, it } from 'vitest';
import { roundForJson } from '../../harness/report/round-for-json.js';

describe('roundForJson', () => {
  it('rounds fractional numbers to 12 significant digits, at any depth', () => {
    const text = JSON.stringify({ a: 0.00915853671874999, b: [0.1 + 0.2, 2 / 3], c: { d: 123456.78901234567 } }, roundForJson);
    expect(text).toBe('{"a":0.00915853671875,"b":[0.3,0.666666666667],"c":{"d":123456.789012}}');
  });

  it('leaves whole numbers, non-finite numbers and other values alone', () => {
    expect(roundForJson('k', 12345678901234)).toBe(12345678901234);
    expect(roundForJson('k', Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(roundForJson('k', Number.NaN))).toBe(true);
    expect(roundForJson('k', '0.30000000000000004')).toBe('0.30000000000000004');
    expect(roundForJson('k', null)).toBeNull();
  });
});
