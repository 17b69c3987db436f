import type { CaseKindRegistry, CaseKindsRef } from '../../jobs/cases.js';
import { WHATIF_ASYNC_KIND } from './plan.js';
import { asyncRunsKind } from './runs.js';

/** The case kinds of `whatif --async`, by reference so pool workers can import them. */
export const asyncWhatIfCaseKinds: CaseKindRegistry = { [WHATIF_ASYNC_KIND]: asyncRunsKind };

export const ASYNC_WHATIF_KINDS_REF: CaseKindsRef = { module: import.meta.url, exportName: 'asyncWhatIfCaseKinds' };
