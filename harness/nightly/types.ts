import { RESULT_METRIC_NAMES } from '../metrics/catalog.js';
import type { Case } from '../jobs/cases.js';

/**
 * The nightly regression suite's data: cases as the plan carries them (each with the baseline it
 * is compared with and the rules of the comparison), what a case measures, and what comparing it
 * gave. Plain JSON throughout: cases cross threads and shard files.
 */

/** How close a deterministic figure must stay to its baseline: `|current − baseline| ≤ absolute + relative·|baseline|`. */
export type Tolerance = { readonly kind: 'exact' } | { readonly kind: 'close'; readonly relative: number; readonly absolute: number };

/**
 * The statistical rule for noisy timings (see timing-rule.ts): a one-sided Mann–Whitney U test at
 * level `alpha` AND a change of the median by at least `minEffectPct`, confirmed by re-running
 * the case `confirmRuns` times.
 */
export interface TimingRule {
  readonly alpha: number;
  readonly minEffectPct: number;
  /** Fewer samples than this on either side: 'inconclusive', never a regression. */
  readonly minSamples: number;
  readonly confirmRuns: number;
  /** 'require-match': a baseline recorded on another machine kind is not compared ('incomparable'). */
  readonly environment: 'require-match' | 'ignore';
}

/** The machine a timing was measured on; timings are only comparable on the same kind of machine. */
export interface Environment {
  readonly platform: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cpus: number;
  /** Node's major version: V8 upgrades move timings. */
  readonly nodeMajor: number;
}

export interface BaselineFigure {
  /** Deterministic figures: the value. Timings: the median of every run's samples pooled. */
  readonly value: number;
  readonly unit: string;
  /**
   * Timing figures: the samples of each recorded run (the last few `--update-baseline` runs on
   * this kind of machine, see baseline.ts). Pooling runs averages out the run-to-run and
   * machine-to-machine spread a single run cannot show.
   */
  readonly runs?: readonly (readonly number[])[];
  readonly environment?: Environment;
}

/** A baseline's samples, every recorded run pooled (its value alone when it has no runs). */
export function baselineSamples(baseline: BaselineFigure): number[] {
  return baseline.runs && baseline.runs.length > 0 ? baseline.runs.flat() : [baseline.value];
}

/** What every nightly case carries besides its kind-specific fields. */
export interface NightlyCaseBase extends Case {
  readonly tolerance: Tolerance;
  readonly timing: TimingRule;
  /** The stored baseline of each of the case's figures that has one, by figure name. */
  readonly baselines: Readonly<Record<string, BaselineFigure>>;
}

/** The catalog metrics every replay summary carries (harness/metrics/catalog.ts). */
export const SIM_METRICS: readonly string[] = RESULT_METRIC_NAMES;

/** One scheduler replaying a trace under a scenario (the `replay` command's figures). */
export interface SimFigureCase extends NightlyCaseBase {
  readonly kind: 'sim-figure';
  /** Paths relative to the suite file. */
  readonly scenario: string;
  readonly trace: string;
  readonly scheduler: string;
  /** Names from SIM_METRICS, or `stages.<stage>` (mean seconds in that stage). */
  readonly metrics: readonly string[];
  readonly iterations: number;
  /** Seed of the replay (as `replay --seed`); derived from the case id when absent. */
  readonly seed?: number;
  readonly keepTraceBatches: boolean;
}

export const COST_QUERY_OPS = ['prefill', 'decodeStep', 'decodeSteps', 'forward', 'trainStageForward', 'trainStageBackward', 'kvCapacityTokens', 'allReduce', 'transfer'] as const;
export type CostQueryOp = (typeof COST_QUERY_OPS)[number];

/** One cost-model estimate; which arguments it needs depends on `op` (see kinds/cost-model.ts). */
export interface CostQuery {
  readonly name: string;
  readonly op: CostQueryOp;
  readonly tokens?: number;
  readonly sequences?: number;
  readonly batch?: number;
  readonly contextTokens?: number;
  readonly steps?: number;
  readonly memoryUtilization?: number;
  readonly bytes?: number;
  readonly workers?: number;
  readonly crossNode?: boolean;
  readonly placement?: 'same-gpu' | 'same-node' | 'other-node';
}

export interface CostModelCase extends NightlyCaseBase {
  readonly kind: 'cost-model';
  readonly gpu: string;
  readonly model: string;
  readonly tp: number;
  readonly pp: number;
  /** 'shipped': the calibration the project ships; 'none': default efficiencies; else a calibration file relative to the suite. */
  readonly calibration: string;
  readonly queries: readonly CostQuery[];
}

export const TRACE_STATS_METRICS = [
  'groups',
  'samples',
  'promptTokens.mean',
  'promptTokens.p50',
  'promptTokens.p90',
  'promptTokens.p99',
  'promptTokens.max',
  'responseTokens.mean',
  'responseTokens.p50',
  'responseTokens.p90',
  'responseTokens.p99',
  'responseTokens.max',
  'truncatedFraction',
  'tailShare1pct',
  'tailShare10pct',
] as const;

/** Length statistics of a trace, read through the trace readers (`traces stats`). */
export interface TraceStatsCase extends NightlyCaseBase {
  readonly kind: 'trace-stats';
  readonly trace: string;
  readonly metrics: readonly string[];
}

/** The fused-pipeline search on a FlexFusion instance with a fixed evaluation budget (deterministic figures). */
export interface PipelineSearchCase extends NightlyCaseBase {
  readonly kind: 'pipeline-search';
  /** FlexFusion experiment number (0–5). */
  readonly instance: number;
  readonly latencyEvaluations: number;
  readonly memoryEvaluations: number;
  readonly seed?: number;
}

/** A harness micro-benchmark suite (harness/bench), run `repeats` times; its figures are timings. */
export interface BenchCase extends NightlyCaseBase {
  readonly kind: 'bench';
  readonly suite: string;
  readonly quick: boolean;
  readonly repeats: number;
  /** Figures to compare (default: all the suite reports). */
  readonly figures?: readonly string[];
}

export type NightlyCase = SimFigureCase | CostModelCase | TraceStatsCase | PipelineSearchCase | BenchCase;

/** One figure as a case measured it. */
export interface Measurement {
  readonly name: string;
  readonly unit: string;
  /** 'exact': deterministic, compared within the tolerance. 'timing': noisy, compared statistically. */
  readonly mode: 'exact' | 'timing';
  readonly better?: 'higher' | 'lower';
  /** Exact: the value. Timing: the median of the samples. */
  readonly value: number;
  readonly samples?: readonly number[];
}

export interface ExactComparison {
  readonly mode: 'exact';
  readonly verdict: 'new' | 'unchanged' | 'changed';
  readonly baseline?: number;
  readonly absoluteChange?: number;
  /** null when the baseline is 0. */
  readonly relativeChange?: number | null;
  /** Unit mismatch with the baseline, and the like. */
  readonly reason?: string;
}

export type TimingVerdict = 'regression' | 'improvement' | 'unchanged' | 'inconclusive';

/** One application of the timing rule to two samples. */
export interface TimingJudgement {
  readonly verdict: TimingVerdict;
  readonly baselineMedian: number;
  readonly currentMedian: number;
  /** 100 · (current median / baseline median − 1). */
  readonly medianChangePct: number;
  /** One-sided Mann–Whitney p-value in the direction the median moved (1 when it did not move). */
  readonly pValue: number;
  readonly baselineSamples: number;
  readonly currentSamples: number;
}

export interface TimingComparison {
  readonly mode: 'timing';
  readonly verdict: TimingVerdict | 'new' | 'incomparable';
  readonly judgement?: TimingJudgement;
  /** Re-runs of a suspected regression and what each gave; a regression stands only if every one agrees. */
  readonly confirmations?: readonly TimingJudgement[];
  readonly reason?: string;
}

export type Comparison = ExactComparison | TimingComparison;

export interface FigureResult extends Measurement {
  /** `<case id>:<figure name>`. */
  readonly id: string;
  readonly comparison: Comparison;
  /** Timing figures: where they were measured. */
  readonly environment?: Environment;
}

/** The JSON result of one nightly case (what shard files carry). */
export interface NightlyCaseResult {
  readonly figures: readonly FigureResult[];
  readonly notes: readonly string[];
}

export function figureId(caseId: string, name: string): string {
  return `${caseId}:${name}`;
}
