import type { Case, CaseKind } from '../../jobs/cases.js';
import type { TraceUse } from '../experiments/types.js';
import { readTraceSource } from '../traces/load.js';
import { TRACE_SOURCES } from '../traces/sources.js';

/**
 * The length distribution of one trace as the reproduction uses it (for the report's histogram
 * and provenance): a recording as recorded; a generated stand-in drawn from its fit with the
 * plan's seed, at the recording's shape (groups of 8, as many samples as the recording has).
 */
export const TRACE_KIND = 'reproduce-trace';

export interface TraceCase extends Case {
  readonly kind: typeof TRACE_KIND;
  readonly trace: TraceUse;
  readonly seed: number;
  /** Prompt groups to draw when generated. */
  readonly generatedGroups: number;
  readonly generatedSamplesPerGroup: number;
}

export interface TraceResult {
  readonly label: string;
  readonly mode: TraceUse['mode'];
  readonly description: string;
  readonly groups: number;
  readonly responseTokens: readonly number[];
  readonly promptTokens: readonly number[];
  readonly truncatedSamples: number;
  readonly capTokens: number | null;
  readonly notes: readonly string[];
}

export async function runTraceCase(testCase: TraceCase): Promise<TraceResult> {
  const shape = { kind: 'batches', batchPrompts: testCase.generatedGroups, warmup: 0, measured: 1 } as const;
  const workload = await readTraceSource(testCase.trace, testCase.generatedSamplesPerGroup, shape, testCase.seed);
  const groups = workload.iterations.flatMap((iteration) => iteration.groups);
  return {
    label: TRACE_SOURCES[testCase.trace.source].label,
    mode: testCase.trace.mode,
    description: workload.meta.description ?? TRACE_SOURCES[testCase.trace.source].like,
    groups: groups.length,
    responseTokens: groups.flatMap((group) => group.responseTokens),
    promptTokens: groups.map((group) => group.promptTokens),
    truncatedSamples: groups.reduce((sum, group) => sum + group.truncated.filter(Boolean).length, 0),
    capTokens: workload.meta.maxResponseTokens ?? null,
    notes: workload.meta.notes,
  };
}

export const traceKind: CaseKind<TraceCase, TraceResult> = { kind: TRACE_KIND, run: (testCase) => runTraceCase(testCase) };
