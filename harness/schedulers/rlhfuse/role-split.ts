/**
 * How RLHFuse's freed generation instances are split among the inference models (named
 * assumption `inference-split`, papers/rlhfuse.md §9 item 8). Each instance serves one model.
 * Instances are dealt in the order they are freed: the first ones give every model one
 * instance, then each goes to the model furthest below its target share (target share × dealt
 * so far − already given; ties by model order). With fewer instances than models, instance u
 * serves models u, u + U, u + 2U, … one after the other.
 */
export function splitUnitsAmongRoles(unitCount: number, shares: readonly number[]): number[][] {
  const roles = shares.length;
  if (roles === 0) return Array.from({ length: unitCount }, () => []);
  if (unitCount < roles) {
    const out: number[][] = Array.from({ length: unitCount }, () => []);
    for (let r = 0; r < roles; r++) out[r % Math.max(1, unitCount)]?.push(r);
    return out;
  }
  const total = shares.reduce((a, b) => a + b, 0);
  const normalised = shares.map((s) => (total > 0 ? s / total : 1 / roles));
  const given = new Array<number>(roles).fill(0);
  const out: number[][] = [];
  for (let u = 0; u < unitCount; u++) {
    let role: number;
    if (u < roles) role = u;
    else {
      role = 0;
      let bestDeficit = -Infinity;
      for (let r = 0; r < roles; r++) {
        const deficit = normalised[r]! * (u + 1) - given[r]!;
        if (deficit > bestDeficit + 1e-12) {
          bestDeficit = deficit;
          role = r;
        }
      }
    }
    given[role]!++;
    out.push([role]);
  }
  return out;
}
