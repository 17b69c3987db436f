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

/** What a search spends evaluations through: a `BudgetMeter` or a slice of one. */
export interface EvaluationMeter {
  /** Evaluations counted so far (on the whole budget, for a slice). */
  readonly evaluations: number;
  readonly timedOut: boolean;
  readonly exhausted: boolean;
  /** Evaluations left before the budget is spent. */
  readonly remaining: number;
  /** Counts one evaluation; false once the budget is spent. */
  spend(): boolean;
}

export class BudgetMeter implements EvaluationMeter {
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

  get remaining(): number {
    return this.timedOut ? 0 : Math.max(0, this.budget.maxEvaluations - this.evaluations);
  }

  /** A share of what is left: at most `evaluations` more, counted on this meter. */
  slice(evaluations: number): EvaluationMeter {
    return new MeterSlice(this, this.evaluations + evaluations);
  }
}

class MeterSlice implements EvaluationMeter {
  private readonly parent: BudgetMeter;
  private readonly stopAt: number;

  constructor(parent: BudgetMeter, stopAt: number) {
    this.parent = parent;
    this.stopAt = stopAt;
  }

  get evaluations(): number {
    return this.parent.evaluations;
  }

  get timedOut(): boolean {
    return this.parent.timedOut;
  }

  get exhausted(): boolean {
    return this.parent.exhausted || this.parent.evaluations >= this.stopAt;
  }

  get remaining(): number {
    return Math.min(this.parent.remaining, Math.max(0, this.stopAt - this.parent.evaluations));
  }

  spend(): boolean {
    return this.parent.evaluations < this.stopAt && this.parent.spend();
  }
}
