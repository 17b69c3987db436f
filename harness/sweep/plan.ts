import { findScheduler, schedulers } from '../schedulers/index.js';
import type { AssumptionValue, SchedulerAssumption, SchedulerEntry } from '../schedulers/types.js';
import { InputError } from '../util/input-error.js';
import type { Case } from '../jobs/cases.js';
import type { CasePlan } from '../jobs/plan.js';

/**
 * `rlhf-replay sweep`: one scheduler replayed over one trace and scenario once per value of one
 * of its named assumptions. Enumerating the points is pure (this file); running one point is a
 * case kind (sweep-point.ts), so a sweep shards (`--shard i/n`), runs on a worker pool
 * (`--jobs N`) and merges (`rlhf-replay merge`) like every other case-based command; the
 * finalize step (sweep-finalize.ts) turns the outcomes into the table, JSON and chart.
 */
export const SWEEP_COMMAND = 'sweep';
export const SWEEP_POINT_KIND = 'sweep-point';

/** One point of a sweep: everything it needs travels in the case, so any worker or shard can run it. */
export interface SweepPointCase extends Case {
  readonly kind: typeof SWEEP_POINT_KIND;
  /** Paths as given, relative to the run's base folder (the shard files then merge across machines). */
  readonly scenario: string;
  readonly trace: string;
  readonly scheduler: string;
  readonly param: string;
  readonly value: AssumptionValue;
  readonly iterations?: number;
  readonly keepTraceBatches: boolean;
  /** Seed of the replay (the same for every point: the points differ only in the value). */
  readonly replaySeed: number;
}

export interface SweepConfig {
  readonly scenario: string;
  readonly trace: string;
  readonly scheduler: string;
  readonly param: string;
  readonly unit: string;
  readonly values: readonly AssumptionValue[];
  readonly metric: string;
  /** Content hashes, so shards of runs on different inputs never merge. */
  readonly scenarioSha256: string;
  readonly traceSha256: string;
}

export type SweepPlan = CasePlan<SweepPointCase, SweepConfig>;

const flagError = (flag: string, value: unknown, message: string) => new InputError({ file: `--${flag}`, field: flag, value, message });

export function resolveScheduler(name: string): SchedulerEntry {
  const entry = findScheduler(name.trim());
  if (!entry) throw flagError('scheduler', name, `unknown scheduler; known: ${schedulers.map((s) => s.name).join(', ')}`);
  return entry;
}

const normalised = (name: string) => name.toLowerCase().replace(/[-_]/g, '');

/** The scheduler's assumption named `name`, exactly or ignoring case, '-' and '_' (`migrationThreshold` finds `migration-threshold`). */
export function resolveParameter(entry: SchedulerEntry, name: string): SchedulerAssumption {
  const exact = entry.assumptions.find((a) => a.name === name);
  if (exact) return exact;
  const loose = entry.assumptions.filter((a) => normalised(a.name) === normalised(name));
  if (loose.length === 1) return loose[0]!;
  const known = entry.assumptions.map((a) => `${a.name} (${typeof a.value}${a.range ? ` ${a.range[0]}..${a.range[1]}` : ''}${a.choices ? `: ${a.choices.join('|')}` : ''})`);
  throw flagError('param', name, `is not a named assumption of ${entry.name}; it has: ${known.join(', ') || 'none'}`);
}

function decimalsOf(text: string): number {
  const match = /\.(\d+)$/.exec(text.trim());
  return match ? match[1]!.length : 0;
}

/** Expands `a,b,...,z` (the step is b − a) into the arithmetic progression from a to z inclusive. */
function expandEllipsis(items: readonly string[]): string[] {
  const at = items.indexOf('...');
  if (at < 0) return [...items];
  if (at !== 2 || items.length !== 4) throw flagError('values', items.join(','), "an ellipsis must look like 'a,b,...,z' (the step is b − a)");
  const [a, b, , z] = items.map(Number) as [number, number, number, number];
  const step = b - a;
  if (![a, b, z].every(Number.isFinite) || !(step > 0) || z < a) throw flagError('values', items.join(','), "'a,b,...,z' needs numbers with a < b and a ≤ z");
  const decimals = Math.max(decimalsOf(items[0]!), decimalsOf(items[1]!), decimalsOf(items[3]!));
  const count = Math.floor((z - a) / step + 1e-9) + 1;
  if (count > 10_000) throw flagError('values', items.join(','), `expands to ${count} values; at most 10000`);
  return Array.from({ length: count }, (_, k) => (a + k * step).toFixed(decimals));
}

/** Parses `--values` for a parameter: numbers, booleans or choices, checked against its range / choices. Repeats are refused. */
export function parseSweepValues(text: string, assumption: SchedulerAssumption): AssumptionValue[] {
  const items = expandEllipsis(
    text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
  if (items.length === 0) throw flagError('values', text, 'needs at least one value');
  const values = items.map((item): AssumptionValue => {
    if (typeof assumption.value === 'number') {
      const value = Number(item);
      if (item === '' || !Number.isFinite(value)) throw flagError('values', item, `${assumption.name} takes numbers (${assumption.unit})`);
      if (assumption.range && (value < assumption.range[0] || value > assumption.range[1])) {
        throw flagError('values', item, `${assumption.name} must be within [${assumption.range[0]}, ${assumption.range[1]}] ${assumption.unit}`);
      }
      return value;
    }
    if (typeof assumption.value === 'boolean') {
      if (item !== 'true' && item !== 'false') throw flagError('values', item, `${assumption.name} takes true or false`);
      return item === 'true';
    }
    if (assumption.choices && !assumption.choices.includes(item)) throw flagError('values', item, `${assumption.name} must be one of ${assumption.choices.join(', ')}`);
    return item;
  });
  const seen = new Set<string>();
  for (const value of values) {
    const key = String(value);
    if (seen.has(key)) throw flagError('values', key, 'appears twice');
    seen.add(key);
  }
  return values;
}

/** A case id for the k-th value: sortable by position, readable, and within the id alphabet. */
export function pointId(scheduler: string, param: string, index: number, value: AssumptionValue): string {
  const text = String(value).replace(/[^A-Za-z0-9._+=@-]/g, '_');
  return `${scheduler}/${param}/${String(index).padStart(4, '0')}=${text}`.replace(/[^A-Za-z0-9._/+=@-]/g, '_');
}

export interface SweepPlanInput {
  readonly scenario: string;
  readonly trace: string;
  readonly scheduler: SchedulerEntry;
  readonly parameter: SchedulerAssumption;
  readonly values: readonly AssumptionValue[];
  readonly metric: string;
  readonly seed: number;
  readonly iterations?: number;
  readonly keepTraceBatches: boolean;
  readonly scenarioSha256: string;
  readonly traceSha256: string;
}

export function buildSweepPlan(input: SweepPlanInput): SweepPlan {
  const cases = input.values.map(
    (value, index): SweepPointCase => ({
      id: pointId(input.scheduler.name, input.parameter.name, index, value),
      kind: SWEEP_POINT_KIND,
      scenario: input.scenario,
      trace: input.trace,
      scheduler: input.scheduler.name,
      param: input.parameter.name,
      value,
      ...(input.iterations !== undefined ? { iterations: input.iterations } : {}),
      keepTraceBatches: input.keepTraceBatches,
      replaySeed: input.seed,
    }),
  );
  return {
    command: SWEEP_COMMAND,
    seed: input.seed,
    cases,
    config: {
      scenario: input.scenario,
      trace: input.trace,
      scheduler: input.scheduler.name,
      param: input.parameter.name,
      unit: input.parameter.unit,
      values: input.values,
      metric: input.metric,
      scenarioSha256: input.scenarioSha256,
      traceSha256: input.traceSha256,
    },
  };
}
