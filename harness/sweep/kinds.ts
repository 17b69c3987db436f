import type { CaseKindRegistry, CaseKindsRef } from '../jobs/cases.js';
import { SWEEP_POINT_KIND } from './plan.js';
import { sweepPointKind } from './point.js';

/** The case kinds of `sweep`, by reference so pool workers can import them. */
export const sweepCaseKinds: CaseKindRegistry = { [SWEEP_POINT_KIND]: sweepPointKind };

export const SWEEP_KINDS_REF: CaseKindsRef = { module: import.meta.url, exportName: 'sweepCaseKinds' };
