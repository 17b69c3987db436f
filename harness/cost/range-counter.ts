import type { RangeCounter } from './types.js';

/** A fresh counter: one per simulation, never shared between runs. */
export function createRangeCounter(): RangeCounter {
  return { queries: 0, outOfRange: 0, outOfRangeByKind: {} };
}

/** Records one query; kept tiny because it runs in schedulers' inner loops. */
export function recordQuery(counter: RangeCounter, inRange: boolean, kind: string): void {
  counter.queries++;
  if (!inRange) {
    counter.outOfRange++;
    const byKind = counter.outOfRangeByKind;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
}

/** Share of queries outside the measured or calibrated range, for reports (0 when there were none). */
export function outOfRangeShare(counter: RangeCounter): number {
  return counter.queries === 0 ? 0 : counter.outOfRange / counter.queries;
}

/** A stable, sorted summary line, e.g. "12 of 3400 queries out of range (decode_step 10, prefill 2)". */
export function describeRangeCounter(counter: RangeCounter): string {
  const kinds = Object.keys(counter.outOfRangeByKind).sort();
  const detail = kinds.map((kind) => `${kind} ${counter.outOfRangeByKind[kind]}`).join(', ');
  return `${counter.outOfRange} of ${counter.queries} queries out of range${detail ? ` (${detail})` : ''}`;
}
