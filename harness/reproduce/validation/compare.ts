import type { CaseOutcome } from '../../jobs/cases.js';
import { describePublished, targetInterval } from '../compare.js';
import type { Published, Tolerance } from '../paper-figures.js';
import { NOT_COMPARED, PUBLISHED_MEASUREMENTS, type CheckKind, type NotCompared, type PublishedMeasurement } from './measurements.js';
import { ASYNC_MEASUREMENTS } from './async-measurements.js';
import { simulatedValues } from './simulated.js';

/**
 * The validation against published measurements: each measurement beside its simulated
 * counterpart, the signed error, and whether the simulated value lies inside the measurement's
 * tolerance interval (value ± max(relative·|value|, absolute)). Kept apart from the paper
 * comparison: it checks the models' magnitudes and mechanisms against what was measured, not
 * the papers' headline figures. The only module that sees the measured values with the results.
 */
export type ValidationStatus = 'within' | 'outside' | 'failed';

export interface ValidationCheck {
  readonly id: string;
  readonly group: string;
  readonly description: string;
  readonly kind: CheckKind;
  readonly published: Published;
  readonly publishedText: string;
  readonly unit: string;
  readonly simulated: number | null;
  /** (simulated − published) / published × 100; null without a simulated value. */
  readonly errorPct: number | null;
  readonly target: { readonly low: number; readonly high: number };
  readonly tolerance: Tolerance;
  readonly toleranceWhy: string;
  readonly status: ValidationStatus;
  readonly source: string;
  readonly setting: string;
  /** How the simulated value was computed (the query, the engine era, the parts). */
  readonly simulatedAs: string;
  readonly caveat?: string;
}

export interface ValidationDocument {
  readonly checks: readonly ValidationCheck[];
  readonly notCompared: readonly NotCompared[];
  readonly costModels: readonly string[];
  readonly notes: readonly string[];
}

function centre(published: Published): number {
  return 'value' in published ? published.value : (published.min + published.max) / 2;
}

export function validationCheck(measurement: PublishedMeasurement, simulated: number | null, simulatedAs: string): ValidationCheck {
  const target = targetInterval(measurement.published, measurement.tolerance);
  const value = centre(measurement.published);
  const within = simulated !== null && Number.isFinite(simulated) && simulated >= target.low && simulated <= target.high;
  return {
    id: measurement.id,
    group: measurement.group,
    description: measurement.description,
    kind: measurement.kind,
    published: measurement.published,
    publishedText: measurement.publishedText ?? describePublished(measurement.published, measurement.unit),
    unit: measurement.unit,
    simulated,
    errorPct: simulated === null || value === 0 ? null : (100 * (simulated - value)) / Math.abs(value),
    target,
    tolerance: measurement.tolerance,
    toleranceWhy: measurement.toleranceWhy,
    status: simulated === null ? 'failed' : within ? 'within' : 'outside',
    source: measurement.source,
    setting: measurement.setting,
    simulatedAs,
    ...(measurement.caveat ? { caveat: measurement.caveat } : {}),
  };
}

/** The validation document from the plan's validation outcomes (other outcomes are ignored). */
export function buildValidation(outcomes: readonly CaseOutcome[], measurements: readonly PublishedMeasurement[] = [...PUBLISHED_MEASUREMENTS, ...ASYNC_MEASUREMENTS]): ValidationDocument {
  const simulated = simulatedValues(outcomes);
  const checks = measurements.map((measurement) => {
    const value = simulated.values.get(measurement.id);
    if (value) return validationCheck(measurement, value.value, value.detail);
    const why = simulated.failed.get(measurement.id) ?? simulated.failed.get('cost-queries') ?? 'no validation case computed it (not in this plan)';
    return validationCheck(measurement, null, `failed: ${why}`);
  });
  return { checks, notCompared: [...NOT_COMPARED], costModels: simulated.costModels, notes: simulated.notes };
}

export function validationCounts(doc: ValidationDocument): { within: number; outside: number; failed: number } {
  return {
    within: doc.checks.filter((c) => c.status === 'within').length,
    outside: doc.checks.filter((c) => c.status === 'outside').length,
    failed: doc.checks.filter((c) => c.status === 'failed').length,
  };
}
