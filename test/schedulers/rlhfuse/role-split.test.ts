import { describe, expect, it } from 'vitest';
import { splitUnitsAmongRoles } from '../../../harness/schedulers/rlhfuse/role-split.js';

describe('splitUnitsAmongRoles', () => {
  it('gives every role one instance first, then deals by the largest deficit against the shares', () => {
    // Shares 2 : 1 : 1. Units 0–2: one each. Unit 3 (4 dealt): deficits 2 − 1 = 1, 1 − 1 = 0, 0 → role 0.
    // Unit 4 (5 dealt): 2.5 − 2 = 0.5, 1.25 − 1 = 0.25, 0.25 → role 0. Unit 5: 3 − 3 = 0, 1.5 − 1 = 0.5, 0.5 → role 1 (first of the tie).
    expect(splitUnitsAmongRoles(6, [2, 1, 1])).toEqual([[0], [1], [2], [0], [0], [1]]);
  });

  it('approaches the shares over many instances', () => {
    const dealt = splitUnitsAmongRoles(100, [0.5, 0.3, 0.2]).flat();
    expect([0, 1, 2].map((r) => dealt.filter((x) => x === r).length)).toEqual([50, 30, 20]);
  });

  it('makes an instance serve several roles in turn when there are fewer instances than roles', () => {
    expect(splitUnitsAmongRoles(2, [1, 1, 1])).toEqual([[0, 2], [1]]);
    expect(splitUnitsAmongRoles(1, [5, 1])).toEqual([[0, 1]]);
  });
});
