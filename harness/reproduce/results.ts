import { byId as byCaseId, type CaseOutcome } from '../jobs/cases.js';
import type { PipelineResult } from './cases/pipeline.js';
import { RUN_KIND, type RunCase, type RunResult } from './cases/run.js';
import type { TraceCase, TraceResult } from './cases/trace.js';
import { PIPELINE_KIND } from './cases/pipeline.js';
import { TRACE_KIND } from './cases/trace.js';
import type { ExperimentConfig } from './experiments/types.js';
import { FigureData, type RunRows } from './figures/data.js';
import { withoutReplicates, type ConfigEstimate, type Estimate } from '../stats/estimate.js';
import { EstimateBook } from './figures/book.js';
import { RLHFUSE_MAIN_GROUP } from './experiments/rlhfuse.js';
import { standInFigures, type StandInFigures } from './figures/stand-in.js';
import { decomposeFigure, type FigureDecomposition, type NoDecomposition } from './figures/decomposition.js';
import { figuresOf } from './figures/index.js';
import type { FigureComputation, FigureOutcome } from './figures/types.js';
import type { ReproducePlan } from './plan.js';
import { figureSensitivity, type FigureSensitivity, type ProbeRun } from './sensitivity/tornado.js';

/**
 * Everything the reproduction computed, from the plan and the case outcomes alone (so a merge of
 * shards gives exactly what one run gives): figure estimates, their sensitivity, and the runs
 * the report's tables and charts are drawn from. No paper target is read here.
 */
export interface FigureResult {
  readonly id: string;
  readonly how: string;
  readonly headline: boolean;
  readonly scope: FigureComputation['scope'];
  readonly outcome: FigureOutcome;
}

export interface MainRun {
  readonly testCase: RunCase;
  readonly result: RunResult;
}

export interface ReproduceResults {
  readonly plan: ReproducePlan;
  readonly figures: readonly FigureResult[];
  readonly sensitivity: readonly FigureSensitivity[];
  readonly main: readonly MainRun[];
  readonly curve: readonly MainRun[];
  readonly probes: readonly ProbeRun[];
  readonly pipeline: readonly PipelineResult[];
  readonly traces: readonly { readonly testCase: TraceCase; readonly result: TraceResult }[];
  readonly errors: readonly { readonly id: string; readonly message: string; readonly inputError: boolean }[];
  /** Main configurations in plan order. */
  readonly configs: readonly ExperimentConfig[];
  /** Every estimate of the main and curve runs, computed once: figures, charts and tables read it. */
  readonly book: EstimateBook;
  /** Each RLHFless figure split into what billing alone gives and what each technique adds (or why not). */
  readonly decompositions: readonly (FigureDecomposition | NoDecomposition)[];
  /** RLHFuse's system figures recomputed on the grid replayed with each alternative to the HH-RLHF stand-in trace. */
  readonly standIns: readonly StandInFigures[];
}

function stripEstimate<T extends Estimate>(estimate: T): Omit<T, 'replicates'> {
  return withoutReplicates(estimate);
}

function strip(outcome: FigureOutcome): FigureOutcome {
  if (!outcome.ok) return outcome;
  return { ...outcome, estimate: stripEstimate(outcome.estimate), perConfig: outcome.perConfig.map((e) => stripEstimate(e) as ConfigEstimate) };
}

export function computeResults(plan: ReproducePlan, outcomes: readonly CaseOutcome[]): ReproduceResults {
  const byId = new Map(plan.cases.map((testCase) => [testCase.id, testCase]));
  const main: MainRun[] = [];
  const curve: MainRun[] = [];
  const probes: ProbeRun[] = [];
  const pipeline: PipelineResult[] = [];
  const traces: ReproduceResults['traces'][number][] = [];
  const errors: ReproduceResults['errors'][number][] = [];
  // Id order, whatever order the outcomes came in (a pool, a merge): the report depends on nothing else.
  for (const outcome of [...outcomes].sort(byCaseId)) {
    const testCase = byId.get(outcome.id);
    if (!testCase) continue;
    if (outcome.status === 'error') {
      errors.push({ id: outcome.id, message: outcome.error.message, inputError: outcome.error.inputError });
      continue;
    }
    if (testCase.kind === RUN_KIND) {
      const run = { testCase, result: outcome.result as RunResult };
      if (testCase.role === 'main') main.push(run);
      else if (testCase.role === 'curve') curve.push(run);
      else probes.push(run);
    } else if (testCase.kind === PIPELINE_KIND) pipeline.push(outcome.result as PipelineResult);
    else if (testCase.kind === TRACE_KIND) traces.push({ testCase, result: outcome.result as TraceResult });
  }
  const configs: ExperimentConfig[] = [];
  for (const testCase of plan.cases) if (testCase.kind === RUN_KIND && testCase.role === 'main' && !configs.some((c) => c.id === testCase.config.id)) configs.push(testCase.config);

  const runRows: RunRows[] = [
    ...main.map((run) => ({ config: run.testCase.config, rows: run.result.iterations })),
    ...curve.map((run) => ({ config: run.testCase.config, rows: run.result.iterations, point: Number(Object.values(run.testCase.overrides ?? {})[0]?.['migration-threshold']) })),
  ];
  const data = new FigureData(runRows, pipeline);
  const book = new EstimateBook(data, { ci: true, resamples: plan.config.sizes.bootstrapResamples, seed: `reproduce/${plan.seed}` });
  const computations: FigureComputation[] = figuresOf(plan.config.papers);
  const figures = computations.map((figure) => ({ id: figure.id, how: figure.how, headline: figure.headline, scope: figure.scope, outcome: strip(figure.compute(book)) }));
  const sensitivity = computations.map((figure) => figureSensitivity(figure, probes, plan.config.sensitivity.varied, pipeline));
  const decompositions = computations.flatMap((figure, index) => {
    const spec = figure.decomposition;
    if (!spec) return [];
    return 'none' in spec ? [{ figure: figure.id, none: spec.none }] : [decomposeFigure(figure.id, spec, figures[index]!.outcome, book)];
  });
  const standInSources = [...new Set(configs.flatMap((config) => (config.standIn ? [config.standIn.source] : [])))];
  const rlhfuseSystem = computations.filter((figure) => figure.paper === 'rlhfuse' && figure.scope === 'system');
  const standIns = standInSources.map((source) => standInFigures(source, runRows, rlhfuseSystem, book.options, RLHFUSE_MAIN_GROUP));
  return { plan, figures, sensitivity, main, curve, probes, pipeline, traces, errors, configs, book, decompositions, standIns };
}
