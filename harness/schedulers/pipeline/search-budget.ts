/**
 * Limits of a search: a count of schedule evaluations (deterministic: the same seed and count give
 * the same result on any machine) and an optional wall-clock deadline (a safety cap; when it is
 * what stops a search, the result depends on the machine's speed).
 */
export interface SearchBudget {
  readonly maxEvaluations: number;
  /** Milliseconds clock; only read when a deadline is set. */
  readonly now?: () => number;
  /** Absolute time (in `now`'s milliseconds) after which the search stops. */
  readonly deadlineMs?: number;
  /** Called every TICK_EVERY evaluations with the count so far (for progress displays). */
  readonly onTick?: (evaluations: number) => void;
}

const TICK_EVERY = 16_384;

/** How often the clock is read, in evaluations (reading it every time would cost more than an evaluation). */
const CLOCK_EVERY = 512;

export class BudgetMeter {
  evaluations = 0;
  timedOut = false;
  private readonly budget: SearchBudget;

  constructor(budget: SearchBudget) {
    this.budget = budget;
  }

  /** Counts one evaluation; false once the budget is spent. */
  spend(): boolean {
    if (this.evaluations >= this.budget.maxEvaluations || this.timedOut) return false;
    this.evaluations++;
    if (this.budget.onTick !== undefined && this.evaluations % TICK_EVERY === 0) this.budget.onTick(this.evaluations);
    if (this.budget.deadlineMs !== undefined && this.evaluations % CLOCK_EVERY === 0 && (this.budget.now ?? Date.now)() > this.budget.deadlineMs) this.timedOut = true;
    return true;
  }

  get exhausted(): boolean {
    return this.timedOut || this.evaluations >= this.budget.maxEvaluations;
  }
}
