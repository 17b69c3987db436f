/**
 * The notes schedulers made over a replay, each distinct (scheduler, note) pair once, in the order
 * they first appeared (iterations in order, schedulers in the run's order within one): a few
 * strings per scheduler whatever the replay's length. Callers print them in one of two ways:
 * every note once, or the notes all schedulers made once and the others with the scheduler's name.
 */
export class SchedulerNotes {
  private readonly pairs: { scheduler: string; note: string }[] = [];
  private readonly seen = new Map<string, Set<string>>();

  add(scheduler: string, notes: readonly string[]): void {
    let own = this.seen.get(scheduler);
    if (!own) this.seen.set(scheduler, (own = new Set()));
    for (const note of notes) {
      if (own.has(note)) continue;
      own.add(note);
      this.pairs.push({ scheduler, note });
    }
  }

  /** Forgets a scheduler's notes (one dropped from the run). */
  remove(scheduler: string): void {
    this.seen.delete(scheduler);
    for (let i = this.pairs.length - 1; i >= 0; i--) if (this.pairs[i]!.scheduler === scheduler) this.pairs.splice(i, 1);
  }

  /** Every (scheduler, note) pair in order of first appearance; `schedulerMajor` orders by the schedulers' order first, as if each scheduler had been replayed alone, one after another. */
  entries(schedulerOrder?: readonly string[]): readonly { readonly scheduler: string; readonly note: string }[] {
    if (!schedulerOrder) return this.pairs;
    const rank = new Map(schedulerOrder.map((name, i) => [name, i]));
    return this.pairs
      .map((pair, i) => ({ pair, i }))
      .sort((a, b) => (rank.get(a.pair.scheduler) ?? Infinity) - (rank.get(b.pair.scheduler) ?? Infinity) || a.i - b.i)
      .map(({ pair }) => pair);
  }

  /** Each distinct note once. */
  distinct(schedulerOrder?: readonly string[]): string[] {
    return [...new Set(this.entries(schedulerOrder).map((pair) => pair.note))];
  }

  /** Notes every one of `schedulers` made, once; then the others as `scheduler: note`. */
  sharedThenOwn(schedulers: readonly string[], schedulerOrder?: readonly string[]): string[] {
    const entries = this.entries(schedulerOrder);
    const shared = [...new Set(entries.map((pair) => pair.note))].filter((note) => schedulers.every((name) => this.seen.get(name)?.has(note) === true));
    const own = entries.filter((pair) => !shared.includes(pair.note)).map((pair) => `${pair.scheduler}: ${pair.note}`);
    return [...shared, ...new Set(own)];
  }

  /** Every note as `scheduler: note`, each once. */
  attributed(schedulerOrder?: readonly string[]): string[] {
    return [...new Set(this.entries(schedulerOrder).map((pair) => `${pair.scheduler}: ${pair.note}`))];
  }
}
