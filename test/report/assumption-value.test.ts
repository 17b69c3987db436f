import { describe, expect, it } from 'vitest';
import { describeAssumptionRange, formatAssumptionValue } from '../../harness/report/assumption-value.js';

describe('formatAssumptionValue', () => {
  it('prints bytes in GiB (MiB below a quarter GiB), never raw', () => {
    expect(formatAssumptionValue(6442450944, 'bytes')).toBe('6 GiB');
    expect(formatAssumptionValue(6442450000, 'bytes')).toBe('6 GiB');
    expect(formatAssumptionValue(1.5 * 1024 ** 3, 'bytes')).toBe('1.5 GiB');
    expect(formatAssumptionValue(64 * 1024 ** 2, 'bytes')).toBe('64 MiB');
  });

  it('puts a short unit after the number and leaves descriptive units out', () => {
    expect(formatAssumptionValue(30, 's per function (negative: derived)')).toBe('30 s');
    expect(formatAssumptionValue(6, 'GiB per GPU')).toBe('6 GiB');
    expect(formatAssumptionValue(1.5, '×')).toBe('1.5×');
    expect(formatAssumptionValue(2, 'epochs')).toBe('2 epochs');
    expect(formatAssumptionValue(0.9, 'weight of time')).toBe('0.9');
    expect(formatAssumptionValue(0.3, "fraction of an actor's responses")).toBe('0.3');
    expect(formatAssumptionValue(0.123456789, '')).toBe('0.1235');
  });

  it('reads special values as the unit says, booleans as on/off, choices as they are', () => {
    expect(formatAssumptionValue(-1, 's per function (negative: derived)')).toBe('derived');
    expect(formatAssumptionValue(0, 'prefixes (0: derived)')).toBe('derived');
    expect(formatAssumptionValue(128, 'prefixes (0: derived)')).toBe('128');
    expect(formatAssumptionValue(true, 'boolean')).toBe('on');
    expect(formatAssumptionValue(false, 'on/off')).toBe('off');
    expect(formatAssumptionValue('re-prefill', 'kv-transfer | re-prefill')).toBe('re-prefill');
  });
});

describe('describeAssumptionRange', () => {
  it('gives numbers as a range with the unit once, and the default', () => {
    expect(describeAssumptionRange([1.5 * 1024 ** 3, 6 * 1024 ** 3], 3 * 1024 ** 3, 'bytes')).toBe('1.5–6 GiB, default 3 GiB');
    expect(describeAssumptionRange([0.3, 0.9], 0.7, 'weight of time')).toBe('0.3–0.9, default 0.7');
    expect(describeAssumptionRange([0.5, 1.5], 1, '×')).toBe('0.5–1.5×, default 1×');
    // A special default stays out of the span.
    expect(describeAssumptionRange([0, 30], -1, 's per function (negative: derived)')).toBe('0–30 s, default derived');
  });

  it('lists choices and booleans', () => {
    expect(describeAssumptionRange(['max', 'off'], 'sum', 'sum | max | off')).toBe('max, off; default sum');
    expect(describeAssumptionRange([false], true, 'boolean')).toBe('off; default on');
  });
});
