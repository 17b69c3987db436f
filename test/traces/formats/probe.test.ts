import { describe, expect, it } from 'vitest';
import { BINARY_NUL_FRACTION, binaryKind } from '../../../harness/traces/formats/probe.js';

describe('binaryKind', () => {
  const text = (length: number): Uint8Array => new TextEncoder().encode('step:1 - timing_s/gen:1.0\n'.repeat(Math.ceil(length / 26)).slice(0, length));

  it('reads a text log with a stray NUL byte as text', () => {
    const bytes = text(65536);
    bytes[14113] = 0;
    bytes[19941] = 0; // where the public Dec-2024 log has its two
    expect(binaryKind(bytes)).toBeUndefined();
  });

  it('calls a head binary once NULs reach the threshold, and names compressed data', () => {
    const bytes = text(65536);
    const threshold = Math.ceil(65536 * BINARY_NUL_FRACTION); // 64
    for (let i = 0; i < threshold - 1; i++) bytes[i * 1000] = 0;
    expect(binaryKind(bytes)).toBeUndefined();
    bytes[65000] = 0;
    expect(binaryKind(bytes)).toBe('binary');
    expect(binaryKind(new Uint8Array([0x1f, 0x8b, 8, 0]))).toBe('gzip');
    expect(binaryKind(new Uint8Array([65, 0, 66]))).toBe('binary'); // a short file: one NUL is enough
  });
});
