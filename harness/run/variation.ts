import type { CostAssumptions } from '../cost/assumptions.js';
import { withScenarioValue, withSchedulerParameter, type Json } from '../scenario/patch.js';
import type { AssumptionValue } from '../schedulers/types.js';
import type { RunSpec, RunWorkload } from './spec.js';

/**
 * One named assumption moved to one value — what a sensitivity analysis varies and what a
 * calibration fits — as a change to a run's spec:
 * - 'scheduler': a scheduler parameter, set for every scheduler of the run that declares it;
 * - 'scenario': a scenario field (a dotted path), re-validated, with a provenance entry;
 * - 'cost': a cost assumption, on top of the run's `costAssumptions`;
 * - 'trace': another workload (the caller loads it; `value` names it for the report).
 */
export type Variation =
  | { readonly kind: 'scheduler'; readonly assumption: string; readonly value: AssumptionValue }
  | { readonly kind: 'scenario'; readonly assumption: string; readonly value: number | string | boolean }
  | { readonly kind: 'cost'; readonly assumption: string; readonly value: number | boolean | string }
  | { readonly kind: 'trace'; readonly assumption: string; readonly value: string; readonly workload: RunWorkload };

/** The spec with the variation applied. */
export function applyVariation(spec: RunSpec, variation: Variation): RunSpec {
  switch (variation.kind) {
    case 'scheduler':
      return { ...spec, scenario: withSchedulerParameter(spec.scenario, spec.schedulers, variation.assumption, variation.value) };
    case 'scenario':
      return { ...spec, scenario: withScenarioValue(spec.scenario, variation.assumption, variation.value as Json) };
    case 'cost':
      return { ...spec, costAssumptions: { ...spec.costAssumptions, [variation.assumption]: variation.value } as Partial<CostAssumptions> };
    case 'trace':
      return { ...spec, workload: variation.workload };
  }
}
