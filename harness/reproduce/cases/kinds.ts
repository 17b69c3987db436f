import type { CaseKindRegistry, CaseKindsRef } from '../../jobs/cases.js';
import { pipelineKind } from './pipeline.js';
import { runKind } from './run.js';
import { traceKind } from './trace.js';
import { fidelityKind } from '../fidelity/case.js';
import { validationAsyncKind } from '../validation/async-cases.js';
import { validationCostKind, validationReplayKind } from '../validation/cases.js';

/** The reproduction's case kinds; workers import this registry by reference. */
export const reproduceCaseKinds: CaseKindRegistry = { [runKind.kind]: runKind, [pipelineKind.kind]: pipelineKind, [traceKind.kind]: traceKind, [validationCostKind.kind]: validationCostKind, [validationReplayKind.kind]: validationReplayKind, [validationAsyncKind.kind]: validationAsyncKind, [fidelityKind.kind]: fidelityKind };

export const REPRODUCE_KINDS_REF: CaseKindsRef = { module: import.meta.url, exportName: 'reproduceCaseKinds' };
