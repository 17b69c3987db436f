import type { CaseOutcome } from '../../harness/jobs/cases.js';
import type { NightlyPlan } from '../../harness/nightly/plan.js';
import { DEFAULT_TOLERANCE } from '../../harness/nightly/suite.js';
import { DEFAULT_TIMING_RULE } from '../../harness/nightly/timing-rule.js';
import type { FigureResult, NightlyCase, NightlyCaseResult } from '../../harness/nightly/types.js';

/**
 * A hand-made nightly run for the report tests: one figure of every verdict, a case that failed,
 * and names full of characters Markdown and XML must escape.
 */
export const NASTY = 'q<&>"\'|`*_ \u0007x';

const judgement = (baselineMedian: number, currentMedian: number, pValue: number) => ({
  verdict: 'regression' as const,
  baselineMedian,
  currentMedian,
  medianChangePct: 100 * (currentMedian / baselineMedian - 1),
  pValue,
  baselineSamples: 10,
  currentSamples: 10,
});

function testCase(id: string, kind: NightlyCase['kind'], baselines: NightlyCase['baselines'] = {}): NightlyCase {
  return { id, kind, tolerance: DEFAULT_TOLERANCE, timing: DEFAULT_TIMING_RULE, baselines } as unknown as NightlyCase;
}

export function reportFixture(): { plan: NightlyPlan; outcomes: CaseOutcome<NightlyCaseResult>[] } {
  const cases = [
    testCase('bench/loop', 'bench', { fast: { value: 10, unit: 'ms' }, slow: { value: 10, unit: 'ms' }, same: { value: 10, unit: 'ms' }, other: { value: 10, unit: 'ms' } }),
    testCase('cost/x', 'cost-model', { [NASTY]: { value: 2, unit: 's' }, stable: { value: 5, unit: 's' } }),
    testCase('crashed', 'trace-stats'),
  ];
  const figure = (caseId: string, f: Omit<FigureResult, 'id'>): FigureResult => ({ ...f, id: `${caseId}:${f.name}` });
  const bench: FigureResult[] = [
    figure('bench/loop', { name: 'fast', unit: 'ms', mode: 'timing', better: 'lower', value: 7, samples: [7], comparison: { mode: 'timing', verdict: 'improvement', judgement: { ...judgement(10, 7, 0.0001), verdict: 'improvement' } } }),
    figure('bench/loop', { name: 'slow', unit: 'ms', mode: 'timing', better: 'lower', value: 13, samples: [13], comparison: { mode: 'timing', verdict: 'regression', judgement: judgement(10, 13, 0.0002), confirmations: [judgement(10, 12.5, 0.0003)] } }),
    figure('bench/loop', { name: 'same', unit: 'ms', mode: 'timing', better: 'lower', value: 10, samples: [10], comparison: { mode: 'timing', verdict: 'unchanged', judgement: { ...judgement(10, 10, 1), verdict: 'unchanged' } } }),
    figure('bench/loop', { name: 'other', unit: 'ms', mode: 'timing', better: 'lower', value: 9, samples: [9], comparison: { mode: 'timing', verdict: 'incomparable', reason: 'baseline measured on another machine' } }),
    figure('bench/loop', { name: 'fresh', unit: 'ms', mode: 'timing', better: 'lower', value: 4, samples: [4], comparison: { mode: 'timing', verdict: 'new' } }),
  ];
  const cost: FigureResult[] = [
    figure('cost/x', { name: NASTY, unit: 's', mode: 'exact', value: 2.5, comparison: { mode: 'exact', verdict: 'changed', baseline: 2, absoluteChange: 0.5, relativeChange: 0.25 } }),
    figure('cost/x', { name: 'stable', unit: 's', mode: 'exact', value: 5, comparison: { mode: 'exact', verdict: 'unchanged', baseline: 5, absoluteChange: 0, relativeChange: 0 } }),
  ];
  return {
    plan: { command: 'nightly', seed: 1, cases, config: { description: 'fixture', staleBaselineIds: [] } },
    outcomes: [
      { id: 'bench/loop', kind: 'bench', status: 'ok', result: { figures: bench, notes: ['synthetic'] } },
      { id: 'cost/x', kind: 'cost-model', status: 'ok', result: { figures: cost, notes: [] } },
      { id: 'crashed', kind: 'trace-stats', status: 'error', error: { message: `trace <unreadable> & ${NASTY}`, inputError: true } },
    ],
  };
}
