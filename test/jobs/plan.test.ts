import { describe, expect, it } from 'vitest';
import { canonicalJson, planHash } from '../../harness/jobs/plan.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[2,{"y":2,"z":1}]},"b":1}');
  });
});

describe('planHash', () => {
  const plan = { command: 'nightly', seed: 1, cases: [{ id: 'a', kind: 'k', x: 1 }, { id: 'b', kind: 'k' }], config: { c: 1 } };
  it('does not depend on the order cases were enumerated in, or on key order', () => {
    expect(planHash({ ...plan, cases: [plan.cases[1]!, { kind: 'k', x: 1, id: 'a' }] })).toBe(planHash(plan));
  });
  it('changes with the seed, a case, the config or the command', () => {
    const base = planHash(plan);
    expect(planHash({ ...plan, seed: 2 })).not.toBe(base);
    expect(planHash({ ...plan, cases: [{ id: 'a', kind: 'k', x: 2 }, plan.cases[1]!] })).not.toBe(base);
    expect(planHash({ ...plan, config: { c: 2 } })).not.toBe(base);
    expect(planHash({ ...plan, command: 'sweep' })).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});
