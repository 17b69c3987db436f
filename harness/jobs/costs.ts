import { writeJsonAtomic } from '../util/atomic-write.js';
import { InputError } from '../util/input-error.js';
import { locateKey, readJsonFile } from '../util/json-input.js';
import type { Case } from './cases.js';

/**
 * Case costs: the wall seconds each case of a command took on its last recorded run, which the
 * next plan attaches to its cases (`Case.costEstimateS`) so shards are balanced by time, not by
 * count. A committed file (baselines/case-costs/<command>.json) makes the estimates — and so the
 * shard assignment — the same on every machine of a sharded run; `--record-case-costs` rewrites
 * it from a run. A case the file does not name gets no estimate: sharding counts it as the mean
 * of the others (the static estimate).
 */
export const CASE_COSTS_FORMAT = 'rlhf-replay-case-costs';

export interface CaseCostsFile {
  readonly format: typeof CASE_COSTS_FORMAT;
  readonly version: 1;
  readonly about: string;
  readonly command: string;
  /** Case id → wall seconds, ids sorted. */
  readonly seconds: Readonly<Record<string, number>>;
}

/** Reads a case-costs file; a missing file is no estimates. */
export async function readCaseCosts(path: string, command: string): Promise<ReadonlyMap<string, number>> {
  const doc = await readJsonFile(path, 'case costs', { optional: true });
  if (!doc) return new Map();
  const value = doc.value as Partial<CaseCostsFile> | null;
  const fail = (field: string, got: unknown, message: string) => new InputError({ file: path, ...locateKey(doc.text, field), field, value: got, message });
  if (typeof value !== 'object' || value === null || value.format !== CASE_COSTS_FORMAT) throw fail('format', value?.format, `must be '${CASE_COSTS_FORMAT}'`);
  if (value.command !== command) throw fail('command', value.command, `must be '${command}' (the command whose cases it times)`);
  if (typeof value.seconds !== 'object' || value.seconds === null) throw fail('seconds', value.seconds, 'must map case ids to seconds');
  const costs = new Map<string, number>();
  for (const [id, seconds] of Object.entries(value.seconds)) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) throw fail(id, seconds, 'must be a number of seconds ≥ 0');
    costs.set(id, seconds);
  }
  return costs;
}

/** The cases with the estimates the costs name (cases it does not name are left without one). */
export function withCostEstimates<C extends Case>(cases: readonly C[], costs: ReadonlyMap<string, number>): C[] {
  return cases.map((c) => {
    const seconds = costs.get(c.id);
    return seconds === undefined ? c : { ...c, costEstimateS: Math.round(seconds * 1000) / 1000 };
  });
}

/** Writes the seconds measured in a run over those of the file (cases that did not run keep theirs). */
export async function recordCaseCosts(path: string, command: string, measured: ReadonlyMap<string, number>): Promise<void> {
  const merged = new Map(await readCaseCosts(path, command));
  for (const [id, seconds] of measured) merged.set(id, seconds);
  const file: CaseCostsFile = {
    format: CASE_COSTS_FORMAT,
    version: 1,
    about: `Wall seconds each ${command} case took on its last recorded run (rlhf-replay ${command} --record-case-costs); plans attach them to their cases so shards are balanced by time.`,
    command,
    seconds: Object.fromEntries([...merged.keys()].sort().map((id) => [id, Math.round(merged.get(id)! * 1000) / 1000])),
  };
  await writeJsonAtomic(path, file);
}
