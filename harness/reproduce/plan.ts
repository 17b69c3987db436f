import { join } from 'node:path';
import { loadScenario } from '../scenario/loader.js';
import type { CasePlan } from '../jobs/plan.js';
import { scenarioAssumptions, type Scenario } from '../scenario/scenario.js';
import { compileProblem } from '../schedulers/pipeline/problem.js';
import { flexFusionInstances, flexFusionLayout } from '../schedulers/rlhfuse/fused-pipeline/flexfusion-instances.js';
import { defaultMemoryEvaluations } from '../schedulers/rlhfuse/fused-pipeline/search.js';
import { projectRoot } from '../util/shared-data.js';
import { PIPELINE_KIND, type PipelineCase } from './cases/pipeline.js';
import { RUN_KIND, type RunCase } from './cases/run.js';
import { TRACE_KIND, type TraceCase } from './cases/trace.js';
import { reproductionAssumptions, type ReproductionAssumption } from './experiments/assumptions.js';
import { rlhflessConfigs, type ScenarioFacts } from './experiments/rlhfless.js';
import { rlhfuseConfigs, rlhfuseStandInConfigs, thresholdCurveConfig, thresholdCurveShape, thresholdGrid, RLHFUSE_BATCH_PROMPTS, rlhfuseShape } from './experiments/rlhfuse.js';
import type { ExperimentConfig, TraceUse } from './experiments/types.js';
import { figuresOf } from './figures/index.js';
import type { PaperId } from './paper-id.js';
import { configScenario } from './scenario-variant.js';
import type { VariedAssumption } from './sensitivity/catalog.js';
import { buildSensitivityPlan } from './sensitivity/plan.js';
import { fidelityCase, type FidelityCase } from './fidelity/case.js';
import { validationCases } from './validation/plan.js';
import type { ValidationCase } from './validation/cases.js';
import type { ValidationAsyncCase } from './validation/async-cases.js';
import { traceAvailability, type TraceAvailability } from './traces/resolve.js';
import { promptsNeeded, regroupedCount, type WorkloadShape } from './traces/shape.js';
import { TRACE_MAPPINGS, TRACE_SOURCES, type DatasetId, type TraceSourceId } from './traces/sources.js';

/**
 * `rlhf-replay reproduce` as a case plan: everything the results depend on (which configurations,
 * which traces with their hashes, seeds, sizes, the sensitivity variations) and nothing they do
 * not (output folder, --json; the paper targets, which only the finalize step's comparison reads).
 */
export const REPRODUCE_COMMAND = 'reproduce';
export const PLAN_VERSION = 1;

export type ReproduceCase = RunCase | PipelineCase | TraceCase | ValidationCase | ValidationAsyncCase | FidelityCase;

export interface ReproduceOptions {
  readonly papers: readonly PaperId[];
  readonly seeds: number;
  readonly quick: boolean;
}

export interface ReproduceSizes {
  readonly seeds: number;
  readonly rlhfuseWarmup: number;
  readonly rlhfuseMeasured: number;
  /** Iterations per seed of the migration-threshold curve (each a paired unit across the grid). */
  readonly thresholdCurveIterations: number;
  readonly rlhflessIterationsPerEpoch: number;
  readonly pipelineLatencyEvaluations: number;
  /** Memory-phase evaluations per FlexFusion instance; 'default': the search's default work (`defaultMemoryEvaluations`, about 10 s per instance). */
  readonly pipelineMemoryEvaluations: number | 'default';
  readonly bootstrapResamples: number;
}

export function reproduceSizes(options: Pick<ReproduceOptions, 'seeds' | 'quick'>): ReproduceSizes {
  return options.quick
    ? { seeds: options.seeds, rlhfuseWarmup: 1, rlhfuseMeasured: 1, thresholdCurveIterations: 2, rlhflessIterationsPerEpoch: 1, pipelineLatencyEvaluations: 50_000, pipelineMemoryEvaluations: 2_000, bootstrapResamples: 500 }
    : { seeds: options.seeds, rlhfuseWarmup: 1, rlhfuseMeasured: 2, thresholdCurveIterations: 8, rlhflessIterationsPerEpoch: 2, pipelineLatencyEvaluations: 200_000, pipelineMemoryEvaluations: 'default', bootstrapResamples: 2000 };
}

export interface TraceSummary {
  readonly source: TraceSourceId;
  readonly label: string;
  readonly recorded: boolean;
  readonly recordedGroups?: number;
  readonly recordedSamples?: number;
  readonly missing?: string;
  readonly fitted: string;
}

export interface ReproduceConfig {
  readonly version: number;
  readonly papers: readonly PaperId[];
  readonly quick: boolean;
  readonly sizes: ReproduceSizes;
  readonly traces: readonly TraceSummary[];
  readonly assumptions: readonly ReproductionAssumption[];
  readonly sensitivity: { readonly varied: readonly VariedAssumption[]; readonly skipped: readonly { id: string; config: string; why: string }[] };
  /** Every scenario file used, with its named assumptions (provenance 'assumption:' entries). */
  readonly scenarios: readonly { readonly file: string; readonly name: string; readonly assumptions: readonly { readonly path: string; readonly value: string; readonly why: string }[] }[];
}

export type ReproducePlan = CasePlan<ReproduceCase, ReproduceConfig>;

async function scenarioFacts(paths: readonly string[]): Promise<Map<string, ScenarioFacts>> {
  const facts = new Map<string, ScenarioFacts>();
  for (const path of paths) {
    const scenario = await loadScenario(join(projectRoot, path));
    facts.set(path, { batchPrompts: scenario.batch.prompts, samplesPerPrompt: scenario.algorithm.samplesPerPrompt, gpusPerNode: scenario.cluster.gpusPerNode, generationTp: scenario.generation.tp });
  }
  return facts;
}

/** The trace a dataset uses at a given samples-per-prompt and shape: the recording when large enough. */
export function chooseTrace(availability: TraceAvailability, samplesPerPrompt: number, shape: WorkloadShape, dataset: string): TraceUse {
  const source = TRACE_SOURCES[availability.source];
  const needed = promptsNeeded(shape);
  const recorded = availability.recorded;
  const generated = (why: string): TraceUse => ({ source: availability.source, mode: 'generated', path: availability.fitted.path, files: [availability.fitted], why });
  if (!recorded) return generated(`${dataset}: ${availability.missing ?? 'recording unavailable'}; generated from the fit ${availability.fitted.path}`);
  const available = regroupedCount(recorded.groups, recorded.samplesPerGroup, samplesPerPrompt);
  if (available < needed) {
    return generated(`${dataset}: the recording has ${available} prompts of ${samplesPerPrompt} response(s), fewer than the ${needed} this experiment replays; generated from the fit ${availability.fitted.path}`);
  }
  return { source: availability.source, mode: 'recorded', path: ['research', 'data', ...source.recording].join('/'), files: recorded.files, why: `${dataset}: the recording (${recorded.samples} samples) replayed in place` };
}

export async function buildReproducePlan(options: ReproduceOptions, env: Readonly<Record<string, string | undefined>> = process.env): Promise<ReproducePlan> {
  const sizes = reproduceSizes(options);
  const papers = [...options.papers];
  const sources = new Set<TraceSourceId>();
  for (const mapping of Object.values(TRACE_MAPPINGS)) {
    const paper = mapping.name === 'trace.hh-rlhf' ? 'rlhfuse' : 'rlhfless';
    if (!papers.includes(paper)) continue;
    sources.add(mapping.source);
    for (const alternative of mapping.alternatives) sources.add(alternative);
  }
  const availability = new Map<TraceSourceId, TraceAvailability>();
  for (const source of [...sources].sort()) availability.set(source, await traceAvailability(source, env));
  const traceFor = (dataset: DatasetId | string, source: TraceSourceId, samplesPerPrompt: number, shape: WorkloadShape) => chooseTrace(availability.get(source)!, samplesPerPrompt, shape, dataset);

  const configs: ExperimentConfig[] = [];
  const curveConfigs: ExperimentConfig[] = [];
  if (papers.includes('rlhfuse')) {
    const rlhfuseSizes = { warmup: sizes.rlhfuseWarmup, measured: sizes.rlhfuseMeasured, quick: options.quick, curveIterations: sizes.thresholdCurveIterations };
    const shape = rlhfuseShape(rlhfuseSizes);
    const trace = traceFor('hh-rlhf', TRACE_MAPPINGS['hh-rlhf'].source, 1, shape);
    configs.push(...rlhfuseConfigs(trace, rlhfuseSizes));
    // The same grid on each chat-like alternative to the HH-RLHF stand-in, for the report's comparison of the two kinds of trace.
    for (const source of TRACE_MAPPINGS['hh-rlhf'].alternatives) configs.push(...rlhfuseStandInConfigs(source, traceFor('hh-rlhf', source, 1, shape), rlhfuseSizes));
    // The curve replays more prompts per seed than the grid: its trace is chosen for its own shape.
    curveConfigs.push(thresholdCurveConfig(traceFor('hh-rlhf', TRACE_MAPPINGS['hh-rlhf'].source, 1, thresholdCurveShape(rlhfuseSizes)), rlhfuseSizes));
  }
  if (papers.includes('rlhfless')) {
    const facts = await scenarioFacts([
      'harness/scenario/scenarios/rlhfless-3b-ppo.json',
      'harness/scenario/scenarios/rlhfless-3b-grpo.json',
      'harness/scenario/scenarios/rlhfless-7b-ppo.json',
      'harness/scenario/scenarios/rlhfless-7b-grpo.json',
      'harness/scenario/scenarios/rlhfless-sim-70b-2k.json',
      'harness/scenario/scenarios/rlhfless-sim-70b-4k.json',
      'harness/scenario/scenarios/rlhfless-sim-70b.json',
    ]);
    configs.push(
      ...rlhflessConfigs((path) => facts.get(path)!, (dataset, samplesPerPrompt, shape) => traceFor(dataset, TRACE_MAPPINGS[dataset].source, samplesPerPrompt, shape), {
        iterationsPerEpoch: sizes.rlhflessIterationsPerEpoch,
        quick: options.quick,
      }),
    );
  }

  const seeds = Array.from({ length: sizes.seeds }, (_, i) => i + 1);
  const cases: ReproduceCase[] = [];
  for (const config of configs) {
    for (const seed of seeds) {
      cases.push({ kind: RUN_KIND, id: `run/${config.id}/s${seed}`, role: 'main', config, seed, schedulers: config.schedulers, ...(seed === 1 && config.timeline ? { timeline: config.timeline } : {}) });
    }
  }
  for (const config of curveConfigs) {
    for (const threshold of thresholdGrid(options.quick)) {
      for (const seed of seeds) {
        cases.push({
          kind: RUN_KIND,
          id: `curve/${config.id}/t${threshold.toFixed(3)}/s${seed}`,
          role: 'curve',
          config,
          seed,
          schedulers: config.schedulers,
          overrides: Object.fromEntries(config.schedulers.map((s) => [s, { 'migration-threshold': threshold }])),
        });
      }
    }
  }
  if (papers.includes('rlhfuse')) {
    flexFusionInstances.forEach((_, instance) => {
      cases.push({
        kind: PIPELINE_KIND,
        id: `pipeline/flexfusion-exp${instance}`,
        instance,
        seed: 1,
        latencyEvaluations: sizes.pipelineLatencyEvaluations,
        memoryEvaluations: sizes.pipelineMemoryEvaluations === 'default' ? defaultMemoryEvaluations(compileProblem(flexFusionLayout(instance).problem).taskCount) : sizes.pipelineMemoryEvaluations,
        gantt: instance === 1,
      });
    });
  }
  const traceUses = new Map<string, TraceUse>();
  for (const config of [...configs, ...curveConfigs]) traceUses.set(`${config.trace.source}/${config.trace.mode}`, config.trace);
  for (const [key, trace] of [...traceUses.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    cases.push({ kind: TRACE_KIND, id: `trace/${key}`, trace, seed: 1, generatedGroups: RLHFUSE_BATCH_PROMPTS, generatedSamplesPerGroup: 8 });
  }

  // Validation against published measurements (validation/): cost-model queries and veRL DAPO replays.
  cases.push(...(await validationCases(env)));
  // Fidelity against the recorded RL training runs (fidelity/): the cost model every figure runs on, checked out of sample.
  const fidelity = await fidelityCase(env);
  if (fidelity.case) cases.push(fidelity.case);

  const figures = figuresOf(papers);
  const probeIds = new Set(figures.flatMap((figure) => figure.probe.configs));
  const scenarios = new Map<string, Scenario>();
  for (const config of configs) if (probeIds.has(config.id)) scenarios.set(config.id, await configScenario(config));
  const sensitivity = buildSensitivityPlan({
    papers,
    figures,
    configs,
    scenarios,
    traceFor: (source, config, shape) => traceFor(config.dataset, source, config.samplesPerPrompt, shape),
    sizes: { measured: 1, iterationsPerEpoch: 1, firstValueOnly: options.quick },
  });
  cases.push(...sensitivity.cases);

  const scenarioFiles = [...new Set([...configs, ...curveConfigs].map((config) => config.scenario))].sort();
  const scenarioList: ReproduceConfig['scenarios'][number][] = [];
  for (const file of scenarioFiles) {
    const scenario = await loadScenario(join(projectRoot, file));
    const valueAt = (path: string) => JSON.stringify(path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], scenario)) ?? 'unset';
    scenarioList.push({ file, name: scenario.name, assumptions: scenarioAssumptions(scenario).map((a) => ({ ...a, value: valueAt(a.path) })) });
  }

  return {
    command: REPRODUCE_COMMAND,
    seed: 1,
    cases,
    config: {
      version: PLAN_VERSION,
      papers,
      quick: options.quick,
      sizes,
      traces: [...availability.values()].map((a) => ({
        source: a.source,
        label: TRACE_SOURCES[a.source].label,
        recorded: a.recorded !== undefined,
        ...(a.recorded ? { recordedGroups: a.recorded.groups, recordedSamples: a.recorded.samples } : {}),
        ...(a.missing ? { missing: a.missing } : {}),
        fitted: a.fitted.path,
      })),
      assumptions: reproductionAssumptions({ seeds: sizes.seeds, rlhfuseWarmup: sizes.rlhfuseWarmup, rlhfuseMeasured: sizes.rlhfuseMeasured, thresholdCurveIterations: sizes.thresholdCurveIterations, rlhflessIterationsPerEpoch: sizes.rlhflessIterationsPerEpoch }),
      sensitivity: { varied: sensitivity.varied, skipped: sensitivity.skipped },
      scenarios: scenarioList,
    },
  };
}
