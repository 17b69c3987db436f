import { scenarioIterations } from '../scenario/batches.js';
import { scenarioCostModel, scenarioFramework, type ScenarioFramework } from '../scenario/cost-model.js';
import type { Scenario } from '../scenario/scenario.js';
import { ReplayHistories } from '../schedulers/history.js';
import type { SchedulerEntry } from '../schedulers/types.js';
import type { CostModel } from '../cost/types.js';
import type { IterationResult } from '../sim/types.js';
import type { WorkloadIteration, WorkloadMeta } from '../traces/types.js';
import { InputError, isInputError } from '../util/input-error.js';
import { createRng, type Rng } from '../util/rng.js';
import { SchedulerNotes } from './notes.js';
import type { RunOutcome, RunSink, RunSpec } from './spec.js';
import { RunningSummary } from './summary.js';
import { openScenarioTrace } from './trace.js';

/**
 * The one place a run is assembled: scenario + iterations + cost model + schedulers + seed →
 * results streamed per iteration to a sink, running summaries and notes at the end.
 *
 * Every (iteration, scheduler) pair runs with its own random stream forked from the seed by
 * scheduler name and iteration number, so adding a scheduler or an iteration changes no other
 * result. The only state that crosses iterations is each scheduler's declared replay history
 * (schedulers/history.ts), folded after every iteration.
 */
export interface PreparedExperiment {
  readonly scenario: Scenario;
  readonly cost: CostModel;
  /** The framework calibration the cost model runs under, resolved for the scenario (bands come from it). */
  readonly framework: ScenarioFramework;
  /** Iterations the run will replay. */
  readonly iterations: number;
  /** About the inputs: the trace's notes, then how it was cut into batches. */
  readonly notes: readonly string[];
  readonly traceMeta?: WorkloadMeta;
  /** Replays every iteration through the schedulers; results go to `sink` as they come. Call once. */
  run(sink?: RunSink): Promise<RunOutcome>;
}

interface OpenedIterations {
  readonly count: number;
  readonly iterations: AsyncIterable<WorkloadIteration> | Iterable<WorkloadIteration>;
  readonly notes: readonly string[];
  readonly batchNotes: readonly string[];
  readonly traceMeta?: WorkloadMeta;
}

async function openIterations(spec: RunSpec): Promise<OpenedIterations> {
  const { workload } = spec;
  switch (workload.kind) {
    case 'trace': {
      const trace = await openScenarioTrace(workload.path, spec.scenario, workload.batching, workload.read);
      return { count: trace.plan.count, iterations: trace.iterations, notes: [...trace.meta.notes, ...trace.plan.notes], batchNotes: trace.plan.notes, traceMeta: trace.meta };
    }
    case 'workload': {
      const { iterations, notes } = scenarioIterations(workload.workload, spec.scenario, workload.batching);
      return { count: iterations.length, iterations, notes: [...workload.workload.meta.notes, ...notes], batchNotes: notes, traceMeta: workload.workload.meta };
    }
    case 'iterations':
      return { count: workload.iterations.length, iterations: workload.iterations, notes: workload.notes ?? [], batchNotes: [] };
  }
}

/** Opens the inputs and builds the cost model; nothing is simulated until `run`. */
export async function prepareExperiment(spec: RunSpec): Promise<PreparedExperiment> {
  const opened = await openIterations(spec);
  const framework = await scenarioFramework(spec.scenario, spec.framework);
  const cost = await scenarioCostModel(spec.scenario, {
    framework,
    ...(spec.calibration ? { calibration: spec.calibration } : {}),
    ...(spec.calibrationLabel !== undefined ? { calibrationLabel: spec.calibrationLabel } : {}),
    ...(spec.costAssumptions ? { assumptions: spec.costAssumptions } : {}),
    ...(spec.createCostModel ? { create: spec.createCostModel } : {}),
  });
  let started = false;
  return {
    scenario: spec.scenario,
    cost,
    framework,
    iterations: opened.count,
    notes: opened.notes,
    ...(opened.traceMeta ? { traceMeta: opened.traceMeta } : {}),
    run: (sink = {}) => {
      if (started) throw new Error('runExperiment: a prepared experiment runs once');
      started = true;
      return replay(spec, opened, cost, framework, sink);
    },
  };
}

/**
 * Runs an experiment: `prepareExperiment(spec)` then `run(sink)`. A trace or workload that gives
 * no iteration to replay is an InputError (callers that want their own message check
 * `prepareExperiment(spec).iterations` first); iterations given directly are replayed as given.
 */
export async function runExperiment(spec: RunSpec, sink: RunSink = {}): Promise<RunOutcome> {
  const prepared = await prepareExperiment(spec);
  if (prepared.iterations === 0 && spec.workload.kind !== 'iterations') {
    throw new InputError({ file: spec.workload.kind === 'trace' ? (spec.workload.shownAs ?? spec.workload.path) : '(workload)', message: 'has no prompt groups to replay' });
  }
  return prepared.run(sink);
}

/**
 * One iteration at a time through every scheduler still in the run: each (iteration, scheduler)
 * with its own stream forked from the seed, each scheduler with its replay history, folded after
 * the iteration. A scheduler allowed to fail that throws an InputError is dropped.
 */
export class IterationReplayer {
  private readonly root: Rng;
  private readonly histories: ReplayHistories;
  private active: readonly SchedulerEntry[];

  constructor(
    private readonly scenario: Scenario,
    schedulers: readonly SchedulerEntry[],
    private readonly cost: CostModel,
    seed: number,
    private readonly mayFail: (scheduler: string) => boolean = () => false,
  ) {
    this.root = createRng(seed);
    this.histories = new ReplayHistories(scenario, schedulers);
    this.active = schedulers;
  }

  /** The iteration's results in the schedulers' order, and the schedulers dropped on it. */
  step(iteration: WorkloadIteration): { results: IterationResult[]; dropped: { scheduler: string; reason: string }[] } {
    const results: IterationResult[] = [];
    const dropped: { scheduler: string; reason: string }[] = [];
    for (const entry of this.active) {
      try {
        results.push(entry.run(this.scenario, iteration, this.cost, this.root.fork(entry.name).fork(iteration.iteration), this.histories.of(entry.name)));
      } catch (error) {
        if (!isInputError(error) || !this.mayFail(entry.name)) throw error;
        dropped.push({ scheduler: entry.name, reason: error.message });
      }
    }
    if (dropped.length > 0) this.active = this.active.filter((entry) => !dropped.some((d) => d.scheduler === entry.name));
    this.histories.add(iteration, new Map(results.map((result) => [result.scheduler, result])));
    return { results, dropped };
  }
}

async function replay(spec: RunSpec, opened: OpenedIterations, cost: CostModel, framework: ScenarioFramework, sink: RunSink): Promise<RunOutcome> {
  const { scenario } = spec;
  const replayer = new IterationReplayer(scenario, spec.schedulers, cost, spec.seed, spec.mayFail);
  const summaries = new Map(spec.schedulers.map((entry) => [entry.name, new RunningSummary(entry.name)]));
  const notes = new SchedulerNotes();
  const dropped: { scheduler: string; reason: string }[] = [];
  const total = opened.count * spec.schedulers.length;
  let done = 0;
  let index = 0;
  let samplesPerIteration = 0;
  for await (const iteration of opened.iterations) {
    if (index === 0) samplesPerIteration = iteration.groups.reduce((sum, group) => sum + group.responseTokens.length, 0);
    const step = replayer.step(iteration);
    for (const d of step.dropped) {
      dropped.push(d);
      summaries.delete(d.scheduler);
      notes.remove(d.scheduler);
      sink.dropped?.(d.scheduler, d.reason);
    }
    for (const result of step.results) {
      summaries.get(result.scheduler)!.add(result);
      notes.add(result.scheduler, result.notes);
      done++;
      await sink.result?.(result, { done, total, index });
    }
    index++;
  }
  return {
    scenario,
    ...(opened.traceMeta ? { traceMeta: opened.traceMeta } : {}),
    costModel: { description: cost.description, queries: cost.rangeCounter.queries, outOfRange: cost.rangeCounter.outOfRange },
    framework,
    iterations: index,
    samplesPerIteration,
    summaries: [...summaries.values()].filter((summary) => summary.iterations > 0).map((summary) => summary.summary()),
    notes: opened.notes,
    batchNotes: opened.batchNotes,
    schedulerNotes: notes,
    dropped,
  };
}
