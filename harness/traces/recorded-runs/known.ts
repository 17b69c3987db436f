/**
 * A value of the recorded-runs table together with whether the source stated it.
 *
 * `runs.csv` marks a value the transcriber inferred (from a linked script, a back-computed peak,
 * a doc's prose) with a leading `~`; the value is kept, and so is that fact, because a
 * calibration must be able to tell a measured setting from an inferred one. An empty cell is
 * not a Known at all: it stays undefined (unknown), never guessed.
 */
export interface Known<T> {
  readonly value: T;
  /** True when the cell carried the `~` prefix: inferred by the transcriber, not stated by the source. */
  readonly inferred: boolean;
}

/** A cell split into its text and its `~` flag; undefined for an empty cell. */
export function splitInferred(cell: string): Known<string> | undefined {
  const trimmed = cell.trim();
  if (trimmed === '') return undefined;
  if (!trimmed.startsWith('~')) return { value: trimmed, inferred: false };
  return { value: trimmed.slice(1).trim(), inferred: true };
}

/** The value of a Known, or undefined: for callers that do not care whether it was inferred. */
export function valueOf<T>(known: Known<T> | undefined): T | undefined {
  return known?.value;
}
