import type { CostModel } from '../../cost/types.js';
import type { Case } from '../../jobs/cases.js';
import type { CasePlan } from '../../jobs/plan.js';
import { withOverrides } from '../../scenario/patch.js';
import type { Scenario, TaskLayout } from '../../scenario/scenario.js';
import { fullyAsyncParameterSet } from '../../schedulers/async/fully-async.js';
import { oneStepOffParameterSet } from '../../schedulers/async/one-step-off.js';
import { asyncPools } from '../../schedulers/async/pools.js';
import { verlWorkerSettings } from '../../schedulers/baseline/verl-workers.js';
import { findScheduler } from '../../schedulers/index.js';
import type { AssumptionValue } from '../../schedulers/types.js';
import { isInputError } from '../../util/input-error.js';
import type { RecordedComparison } from './recorded.js';
import { configKey, configParameters, gridConfigs, type AsyncConfig, type AsyncGrid, type AsyncSchedulerName } from './grid.js';
import { evenSplits, givenSplits, lcm, splitCountProblem, splitStep, type Split, type SplitRules } from './splits.js';
import { trainerMemory, trainerMemoryProblem } from './trainer-memory.js';

/**
 * The plan of an asynchronous what-if (`whatif --async`): the co-located baseline and every
 * (split, configuration) point, checked for feasibility before anything runs. Feasible points
 * are grouped into one case per split (they share the split's inputs: the scenario and the trace
 * are read once per case), so the points shard and run on a worker pool like every other
 * case-based command; infeasible points stay in the plan with their reason, so the report lists
 * them. Everything a case needs travels in it: any worker or shard can run it.
 */
export const WHATIF_ASYNC_COMMAND = 'whatif-async';
export const WHATIF_ASYNC_KIND = 'whatif-async-runs';
/** The baseline's point and case id. */
export const BASELINE_ID = 'co-located';

/** One run of a case: a scheduler under these parameters (set over the scenario's) through the runner. */
export interface AsyncRunSpec {
  readonly id: string;
  readonly scheduler: string;
  readonly parameters: Readonly<Record<string, AssumptionValue>>;
}

export interface AsyncRunsCase extends Case {
  readonly kind: typeof WHATIF_ASYNC_KIND;
  /** Paths as given, relative to the run's base folder. */
  readonly scenario: string;
  readonly trace: string;
  readonly iterations?: number;
  readonly keepTraceBatches: boolean;
  readonly replaySeed: number;
  /** The baseline and the asynchronous schedulers: the bands' note names those outside the calibration. */
  readonly bandSchedulers: readonly string[];
  readonly runs: readonly AsyncRunSpec[];
}

export interface AsyncPoint {
  readonly id: string;
  readonly caseId: string;
  readonly split: Split;
  readonly config: AsyncConfig;
  /** Why the point cannot run (not run); absent for a feasible point. */
  readonly problem?: string;
}

export interface AsyncWhatIfConfig {
  readonly scenario: string;
  readonly trace: string;
  readonly scenarioName: string;
  /** Iterations the trace gives under the scenario (null: not known). */
  readonly traceIterations: number | null;
  /** The recorded run against the baseline's simulation (null without a GPU trace). */
  readonly recorded: RecordedComparison | null;
  readonly scenarioSha256: string;
  readonly traceSha256: string;
  readonly baseline: string;
  readonly colocatedGpus: number;
  readonly priceUsdPerGpuHour: number;
  readonly gpus: readonly number[];
  /** `--splits N`, or null when the splits were given as rollout GPUs. */
  readonly splits: number | null;
  readonly rolloutGpus: readonly number[] | null;
  readonly rules: SplitRules;
  readonly grid: AsyncGrid;
  /** Parameters every asynchronous run takes over from the baseline's settings in the scenario, per scheduler. */
  readonly inherited: Readonly<Record<string, Readonly<Record<string, AssumptionValue>>>>;
  readonly points: readonly AsyncPoint[];
}

export type AsyncWhatIfPlan = CasePlan<AsyncRunsCase, AsyncWhatIfConfig>;

export interface AsyncWhatIfPlanInput {
  /** Paths as given (the cases resolve them against the base folder). */
  readonly scenarioPath: string;
  readonly tracePath: string;
  readonly scenario: Scenario;
  /** The cost model the runs use (its GPU and memory assumptions check the trainer's memory). */
  readonly cost: CostModel;
  readonly baseline: string;
  /** Total GPUs of the asynchronous runs, each at most the scenario's. */
  readonly gpus: readonly number[];
  /** `--splits N` or `--rollout-gpus`. */
  readonly splits: { readonly count: number } | { readonly rolloutGpus: readonly number[] };
  readonly grid: AsyncGrid;
  readonly seed: number;
  /** Replay at most this many iterations (absent: all). */
  readonly iterations?: number;
  /** Iterations the trace gives under the scenario, for the report's note (absent: not known). */
  readonly traceIterations?: number;
  /** The recorded run against the baseline's simulation, when its GPU trace was given. */
  readonly recorded?: RecordedComparison;
  readonly keepTraceBatches: boolean;
  readonly scenarioSha256: string;
  readonly traceSha256: string;
}

const PARAMETER_SETS = { 'one-step-off': oneStepOffParameterSet, 'fully-async': fullyAsyncParameterSet } as const;

/**
 * What an asynchronous run takes over from the co-located run: every parameter of the baseline's
 * settings in the scenario that the asynchronous scheduler also reads (veRL's worker settings:
 * offload, FSDP size, Ulysses, dynamic batches, the reference policy), so only the placement
 * changes. The scenario's own settings for the asynchronous scheduler come on top.
 */
export function inheritedParameters(scenario: Scenario, baseline: string, scheduler: AsyncSchedulerName): Record<string, AssumptionValue> {
  const names = new Set(findScheduler(scheduler)!.assumptions.map((a) => a.name));
  const given = scenario.schedulerParameters[baseline] ?? {};
  const out: Record<string, AssumptionValue> = {};
  for (const name of Object.keys(given).sort()) if (names.has(name)) out[name] = given[name]!;
  return out;
}

const pad = (n: number) => String(n).padStart(4, '0');
export const splitCaseId = (split: Split) => `g${pad(split.totalGpus)}/r${pad(split.rolloutGpus)}`;
export const pointId = (split: Split, config: AsyncConfig) => `${splitCaseId(split)}/${configKey(config)}`;

/** The layouts the trainer runs (pools.ts re-sizes each): their replica GPUs. */
function replicaGpus(layouts: readonly (TaskLayout | undefined)[]): number[] {
  return layouts.filter((l): l is TaskLayout => l !== undefined).map((l) => l.tp * l.pp * (l.cp ?? 1));
}

/** The split rules of the scenario under the asynchronous schedulers' resolved settings (their Ulysses groups). */
export function splitRules(scenario: Scenario, schedulers: readonly AsyncSchedulerName[], runParameters: (scheduler: AsyncSchedulerName) => Scenario): SplitRules {
  const layouts = scenario.layout;
  const replicas = layouts ? replicaGpus([layouts.actorTrain, layouts.actorInference, layouts.ref, layouts.criticTrain, layouts.criticInference]) : [];
  const ulysses = schedulers.map((name) => Math.max(1, PARAMETER_SETS[name].resolve(runParameters(name)).ulyssesSp));
  return { rolloutUnit: scenario.generation.tp, trainerUnit: lcm(...replicas, ...ulysses) };
}

/** The parameters of a point's run: inherited, the scenario's own for the scheduler, the configuration's, the split. */
export function runParameters(scenario: Scenario, inherited: Readonly<Record<string, AssumptionValue>>, split: Split, config: AsyncConfig): Record<string, AssumptionValue> {
  return {
    ...inherited,
    ...(scenario.schedulerParameters[config.scheduler] ?? {}),
    ...configParameters(config),
    'rollout-gpus': split.rolloutGpus,
    'trainer-gpus': split.trainerGpus,
  };
}

/** Why a point cannot run: a side's GPU-count rule, the scheduler's own pool check, the trainer's memory; undefined when it can. */
export function pointProblem(scenario: Scenario, cost: CostModel, split: Split, config: AsyncConfig, rules: SplitRules): string | undefined {
  const counted = splitCountProblem(split, rules);
  if (counted) return counted;
  const set = PARAMETER_SETS[config.scheduler];
  const values = set.resolve(scenario);
  let pools;
  try {
    pools = asyncPools(scenario, values, (key) => set.field(key));
  } catch (error) {
    if (!isInputError(error)) throw error;
    return error.problems.map((p) => p.message).join('; ');
  }
  return trainerMemoryProblem(trainerMemory(scenario, cost, pools, verlWorkerSettings(values)), split.trainerGpus);
}

export function buildAsyncWhatIfPlan(input: AsyncWhatIfPlanInput): AsyncWhatIfPlan {
  const { scenario, grid } = input;
  const inherited = Object.fromEntries(grid.schedulers.map((name) => [name, inheritedParameters(scenario, input.baseline, name)]));
  const rules = splitRules(scenario, grid.schedulers, (name) => withOverrides(scenario, { [name]: inherited[name]! }));
  const configs = gridConfigs(grid);
  const points: AsyncPoint[] = [];
  const runsByCase = new Map<string, AsyncRunSpec[]>();
  for (const total of input.gpus) {
    const splits = 'count' in input.splits ? evenSplits(total, input.splits.count, splitStep(total, rules)) : givenSplits(total, input.splits.rolloutGpus);
    for (const split of splits) {
      for (const config of configs) {
        const parameters = runParameters(scenario, inherited[config.scheduler]!, split, config);
        const problem = pointProblem(withOverrides(scenario, { [config.scheduler]: parameters }), input.cost, split, config, rules);
        const id = pointId(split, config);
        const caseId = splitCaseId(split);
        points.push({ id, caseId, split, config, ...(problem !== undefined ? { problem } : {}) });
        if (problem === undefined) runsByCase.set(caseId, [...(runsByCase.get(caseId) ?? []), { id, scheduler: config.scheduler, parameters }]);
      }
    }
  }
  const common = {
    kind: WHATIF_ASYNC_KIND,
    scenario: input.scenarioPath,
    trace: input.tracePath,
    ...(input.iterations !== undefined ? { iterations: input.iterations } : {}),
    keepTraceBatches: input.keepTraceBatches,
    replaySeed: input.seed,
    bandSchedulers: [input.baseline, ...grid.schedulers],
  } as const;
  const cases: AsyncRunsCase[] = [
    { ...common, id: BASELINE_ID, runs: [{ id: BASELINE_ID, scheduler: input.baseline, parameters: {} }] },
    ...[...runsByCase.entries()].map(([id, runs]): AsyncRunsCase => ({ ...common, id, runs })),
  ];
  return {
    command: WHATIF_ASYNC_COMMAND,
    seed: input.seed,
    cases,
    config: {
      scenario: input.scenarioPath,
      trace: input.tracePath,
      scenarioName: scenario.name,
      traceIterations: input.traceIterations ?? null,
      recorded: input.recorded ?? null,
      scenarioSha256: input.scenarioSha256,
      traceSha256: input.traceSha256,
      baseline: input.baseline,
      colocatedGpus: scenario.cluster.nodes * scenario.cluster.gpusPerNode,
      priceUsdPerGpuHour: scenario.cluster.priceUsdPerGpuHour,
      gpus: input.gpus,
      splits: 'count' in input.splits ? input.splits.count : null,
      rolloutGpus: 'count' in input.splits ? null : input.splits.rolloutGpus,
      rules,
      grid,
      inherited,
      points,
    },
  };
}
