import { availableParallelism, cpus, platform, arch } from 'node:os';
import type { CaseContext, CaseKind } from '../jobs/cases.js';
import { createRng, type Rng } from '../util/rng.js';
import { compareExact, compareTiming } from './compare.js';
import { judgeTiming } from './timing-rule.js';
import { baselineSamples, figureId, type Environment, type FigureResult, type Measurement, type NightlyCase, type NightlyCaseResult, type TimingComparison } from './types.js';

export interface MeasureContext {
  /** The case's random stream, the same one on every attempt (deterministic figures stay put). */
  readonly rng: Rng;
  /** 0 for the first measurement, 1… for confirmation re-runs (synthetic noise may fork on it). */
  readonly attempt: number;
  readonly baseDir: string;
}

export interface Measured {
  readonly figures: readonly Measurement[];
  readonly notes: readonly string[];
  /** Where timings were measured; this machine when absent. */
  readonly environment?: Environment;
}

/** What a nightly case kind implements: measuring. Comparing and confirming are shared (below). */
export interface Measurer<C extends NightlyCase = NightlyCase> {
  readonly kind: C['kind'];
  readonly exclusive?: boolean;
  measure(testCase: C, context: MeasureContext): Promise<Measured>;
}

export function currentEnvironment(): Environment {
  const list = cpus();
  return {
    platform: platform(),
    arch: arch(),
    cpuModel: (list[0]?.model ?? 'unknown').trim().replace(/\s+/g, ' '),
    cpus: typeof availableParallelism === 'function' ? availableParallelism() : list.length,
    nodeMajor: Number(process.versions.node.split('.')[0]),
  };
}

function checkNames(measured: Measured, testCase: NightlyCase): void {
  const seen = new Set<string>();
  for (const figure of measured.figures) {
    if (seen.has(figure.name)) throw new Error(`case ${testCase.id} measured figure '${figure.name}' twice`);
    if (figure.name.includes('\n')) throw new Error(`case ${testCase.id}: figure name '${figure.name}' has a line break`);
    seen.add(figure.name);
  }
}

function notConfirmed(first: TimingComparison, confirmations: TimingComparison['confirmations']): TimingComparison {
  const j = first.judgement!;
  const last = confirmations![confirmations!.length - 1]!;
  return {
    ...first,
    verdict: 'unchanged',
    confirmations: confirmations!,
    reason: `suspected regression (median ${j.medianChangePct >= 0 ? '+' : ''}${j.medianChangePct.toFixed(1)} %, p = ${j.pValue.toPrecision(2)}) not confirmed on re-run (median ${last.medianChangePct >= 0 ? '+' : ''}${last.medianChangePct.toFixed(1)} %, p = ${last.pValue.toPrecision(2)})`,
  };
}

/**
 * Turns a measurer into a case kind: measure, compare each figure with its baseline (deterministic
 * figures within the tolerance, timings by the statistical rule), then re-measure the case to
 * confirm each suspected timing regression. A timing regression is reported only if every
 * confirmation run also shows it; the re-runs' judgements are kept in the result.
 */
export function nightlyKind<C extends NightlyCase>(measurer: Measurer<C>): CaseKind<C, NightlyCaseResult> {
  return {
    kind: measurer.kind,
    ...(measurer.exclusive ? { exclusive: true } : {}),
    async run(testCase: C, context: CaseContext): Promise<NightlyCaseResult> {
      const attempt = (n: number) => ({ rng: createRng(context.rng.seed), attempt: n, baseDir: context.baseDir });
      const first = await measurer.measure(testCase, attempt(0));
      checkNames(first, testCase);
      const hasTimings = first.figures.some((f) => f.mode === 'timing');
      const environment = hasTimings ? (first.environment ?? currentEnvironment()) : undefined;
      const comparisons = new Map(
        first.figures.map((figure) => {
          const baseline = testCase.baselines[figure.name];
          return [figure.name, figure.mode === 'exact' ? compareExact(figure, baseline, testCase.tolerance) : compareTiming(figure, baseline, testCase.timing, environment)] as const;
        }),
      );
      const notes = [...first.notes];
      const confirmations = new Map<string, NonNullable<TimingComparison['confirmations']>>();
      for (let n = 1; n <= testCase.timing.confirmRuns; n++) {
        const suspected = [...comparisons.entries()].filter(([, c]) => c.mode === 'timing' && c.verdict === 'regression').map(([name]) => name);
        if (suspected.length === 0) break;
        const again = await measurer.measure(testCase, attempt(n));
        for (const name of suspected) {
          const figure = again.figures.find((f) => f.name === name);
          const baseline = testCase.baselines[name]!;
          const comparison = comparisons.get(name) as TimingComparison;
          const list = [...(confirmations.get(name) ?? [])];
          if (!figure) {
            notes.push(`confirmation run ${n} did not report '${name}'`);
            comparisons.set(name, { ...comparison, verdict: 'inconclusive', reason: `confirmation run ${n} did not report this figure` });
            continue;
          }
          list.push(judgeTiming(baselineSamples(baseline), figure.samples ?? [figure.value], figure.better ?? 'lower', testCase.timing));
          confirmations.set(name, list);
          if (list[list.length - 1]!.verdict !== 'regression') comparisons.set(name, notConfirmed(comparison, list));
          else comparisons.set(name, { ...comparison, confirmations: list });
        }
      }
      const figures: FigureResult[] = first.figures.map((figure) => ({
        ...figure,
        id: figureId(testCase.id, figure.name),
        comparison: comparisons.get(figure.name)!,
        ...(figure.mode === 'timing' && environment ? { environment } : {}),
      }));
      return { figures, notes };
    },
  };
}
