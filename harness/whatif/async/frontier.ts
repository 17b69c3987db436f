/**
 * The Pareto frontier of candidates scored on several objectives, every one better lower (step
 * time, cost per step, stale share). A candidate is on the frontier when no other candidate is at
 * least as good on every objective and strictly better on one; candidates equal on every
 * objective therefore do not dominate each other and are all on it, or all off it together.
 */
export interface FrontierCandidate {
  readonly id: string;
  readonly objectives: readonly number[];
}

/** Whether `a` dominates `b`: no worse on every objective and better on at least one. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) throw new RangeError(`frontier: candidates have ${a.length} and ${b.length} objectives`);
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) better = true;
  }
  return better;
}

/** The ids on the frontier, in the candidates' order. Objectives must be numbers (NaN compares false everywhere and would dominate nothing and be dominated by nothing). */
export function paretoFrontier(candidates: readonly FrontierCandidate[]): string[] {
  for (const c of candidates) if (c.objectives.some((x) => Number.isNaN(x))) throw new RangeError(`frontier: candidate ${c.id} has an objective that is not a number`);
  return candidates.filter((c) => !candidates.some((other) => other !== c && dominates(other.objectives, c.objectives))).map((c) => c.id);
}
