/**
 * The rollout:trainer splits an asynchronous what-if tries. A split gives the first `rolloutGpus`
 * of the run's GPUs to the rollout servers and the next `trainerGpus` to the trainer
 * (schedulers/async/pools.ts); its rollout share is rolloutGpus / totalGpus.
 *
 * `--splits N` asks for N evenly spaced rollout shares, k / (N + 1) for k = 1…N, so neither side is
 * ever empty. A share becomes GPUs at the nearest whole number of split steps — the step being the
 * least common multiple of the generation TP (a rollout server's GPUs) and the trainer's unit (a
 * training replica's TP × PP × CP GPUs and the Ulysses group) — kept between one step and the
 * largest that leaves the trainer a step. Shares that round to the same GPUs make one split, which
 * keeps every share that asked for it. `--rollout-gpus a,b,…` gives the splits as they are,
 * unrounded: a value that breaks a side's rule is listed with the reason (splitProblems).
 */
export interface Split {
  readonly totalGpus: number;
  readonly rolloutGpus: number;
  readonly trainerGpus: number;
  /** The evenly spaced shares that rounded to this split (empty when given as GPUs). */
  readonly requestedShares: readonly number[];
}

export function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

export function lcm(...values: readonly number[]): number {
  return values.reduce((acc, value) => (acc * value) / gcd(acc, value), 1);
}

/** k / (count + 1) for k = 1…count. */
export function evenShares(count: number): number[] {
  return Array.from({ length: count }, (_, k) => (k + 1) / (count + 1));
}

/** The GPUs of a rollout share on `totalGpus`: the nearest multiple of `step` (halves round up), at least one step, leaving the trainer at least one. */
export function rolloutGpusOfShare(share: number, totalGpus: number, step: number): number {
  const largest = Math.max(step, Math.floor((totalGpus - 1) / step) * step);
  const nearest = Math.round((share * totalGpus) / step) * step;
  return Math.min(Math.max(nearest, step), largest);
}

/** `count` evenly spaced shares of `totalGpus` rounded to `step`, distinct splits in rollout order. */
export function evenSplits(totalGpus: number, count: number, step: number): Split[] {
  const byRollout = new Map<number, number[]>();
  for (const share of evenShares(count)) {
    const rollout = rolloutGpusOfShare(share, totalGpus, step);
    byRollout.set(rollout, [...(byRollout.get(rollout) ?? []), share]);
  }
  return [...byRollout.entries()].sort((a, b) => a[0] - b[0]).map(([rolloutGpus, requestedShares]) => ({ totalGpus, rolloutGpus, trainerGpus: totalGpus - rolloutGpus, requestedShares }));
}

/** Splits given as rollout GPUs, each taking the rest of `totalGpus` for the trainer. */
export function givenSplits(totalGpus: number, rolloutGpus: readonly number[]): Split[] {
  return rolloutGpus.map((rollout) => ({ totalGpus, rolloutGpus: rollout, trainerGpus: totalGpus - rollout, requestedShares: [] }));
}

/** What a split must respect on each side. */
export interface SplitRules {
  /** A rollout server's GPUs (generation.tp). */
  readonly rolloutUnit: number;
  /** GPUs the trainer's size must be a multiple of: every training layout's replica (TP × PP × CP) and the Ulysses group. */
  readonly trainerUnit: number;
}

/** The step `--splits` rounds to: a multiple of both units when the total allows it, else of the rollout unit (the trainer's rule is then checked per split). */
export function splitStep(totalGpus: number, rules: SplitRules): number {
  return totalGpus % rules.trainerUnit === 0 ? lcm(rules.rolloutUnit, rules.trainerUnit) : rules.rolloutUnit;
}

/** Why a split breaks a side's GPU-count rule, or undefined. (Memory is checked apart: trainer-memory.ts.) */
export function splitCountProblem(split: Split, rules: SplitRules): string | undefined {
  if (split.rolloutGpus < rules.rolloutUnit) return `${split.rolloutGpus} rollout GPUs hold no rollout server of generation TP ${rules.rolloutUnit}`;
  if (split.rolloutGpus % rules.rolloutUnit !== 0) return `${split.rolloutGpus} rollout GPUs are not a whole number of rollout servers of generation TP ${rules.rolloutUnit}`;
  if (split.trainerGpus <= 0) return `${split.rolloutGpus} rollout GPUs leave no GPU of the ${split.totalGpus} to the trainer`;
  if (split.trainerGpus % rules.trainerUnit !== 0) return `${split.trainerGpus} trainer GPUs are not a multiple of ${rules.trainerUnit} (a training replica's TP × PP × CP GPUs and the Ulysses group)`;
  return undefined;
}
