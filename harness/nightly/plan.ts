import type { CasePlan } from '../jobs/plan.js';
import { jsonNormalise } from '../jobs/cases.js';
import type { BaselineSet } from './baseline.js';
import type { NightlySuite } from './suite.js';
import type { BaselineFigure, NightlyCase } from './types.js';

export const NIGHTLY_COMMAND = 'nightly';

/** What finalize needs besides the cases (part of the plan, so shards must agree on it). */
export interface NightlyConfig {
  readonly description: string;
  /** Baseline entries whose case is not in the suite (dropped by --update-baseline). */
  readonly staleBaselineIds: readonly string[];
}

export type NightlyPlan = CasePlan<NightlyCase, NightlyConfig>;

/** Cases with their baselines attached: each case carries what it is compared with, so a shard needs nothing else. */
export function buildNightlyPlan(suite: NightlySuite, baselines: BaselineSet): NightlyPlan {
  const byCase = new Map<string, Record<string, BaselineFigure>>();
  const caseIds = new Set(suite.cases.map((c) => c.id));
  const stale: string[] = [];
  for (const record of [baselines.timings, baselines.golden]) {
    for (const [id, figure] of Object.entries(record)) {
      const colon = id.indexOf(':');
      const caseId = colon < 0 ? id : id.slice(0, colon);
      if (colon < 0 || !caseIds.has(caseId)) {
        if (!stale.includes(id)) stale.push(id);
        continue;
      }
      const entry = byCase.get(caseId) ?? {};
      // golden.json wins over timings.json for an id in both (it is read second).
      entry[id.slice(colon + 1)] = figure;
      byCase.set(caseId, entry);
    }
  }
  const cases = suite.cases.map((spec) => {
    const found = byCase.get(spec.id) ?? {};
    const sorted = Object.fromEntries(Object.keys(found).sort().map((name) => [name, found[name]!]));
    return { ...spec, baselines: sorted } as NightlyCase;
  });
  return jsonNormalise({ command: NIGHTLY_COMMAND, seed: suite.seed, cases, config: { description: suite.description, staleBaselineIds: stale.sort() } });
}
