import type { CaseOutcome } from '../jobs/cases.js';
import { acknowledgementFor, acknowledgementWarnings, type Acknowledgement } from './acknowledge.js';
import { describeEnvironment } from './compare.js';
import { HISTORY_WINDOW, type HistoryRun } from './history.js';
import type { NightlyPlan } from './plan.js';
import { fitSteps, type Segment, type Step } from './steps.js';
import type { FigureResult, NightlyCase, NightlyCaseResult, TimingJudgement, Tolerance } from './types.js';

/**
 * The nightly's verdict, computed from the plan and every case's outcome (pure: the same inputs
 * give the same report, whether the outcomes came from one run or from merged shards).
 */
export interface FigureEntry {
  readonly id: string;
  readonly case: string;
  readonly figure: string;
  readonly kind: string;
  readonly mode: 'exact' | 'timing';
  readonly unit: string;
  readonly baseline: number | null;
  readonly current: number;
  /** Percent change of the value (exact) or of the median (timing); null without a baseline or from 0. */
  readonly changePct: number | null;
  /** The diff in words: baseline → current, change, and the tolerance or the test. */
  readonly diff: string;
  readonly pValue?: number;
  /** Timing regressions: how many re-runs confirmed it. */
  readonly confirmedBy?: number;
  readonly acknowledged?: { readonly reason: string; readonly expires: string };
}

export interface StepEntry {
  readonly id: string;
  /** The run the new level starts at. */
  readonly run: string;
  readonly before: number;
  readonly after: number;
  readonly changePct: number;
  readonly unit: string;
  /** 0: the step is at this run; k: k runs ago. */
  readonly runsAgo: number;
}

export interface CaseErrorEntry {
  readonly case: string;
  readonly kind: string;
  readonly message: string;
  readonly inputError: boolean;
}

/** What `nightly --json` prints (and writes to nightly.json). */
export interface NightlyJson {
  readonly ok: boolean;
  readonly regressions: readonly FigureEntry[];
  readonly improvements: readonly FigureEntry[];
  readonly unchanged: number;
  readonly acknowledged: readonly FigureEntry[];
  readonly new: readonly string[];
  readonly notCompared: readonly { readonly id: string; readonly reason: string }[];
  readonly errors: readonly CaseErrorEntry[];
  /** The latest step of each figure's history (including this run), when it has one. */
  readonly steps: readonly StepEntry[];
  readonly warnings: readonly string[];
  readonly run: string;
  readonly commit: string | null;
  readonly cases: number;
  readonly figures: number;
  readonly baselineUpdated: boolean;
}

export interface FigureTrend {
  readonly id: string;
  readonly figure: string;
  readonly unit: string;
  readonly mode: 'exact' | 'timing';
  /** Oldest first; the last point is this run. */
  readonly points: readonly { readonly run: string; readonly value: number }[];
  readonly segments: readonly Segment[];
  readonly steps: readonly Step[];
}

export interface CaseTrend {
  readonly case: string;
  readonly kind: string;
  readonly figures: readonly FigureTrend[];
}

export interface NightlyReport {
  readonly json: NightlyJson;
  /** Every figure measured this run, in case-id then measurement order. */
  readonly figures: readonly FigureResult[];
  readonly trends: readonly CaseTrend[];
  readonly caseNotes: readonly { readonly case: string; readonly notes: readonly string[] }[];
  readonly plan: NightlyPlan;
}

export interface ReportInput {
  readonly plan: NightlyPlan;
  /** Sorted by id. */
  readonly outcomes: readonly CaseOutcome<NightlyCaseResult>[];
  readonly acknowledgements: readonly Acknowledgement[];
  /** YYYY-MM-DD (UTC): decides which acknowledgements have expired. */
  readonly today: string;
  /** Earlier runs, oldest first. */
  readonly history: readonly HistoryRun[];
  readonly run: string;
  readonly commit: string | null;
  readonly baselineUpdated: boolean;
}

/** A number for reports: up to 6 significant digits (JavaScript's own exponent form below 1e-6). */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  return String(Number(value.toPrecision(6)));
}

export function formatPct(pct: number | null): string {
  if (pct === null || !Number.isFinite(pct)) return 'n/a';
  const digits = Math.abs(pct) < 0.01 && pct !== 0 ? 2 : 1;
  const text = Math.abs(pct) < 0.01 && pct !== 0 ? pct.toExponential(digits) : pct.toFixed(digits);
  return `${pct > 0 ? '+' : ''}${text} %`;
}

function describeTolerance(tolerance: Tolerance): string {
  if (tolerance.kind === 'exact') return 'exact';
  const parts = [tolerance.relative > 0 ? `${formatValue(tolerance.relative)} relative` : '', tolerance.absolute > 0 ? `${formatValue(tolerance.absolute)} absolute` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(' + ') : 'exact';
}

function judgementText(j: TimingJudgement, unit: string): string {
  return `median ${formatValue(j.baselineMedian)} → ${formatValue(j.currentMedian)} ${unit} (${formatPct(j.medianChangePct)}), Mann–Whitney p = ${j.pValue.toPrecision(2)}, n = ${j.baselineSamples}/${j.currentSamples}`;
}

function entryFor(figure: FigureResult, testCase: NightlyCase): FigureEntry {
  const c = figure.comparison;
  const base = { id: figure.id, case: testCase.id, figure: figure.name, kind: testCase.kind, mode: figure.mode, unit: figure.unit };
  if (c.mode === 'exact') {
    const baseline = c.baseline ?? null;
    const changePct = c.relativeChange === undefined || c.relativeChange === null ? null : 100 * c.relativeChange;
    const diff =
      baseline === null
        ? `${formatValue(figure.value)} ${figure.unit} (no baseline)`
        : `${formatValue(baseline)} → ${formatValue(figure.value)} ${figure.unit} (${formatPct(changePct)}; Δ ${formatValue(figure.value - baseline)}; tolerance ${describeTolerance(testCase.tolerance)})${c.reason ? `; ${c.reason}` : ''}`;
    return { ...base, baseline, current: figure.value, changePct, diff };
  }
  const j = c.judgement;
  if (!j) return { ...base, baseline: testCase.baselines[figure.name]?.value ?? null, current: figure.value, changePct: null, diff: c.reason ?? `median ${formatValue(figure.value)} ${figure.unit} (no baseline)` };
  const confirmations = c.confirmations ?? [];
  const confirmedText = confirmations.length > 0 ? `; re-run: ${confirmations.map((k) => `${formatPct(k.medianChangePct)}, p = ${k.pValue.toPrecision(2)}`).join('; ')}` : '';
  const rule = `rule: p < ${testCase.timing.alpha} and ≥ ${testCase.timing.minEffectPct} % worse`;
  return {
    ...base,
    baseline: j.baselineMedian,
    current: j.currentMedian,
    changePct: j.medianChangePct,
    diff: `${judgementText(j, figure.unit)}${confirmedText}${c.reason ? `; ${c.reason}` : ''} (${rule})`,
    pValue: j.pValue,
    ...(c.verdict === 'regression' ? { confirmedBy: confirmations.length } : {}),
  };
}

function trendFor(figure: FigureResult, testCase: NightlyCase, history: readonly HistoryRun[], run: string): FigureTrend {
  const points = [
    ...history
      .slice(-(HISTORY_WINDOW - 1))
      .filter((h) => h.figures[figure.id] !== undefined)
      .map((h) => ({ run: h.run, value: h.figures[figure.id]! })),
    { run, value: figure.value },
  ];
  const minChangePct = figure.mode === 'timing' ? testCase.timing.minEffectPct / 2 : testCase.tolerance.kind === 'exact' ? 0 : 100 * testCase.tolerance.relative;
  const fit = fitSteps(
    points.map((p) => p.value),
    { minChangePct },
  );
  return { id: figure.id, figure: figure.name, unit: figure.unit, mode: figure.mode, points, segments: fit.segments, steps: fit.steps };
}

export function buildNightlyReport(input: ReportInput): NightlyReport {
  const casesById = new Map(input.plan.cases.map((c) => [c.id, c]));
  const regressions: FigureEntry[] = [];
  const improvements: FigureEntry[] = [];
  const acknowledged: FigureEntry[] = [];
  const fresh: string[] = [];
  const notCompared: { id: string; reason: string }[] = [];
  const errors: CaseErrorEntry[] = [];
  const figures: FigureResult[] = [];
  const trends: CaseTrend[] = [];
  const steps: StepEntry[] = [];
  const caseNotes: { case: string; notes: readonly string[] }[] = [];
  const usedAcknowledgements = new Set<string>();
  let unchanged = 0;

  for (const outcome of input.outcomes) {
    const testCase = casesById.get(outcome.id)!;
    if (outcome.status === 'error') {
      errors.push({ case: outcome.id, kind: outcome.kind, message: outcome.error.message, inputError: outcome.error.inputError });
      continue;
    }
    caseNotes.push({ case: outcome.id, notes: outcome.result.notes });
    const caseTrends: FigureTrend[] = [];
    for (const figure of outcome.result.figures) {
      figures.push(figure);
      const entry = entryFor(figure, testCase);
      const verdict = figure.comparison.verdict;
      const changedOrFlagged = verdict === 'changed' || verdict === 'regression' || verdict === 'improvement';
      const ack = changedOrFlagged ? acknowledgementFor(input.acknowledgements, figure.id, outcome.id, input.today) : undefined;
      if (ack) {
        usedAcknowledgements.add(ack.id);
        acknowledged.push({ ...entry, acknowledged: { reason: ack.reason, expires: ack.expires } });
      } else if (verdict === 'changed' || verdict === 'regression') regressions.push(entry);
      else if (verdict === 'improvement') improvements.push(entry);
      else if (verdict === 'unchanged') unchanged++;
      else if (verdict === 'new') fresh.push(figure.id);
      else notCompared.push({ id: figure.id, reason: figure.comparison.reason ?? verdict });
      const trend = trendFor(figure, testCase, input.history, input.run);
      caseTrends.push(trend);
      const last = trend.steps[trend.steps.length - 1];
      if (last) steps.push({ id: figure.id, run: trend.points[last.index]!.run, before: last.before, after: last.after, changePct: last.changePct, unit: figure.unit, runsAgo: trend.points.length - 1 - last.index });
    }
    trends.push({ case: outcome.id, kind: outcome.kind, figures: caseTrends });
  }

  const knownIds = new Set([...input.plan.cases.map((c) => c.id), ...figures.map((f) => f.id)]);
  const warnings = [
    ...acknowledgementWarnings(input.acknowledgements, knownIds, input.today),
    ...input.acknowledgements
      .filter((ack) => ack.expires >= input.today && knownIds.has(ack.id) && !usedAcknowledgements.has(ack.id))
      .map((ack) => `acknowledgement of '${ack.id}' silenced nothing this run (it did not change); remove it once the change is resolved`),
    ...(input.plan.config.staleBaselineIds.length > 0
      ? [`${input.plan.config.staleBaselineIds.length} baseline entr${input.plan.config.staleBaselineIds.length === 1 ? 'y names a case' : 'ies name cases'} not in the suite (first: ${input.plan.config.staleBaselineIds[0]}); --update-baseline drops them`]
      : []),
    ...environmentWarnings(figures),
  ];
  // With --update-baseline the changes are accepted: they become the new baseline.
  const ok = errors.length === 0 && (regressions.length === 0 || input.baselineUpdated);
  const json: NightlyJson = {
    ok,
    regressions,
    improvements,
    unchanged,
    acknowledged,
    new: fresh,
    notCompared,
    errors,
    steps,
    warnings,
    run: input.run,
    commit: input.commit,
    cases: input.plan.cases.length,
    figures: figures.length,
    baselineUpdated: input.baselineUpdated,
  };
  return { json, figures, trends, caseNotes, plan: input.plan };
}

/** Timings measured on more than one kind of machine in one run (shards on a mixed fleet) are worth a warning. */
function environmentWarnings(figures: readonly FigureResult[]): string[] {
  const kinds = [...new Set(figures.filter((f) => f.environment).map((f) => describeEnvironment(f.environment!)))].sort();
  return kinds.length > 1 ? [`timings of this run were measured on ${kinds.length} kinds of machine: ${kinds.join('; ')}`] : [];
}

/** Exit code of a finished nightly: 2 a case had bad input, 3 a case crashed, 1 a regression, 0 otherwise. */
export function nightlyExitCode(json: NightlyJson): number {
  if (json.errors.some((e) => e.inputError)) return 2;
  if (json.errors.length > 0) return 3;
  if (json.regressions.length > 0 && !json.baselineUpdated) return 1;
  return 0;
}
