import { totalGpus } from '../../scenario/scenario.js';
import { findScheduler } from '../../schedulers/index.js';
import { runExperiment } from '../../run/experiment.js';
import type { RunSpec } from '../../run/spec.js';
import { applyVariation, type Variation } from '../../run/variation.js';
import type { SchedulerEntry } from '../../schedulers/types.js';
import type { Case, CaseKind } from '../../jobs/cases.js';
import { InputError, isInputError } from '../../util/input-error.js';
import type { ParameterOverrides } from '../../scenario/patch.js';
import { withOverrides } from '../../scenario/patch.js';
import type { ExperimentConfig, Perturbation, TraceUse } from '../experiments/types.js';
import { iterationMetrics, type MetricName } from '../../metrics/iteration.js';
import { configScenario } from '../scenario-variant.js';
import { loadShapedTrace } from '../traces/load.js';
import { isMeasured, type ShapedWorkload } from '../traces/shape.js';

/**
 * One simulation run of the reproduction: a configuration replayed under one experiment seed
 * through some of its schedulers — the main grid ('main'), a threshold-curve point ('curve'), or
 * a sensitivity probe with one assumption moved ('probe'). Everything it needs is in the case.
 */
export const RUN_KIND = 'reproduce-run';

export interface RunCase extends Case {
  readonly kind: typeof RUN_KIND;
  readonly role: 'main' | 'curve' | 'probe';
  readonly config: ExperimentConfig;
  /** Experiment seed: which prompts are drawn, and the schedulers' random streams. */
  readonly seed: number;
  readonly schedulers: readonly string[];
  readonly perturbation?: Perturbation;
  /** Sensitivity id of the perturbation ('scheduler:tau', 'cost:engineOverheadScale', …). */
  readonly variant?: string;
  readonly overrides?: ParameterOverrides;
  /** Schedulers whose first measured iteration's spans are kept. */
  readonly timeline?: readonly string[];
}

export interface IterationRow {
  readonly scheduler: string;
  readonly seed: number;
  readonly iteration: number;
  /** null where a metric does not apply (e.g. no per-sample ledger). */
  readonly metrics: Readonly<Record<MetricName, number | null>>;
}

export interface CompactSpan {
  readonly pool: string;
  readonly firstGpu: number;
  readonly gpus: number;
  readonly stage: string;
  readonly task: string;
  readonly startS: number;
  readonly endS: number;
}

export interface RunResult {
  readonly costModel: string;
  readonly totalGpus: number;
  readonly iterations: readonly IterationRow[];
  readonly timelines: readonly { readonly scheduler: string; readonly iteration: number; readonly spans: readonly CompactSpan[] }[];
  readonly samplesPerIteration: number;
  readonly notes: readonly string[];
  readonly costModelOutOfRangeShare: number;
  /** A sensitivity variation the scenario cannot run with (e.g. no KV cache left): why. The analysis skips it. */
  readonly infeasible?: string;
}

function schedulerEntries(names: readonly string[], where: string): SchedulerEntry[] {
  return names.map((name) => {
    const entry = findScheduler(name);
    if (!entry) throw new InputError({ file: where, field: 'schedulers', value: name, message: 'unknown scheduler' });
    return entry;
  });
}

/** Runs a case; a sensitivity variation the scenario rejects is an outcome of the analysis, not a failure of the run. */
export async function runReproduceCase(testCase: RunCase): Promise<RunResult> {
  if (testCase.role !== 'probe' || testCase.perturbation === undefined) return simulate(testCase);
  try {
    return await simulate(testCase);
  } catch (error) {
    if (!isInputError(error)) throw error;
    return { costModel: '', totalGpus: 0, iterations: [], timelines: [], samplesPerIteration: 0, notes: [], costModelOutOfRangeShare: 0, infeasible: error.message.split('\n')[0]! };
  }
}

/** The reproduction's perturbation as the runner's variation (a trace perturbation loads and shapes its trace). */
async function variationOf(perturbation: Perturbation, shaped: (trace: TraceUse) => Promise<ShapedWorkload>): Promise<Variation> {
  if (perturbation.kind !== 'trace') return perturbation;
  const { iterations, notes } = await shaped(perturbation.trace);
  return { kind: 'trace', assumption: perturbation.assumption, value: perturbation.value, workload: { kind: 'iterations', iterations, notes } };
}

async function simulate(testCase: RunCase): Promise<RunResult> {
  const { config } = testCase;
  const entries = schedulerEntries(testCase.schedulers, testCase.id);
  const shapedOf = (trace: TraceUse) => loadShapedTrace(trace, config.samplesPerPrompt, config.shape, testCase.seed);
  const variation = testCase.perturbation ? await variationOf(testCase.perturbation, shapedOf) : undefined;
  const shaped = variation?.kind === 'trace' ? variation.workload : { kind: 'iterations' as const, ...(await shapedOf(config.trace)) };
  if (shaped.kind !== 'iterations') throw new Error('unreachable: the reproduction replays shaped iterations');
  let spec: RunSpec = { scenario: await configScenario(config), workload: { kind: 'iterations', iterations: shaped.iterations, notes: shaped.notes ?? [] }, schedulers: entries, seed: testCase.seed };
  if (variation) spec = applyVariation(spec, variation);
  if (testCase.overrides) spec = { ...spec, scenario: withOverrides(spec.scenario, testCase.overrides) };
  const { scenario } = spec;
  const gpus = totalGpus(scenario);
  const iterations: IterationRow[] = [];
  const timelines: RunResult['timelines'][number][] = [];
  const wanted = new Set(testCase.timeline ?? []);
  const firstMeasured = shaped.iterations.findIndex((_, index) => isMeasured(config.shape, index));
  const outcome = await runExperiment(spec, {
    result: (result) => {
        if (!isMeasured(config.shape, result.iteration)) return;
        const metrics = iterationMetrics(result, gpus);
        iterations.push({
          scheduler: result.scheduler,
          seed: testCase.seed,
          iteration: result.iteration,
          metrics: Object.fromEntries(Object.entries(metrics).map(([name, value]) => [name, Number.isFinite(value) ? value : null])) as IterationRow['metrics'],
        });
        if (wanted.has(result.scheduler) && result.iteration === firstMeasured) {
          timelines.push({
            scheduler: result.scheduler,
            iteration: result.iteration,
            spans: result.spans.map((s) => ({ pool: s.pool, firstGpu: s.firstGpu, gpus: s.gpus, stage: s.stage, task: s.task, startS: s.startS, endS: s.endS })),
          });
        }
      },
    },
  );
  return {
    costModel: outcome.costModel.description,
    totalGpus: gpus,
    iterations,
    timelines,
    samplesPerIteration: outcome.samplesPerIteration,
    notes: [...new Set([...outcome.notes, ...outcome.schedulerNotes.attributed()])],
    costModelOutOfRangeShare: outcome.costModel.queries > 0 ? outcome.costModel.outOfRange / outcome.costModel.queries : 0,
  };
}

export const runKind: CaseKind<RunCase, RunResult> = { kind: RUN_KIND, run: (testCase) => runReproduceCase(testCase) };
