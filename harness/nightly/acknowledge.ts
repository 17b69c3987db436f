import { FieldReader, OBJECT_SCOPED_STYLE, readJsonFile } from '../util/json-input.js';

/**
 * The acknowledge list (baselines/nightly/acknowledged.json): known changes that must not fail
 * the nightly while someone works on them. Each entry names a figure id (`<case>:<figure>`) or a
 * case id (all its figures), why, and the last day (UTC, inclusive) it holds. An expired entry
 * silences nothing and is reported as a warning, so acknowledgements cannot quietly become
 * permanent.
 *
 *   { "acknowledged": [ { "id": "sim/x/verl:costUsd", "reason": "cost model fix #123", "expires": "2025-07-01" } ] }
 */
export interface Acknowledgement {
  readonly id: string;
  readonly reason: string;
  /** YYYY-MM-DD, inclusive. */
  readonly expires: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** Reads the list; a missing file is an empty list. */
export async function readAcknowledgements(path: string): Promise<Acknowledgement[]> {
  const doc = await readJsonFile(path, 'acknowledge list', { optional: true });
  if (!doc) return [];
  const root = FieldReader.root(doc, 'acknowledge list', OBJECT_SCOPED_STYLE);
  root.rejectUnknown(['$schema', 'about', 'acknowledged']);
  const entries = root.children('acknowledged') ?? [];
  const list: Acknowledgement[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    entry.rejectUnknown(['id', 'reason', 'expires']);
    const id = entry.string('id');
    const reason = entry.string('reason');
    const expires = entry.string('expires');
    if (expires !== undefined && !isValidDate(expires)) entry.problem('expires', expires, 'must be a date YYYY-MM-DD (the last day the acknowledgement holds, UTC)');
    if (id !== undefined && seen.has(id)) entry.problem('id', id, 'is acknowledged twice');
    if (id !== undefined) seen.add(id);
    if (id === undefined || reason === undefined || expires === undefined || !isValidDate(expires)) continue;
    list.push({ id, reason, expires });
  }
  root.throwIfAny();
  return list;
}

export function isExpired(ack: Acknowledgement, today: string): boolean {
  return ack.expires < today;
}

/** The unexpired acknowledgement covering a figure: one naming exactly the figure id, else exactly its case id. */
export function acknowledgementFor(list: readonly Acknowledgement[], figureId: string, caseId: string, today: string): Acknowledgement | undefined {
  const live = list.filter((ack) => !isExpired(ack, today));
  return live.find((ack) => ack.id === figureId) ?? live.find((ack) => ack.id === caseId);
}

/** Warnings about the list itself: expired entries, and entries naming nothing in the plan. */
export function acknowledgementWarnings(list: readonly Acknowledgement[], knownIds: ReadonlySet<string>, today: string): string[] {
  const warnings: string[] = [];
  for (const ack of list) {
    if (isExpired(ack, today)) warnings.push(`acknowledgement of '${ack.id}' expired on ${ack.expires} and no longer silences it (${ack.reason}); renew it or remove it`);
    else if (!knownIds.has(ack.id)) warnings.push(`acknowledgement of '${ack.id}' names no case or figure of this suite`);
  }
  return warnings;
}
