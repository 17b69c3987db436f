import { formatAssumptionValue } from '../report/assumption-value.js';
import type { FigureOutcome } from './figures/types.js';
import type { PaperFigure, Published, Tolerance } from './paper-figures.js';
import type { FigureSensitivity } from './sensitivity/tornado.js';
import type { ValidationDocument } from './validation/compare.js';

/**
 * The comparison: each published figure beside its reproduction. The only module that sees the
 * paper targets together with results.
 *
 * Rule: t(x) = max(relative·|x|, absolute); the target interval is [v − t(v), v + t(v)] for a
 * published value, [min − t(min), max + t(max)] for a published range. The status is read off the
 * point estimate first:
 * - 'reproduced' (within tolerance): the point estimate lies in the target interval (ends included);
 * - 'overlaps' (CI overlaps target): the point estimate lies outside, but its 95 % confidence
 *   interval meets the target (touching counts) — neither confirmed nor ruled out, counted apart;
 * - 'better': a figure that names the direction that improves on it (`better`, for search
 *   outcomes) whose whole interval lies beyond the target on that side;
 * - 'missed': the whole interval lies beyond the target.
 * Every status but 'reproduced' is reported with its reason: where the reproduction lies against
 * the target, the simulated facts that explain it, and whether any single assumption, moved
 * within its plausible range, would reach the target.
 */
export interface Reproduced {
  readonly mean: number;
  readonly ciLow: number;
  readonly ciHigh: number;
}

export type ComparisonStatus = 'reproduced' | 'overlaps' | 'better' | 'missed' | 'failed';

/**
 * What a figure is about: 'system' figures come out of simulating RLHF systems (speedups, costs,
 * shares); 'schedule-search' figures are the deterministic outcomes of the fused-pipeline search
 * on the published FlexFusion instances. Reports count them apart.
 */
export type FigureScope = 'system' | 'schedule-search';

export interface ComparisonFigure {
  readonly id: string;
  readonly paper: string;
  readonly description: string;
  readonly published: Published;
  readonly unit: string;
  readonly reproduced: Reproduced | null;
  /** The point estimate lies in the target interval (status 'reproduced'). */
  readonly withinTolerance: boolean;
  readonly dependsOn: readonly string[];
  readonly status: ComparisonStatus;
  readonly scope: FigureScope;
  /** The 95 % CI meets the target interval (true for 'reproduced' when the CI reaches it, and for 'overlaps'). */
  readonly ciMeetsTarget: boolean;
  readonly reason: string;
  readonly target: { readonly low: number; readonly high: number };
  readonly tolerance: Tolerance;
  readonly source: string;
  readonly reproducedAs: string;
  /** Paired units (seed × iteration) behind the estimate. */
  readonly n: number;
  /** The configuration a best or worst case came from. */
  readonly configuration?: string;
}

export interface NotSimulatedFigure {
  readonly id: string;
  readonly paper: string;
  readonly description: string;
  readonly published: Published;
  readonly unit: string;
  readonly source: string;
  readonly reason: string;
}

export function toleranceOf(tolerance: Tolerance, x: number): number {
  return Math.max((tolerance.relative ?? 0) * Math.abs(x), tolerance.absolute ?? 0);
}

export function targetInterval(published: Published, tolerance: Tolerance): { low: number; high: number } {
  if ('value' in published) return { low: published.value - toleranceOf(tolerance, published.value), high: published.value + toleranceOf(tolerance, published.value) };
  return { low: published.min - toleranceOf(tolerance, published.min), high: published.max + toleranceOf(tolerance, published.max) };
}

/** Whether the point estimate lies in the target interval (its ends included). */
export function withinTolerance(reproduced: Reproduced, published: Published, tolerance: Tolerance): boolean {
  const target = targetInterval(published, tolerance);
  return Number.isFinite(reproduced.mean) && reproduced.mean >= target.low && reproduced.mean <= target.high;
}

/** Whether the reproduced 95 % interval (stretched to hold the point estimate) meets the target interval; touching counts. */
export function ciMeetsTarget(reproduced: Reproduced, published: Published, tolerance: Tolerance): boolean {
  const target = targetInterval(published, tolerance);
  const low = Math.min(reproduced.ciLow, reproduced.mean);
  const high = Math.max(reproduced.ciHigh, reproduced.mean);
  return Number.isFinite(low) && Number.isFinite(high) && low <= target.high && high >= target.low;
}

/** The status of a reproduced figure against its published value: the rule above, point estimate first. */
export function comparisonStatus(reproduced: Reproduced, published: Published, tolerance: Tolerance, better?: 'lower' | 'higher'): Exclude<ComparisonStatus, 'failed'> {
  if (withinTolerance(reproduced, published, tolerance)) return 'reproduced';
  if (ciMeetsTarget(reproduced, published, tolerance)) return 'overlaps';
  const target = targetInterval(published, tolerance);
  const side = reproduced.mean < target.low ? 'below' : 'above';
  return better !== undefined && Number.isFinite(reproduced.mean) && (side === 'below') === (better === 'lower') ? 'better' : 'missed';
}

const round = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : '—');

export function describePublished(published: Published, unit: string): string {
  return 'value' in published ? `${round(published.value)} ${unit}` : `${round(published.min)}–${round(published.max)} ${unit}`;
}

function describeReproduced(reproduced: Reproduced, unit: string): string {
  return reproduced.ciLow === reproduced.ciHigh ? `${round(reproduced.mean)} ${unit}` : `${round(reproduced.mean)} ${unit} (95 % CI ${round(reproduced.ciLow)}–${round(reproduced.ciHigh)})`;
}

/** What the sensitivity analysis says about reaching the target: the closest a single assumption gets. */
function sensitivityReach(sensitivity: FigureSensitivity | undefined, target: { low: number; high: number }, unit: string): string {
  if (!sensitivity || sensitivity.entries.length === 0) return sensitivity?.none ? `No sensitivity analysis: ${sensitivity.none}.` : '';
  const top = sensitivity.entries[0]!;
  const probe = `On its probe configuration (${sensitivity.probeConfigs.join(', ')}) the figure is ${round(sensitivity.baseline)} ${unit}`;
  if (sensitivity.baseline >= target.low && sensitivity.baseline <= target.high) return `${probe}, inside the target: the gap comes from the other configurations.`;
  const reaching = sensitivity.entries.flatMap((entry) => entry.values.filter((v) => v.figure >= target.low && v.figure <= target.high).map((v) => `${entry.assumption} = ${formatAssumptionValue(v.value, entry.unit)} (${round(v.figure)} ${unit})`));
  const moves = `${probe}; it moves most with ${top.assumption} (${round(top.low)}–${round(top.high)} ${unit}).`;
  if (reaching.length > 0) return `${moves} Within its plausible range, ${reaching.slice(0, 3).join('; ')} would reach the target: the gap rests on that assumption.`;
  return `${moves} No single assumption moved within its plausible range reaches the target.`;
}

/** A note when the interval is too wide to say much (few units): more seeds narrow it. */
function widthNote(reproduced: Reproduced, target: { low: number; high: number }, n: number): string {
  const width = reproduced.ciHigh - reproduced.ciLow;
  const targetWidth = Math.max(target.high - target.low, Number.EPSILON);
  return width > 4 * targetWidth ? ` The interval is wide (${n} paired iterations) and says little: more seeds (--seeds N) narrow it.` : '';
}

export function compareFigure(figure: PaperFigure, outcome: FigureOutcome | undefined, sensitivity: FigureSensitivity | undefined, reproducedAs: string, scope: FigureScope = 'system'): ComparisonFigure {
  const target = targetInterval(figure.published, figure.tolerance);
  const base = {
    id: figure.id,
    paper: figure.paper,
    description: figure.description,
    published: figure.published,
    unit: figure.unit,
  };
  const extras = { target, tolerance: figure.tolerance, source: figure.source, reproducedAs };
  if (!outcome || !outcome.ok) {
    return {
      ...base,
      reproduced: null,
      withinTolerance: false,
      dependsOn: sensitivity?.dependsOn ?? [],
      status: 'failed',
      scope,
      ciMeetsTarget: false,
      reason: outcome && !outcome.ok ? outcome.reason : 'no computation produced this figure',
      ...extras,
      n: 0,
    };
  }
  const reproduced: Reproduced = { mean: outcome.estimate.mean, ciLow: outcome.estimate.ciLow, ciHigh: outcome.estimate.ciHigh };
  const status = comparisonStatus(reproduced, figure.published, figure.tolerance, figure.better);
  const where = `Reproduced ${describeReproduced(reproduced, figure.unit)} against ${describePublished(figure.published, figure.unit)} (target with tolerance ${round(target.low)}–${round(target.high)}).`;
  const side = reproduced.mean < target.low ? 'below' : 'above';
  const simulation = outcome.context ? `Simulation: ${outcome.context}.` : '';
  let reason: string;
  if (status === 'reproduced') reason = `${where} Within tolerance: the point estimate lies in the target.${widthNote(reproduced, target, outcome.estimate.n)}`;
  else if (status === 'better') reason = [`${where} The reproduction is ${side} the target, and ${figure.better} is better for this figure: it improves on the published value.`, simulation].filter(Boolean).join(' ');
  else if (status === 'overlaps')
    reason = [
      `${where} The point estimate is ${side} the target; only its 95 % confidence interval reaches it, so the reproduction neither confirms nor rules out the published figure.${widthNote(reproduced, target, outcome.estimate.n)}`,
      simulation,
      sensitivityReach(sensitivity, target, figure.unit),
    ]
      .filter(Boolean)
      .join(' ');
  else reason = [`${where} The reproduction is ${side} the target.`, simulation, sensitivityReach(sensitivity, target, figure.unit)].filter(Boolean).join(' ');
  return {
    ...base,
    reproduced,
    withinTolerance: status === 'reproduced',
    dependsOn: sensitivity?.dependsOn ?? [],
    status,
    scope,
    ciMeetsTarget: ciMeetsTarget(reproduced, figure.published, figure.tolerance),
    reason,
    ...extras,
    n: outcome.estimate.n,
    ...(outcome.selected ? { configuration: outcome.selected } : {}),
  };
}

export function notSimulated(figure: PaperFigure): NotSimulatedFigure {
  return { id: figure.id, paper: figure.paper, description: figure.description, published: figure.published, unit: figure.unit, source: figure.source, reason: figure.notSimulated ?? '' };
}

/** One figure reproduced on each candidate trace for a dataset (the HH-RLHF stand-in comparison). */
export interface TraceChoiceFigure {
  readonly id: string;
  readonly unit: string;
  readonly published: Published;
  readonly target: { readonly low: number; readonly high: number };
  /** Per trace source, the default first: the reproduction and its status against the published figure. */
  readonly traces: readonly { readonly source: string; readonly reproduced: Reproduced | null; readonly status: ComparisonStatus; readonly reason?: string }[];
}

export interface ComparisonDocument {
  readonly figures: readonly ComparisonFigure[];
  readonly notSimulated: readonly NotSimulatedFigure[];
  /** Added by finalize: RLHFuse's figures on the default HH-RLHF stand-in and on each chat-like alternative. */
  readonly traceChoice?: readonly TraceChoiceFigure[];
  /** Added by finalize: the validation against published measurements (validation/), never mixed with the paper figures. */
  readonly validation?: ValidationDocument;
}

export interface FigureForComparison {
  readonly id: string;
  readonly how: string;
  readonly scope: FigureScope;
  readonly outcome: FigureOutcome;
}

/** Every published figure of the given files, in file order: compared when simulated, listed with its reason when not. */
export function buildComparison(files: readonly { readonly figures: readonly PaperFigure[] }[], figures: readonly FigureForComparison[], sensitivity: readonly FigureSensitivity[]): ComparisonDocument {
  const compared: ComparisonFigure[] = [];
  const listed: NotSimulatedFigure[] = [];
  for (const file of files) {
    for (const figure of file.figures) {
      if (figure.notSimulated !== undefined) {
        listed.push(notSimulated(figure));
        continue;
      }
      const computed = figures.find((f) => f.id === figure.id);
      compared.push(compareFigure(figure, computed?.outcome, sensitivity.find((s) => s.figure === figure.id), computed?.how ?? 'no computation in harness/reproduce/figures', computed?.scope));
    }
  }
  return { figures: compared, notSimulated: listed };
}

/**
 * The figures of the main comparison beside the same figures recomputed on other traces: each
 * judged by the same rule against the same target. Only compare.ts holds targets and results.
 */
export function compareTraceChoice(doc: Pick<ComparisonDocument, 'figures'>, defaultSource: string, alternatives: readonly { readonly source: string; readonly figures: readonly { readonly id: string; readonly outcome: FigureOutcome }[] }[]): TraceChoiceFigure[] {
  // Only figures every trace could give (the threshold curve runs on the default trace alone).
  const ids = new Set(alternatives.flatMap((alternative) => alternative.figures.map((figure) => figure.id)).filter((id) => alternatives.every((alternative) => alternative.figures.some((figure) => figure.id === id && figure.outcome.ok))));
  return doc.figures
    .filter((figure) => ids.has(figure.id))
    .map((figure) => ({
      id: figure.id,
      unit: figure.unit,
      published: figure.published,
      target: figure.target,
      traces: [
        { source: defaultSource, reproduced: figure.reproduced, status: figure.status },
        ...alternatives.map((alternative) => {
          const outcome = alternative.figures.find((f) => f.id === figure.id)?.outcome;
          if (!outcome || !outcome.ok) return { source: alternative.source, reproduced: null, status: 'failed' as const, reason: outcome && !outcome.ok ? outcome.reason : 'not computed' };
          const reproduced = { mean: outcome.estimate.mean, ciLow: outcome.estimate.ciLow, ciHigh: outcome.estimate.ciHigh };
          return { source: alternative.source, reproduced, status: comparisonStatus(reproduced, figure.published, figure.tolerance) };
        }),
      ],
    }));
}
