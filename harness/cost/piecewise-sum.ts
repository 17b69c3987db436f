/**
 * Closed-form sums over an arithmetic sequence x_k = x0 + k·dx (k = 0 … n−1), used to add up
 * many decode steps at once. They must equal the loop they replace (tests check it).
 */

/** Σ_k (a + b·x_k) for k in [lo, hi] (inclusive); 0 when the range is empty. */
export function sumLinearOver(a: number, b: number, x0: number, dx: number, lo: number, hi: number): number {
  if (hi < lo) return 0;
  const count = hi - lo + 1;
  const sumK = ((lo + hi) * count) / 2;
  return count * (a + b * x0) + b * dx * sumK;
}

/**
 * Σ_{k=0}^{n−1} max(a1 + b1·x_k, a2 + b2·x_k). The difference of the two lines is linear in k,
 * so it changes sign at most once: split there and sum each side in closed form.
 */
export function sumMaxOfTwoLines(a1: number, b1: number, a2: number, b2: number, x0: number, dx: number, n: number): number {
  if (n <= 0) return 0;
  const last = n - 1;
  // line1 − line2 at step k = alpha + beta·k
  const alpha = a1 - a2 + (b1 - b2) * x0;
  const beta = (b1 - b2) * dx;
  if (beta === 0) return alpha >= 0 ? sumLinearOver(a1, b1, x0, dx, 0, last) : sumLinearOver(a2, b2, x0, dx, 0, last);
  const crossing = -alpha / beta;
  if (beta > 0) {
    // line1 wins from the first k ≥ crossing on
    const first = Math.min(n, Math.max(0, Math.ceil(crossing)));
    return sumLinearOver(a2, b2, x0, dx, 0, first - 1) + sumLinearOver(a1, b1, x0, dx, first, last);
  }
  // line1 wins up to the last k ≤ crossing
  const lastOne = Math.min(last, Math.max(-1, Math.floor(crossing)));
  return sumLinearOver(a1, b1, x0, dx, 0, lastOne) + sumLinearOver(a2, b2, x0, dx, lastOne + 1, last);
}
