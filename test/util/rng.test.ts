import { describe, expect, it } from 'vitest';
import { createRng, stableHash32 } from '../../harness/util/rng.js';

describe('createRng', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const streamA = Array.from({ length: 5 }, () => a.next());
    const streamB = Array.from({ length: 5 }, () => b.next());
    const streamC = Array.from({ length: 5 }, () => c.next());
    expect(streamA).toEqual(streamB);
    expect(streamA).not.toEqual(streamC);
  });

  it('pins the first values of seed 1, so a change to the generator is noticed', () => {
    const rng = createRng(1);
    const firstThree = [rng.next(), rng.next(), rng.next()].map((x) => Math.round(x * 1e9));
    expect(firstThree).toEqual([425649930, 790421711, 691014813]);
  });

  it('derives forks that do not depend on how much the parent has been used', () => {
    const parent = createRng('seed');
    const fork1 = parent.fork('iteration-3').next();
    parent.next();
    parent.next();
    expect(parent.fork('iteration-3').next()).toBe(fork1);
    expect(parent.fork('iteration-4').next()).not.toBe(fork1);
  });

  it('draws uniforms in [0, 1) with mean near 1/2 and normals with mean 0, sd 1', () => {
    const rng = createRng(7);
    const n = 20000;
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s1 += z;
      s2 += z * z;
    }
    expect(s1 / n).toBeCloseTo(0, 1);
    expect(Math.sqrt(s2 / n - (s1 / n) ** 2)).toBeCloseTo(1, 1);
  });

  it('int(n) stays in [0, n) and reaches both ends', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(rng.int(5));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('stableHash32', () => {
  it('is stable and unsigned 32-bit', () => {
    expect(stableHash32('case-a')).toBe(stableHash32('case-a'));
    expect(stableHash32('case-a')).not.toBe(stableHash32('case-b'));
    expect(stableHash32('x')).toBeGreaterThanOrEqual(0);
    expect(stableHash32('x')).toBeLessThan(2 ** 32);
  });
});
