import { createHash } from 'node:crypto';
import { byId, type Case } from './cases.js';

/**
 * A plan is everything that decides a command's case results: the command, the seed, every case
 * (with whatever the case carries, e.g. the baseline it is compared with) and the command's
 * configuration that `finalize` needs. Shards of one run must share a plan; its hash is the check.
 * Output-only options (where to write, --json) are not part of it.
 */
export interface CasePlan<C extends Case = Case, Config = unknown> {
  readonly command: string;
  readonly seed: number;
  readonly cases: readonly C[];
  readonly config: Config;
}

/** Bumped when the meaning of a plan or of a shard file changes. */
export const PLAN_FORMAT_VERSION = 1;

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** SHA-256 (hex) of the canonical plan, cases in id order, so enumeration order does not matter. */
export function planHash(plan: CasePlan): string {
  const normalised = { version: PLAN_FORMAT_VERSION, command: plan.command, seed: plan.seed, cases: [...plan.cases].sort(byId), config: plan.config };
  return createHash('sha256').update(canonicalJson(normalised)).digest('hex');
}

/** Case ids of the plan in sorted order. */
export function planCaseIds(plan: CasePlan): string[] {
  return plan.cases.map((c) => c.id).sort();
}
