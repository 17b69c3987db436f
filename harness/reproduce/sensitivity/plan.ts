import { provenanceOf, type Scenario } from '../../scenario/scenario.js';
import { findScheduler } from '../../schedulers/index.js';
import type { AssumptionValue, SchedulerEntry } from '../../schedulers/types.js';
import { RUN_KIND, type RunCase } from '../cases/run.js';
import type { ExperimentConfig, Perturbation, TraceUse } from '../experiments/types.js';
import type { FigureComputation } from '../figures/types.js';
import type { PaperId } from '../paper-id.js';
import { patchScenario, pathPatch } from '../../scenario/patch.js';
import type { WorkloadShape } from '../traces/shape.js';
import { TRACE_MAPPINGS, type TraceMapping, type TraceSourceId } from '../traces/sources.js';
import { costVariations, SCENARIO_RANGES, schedulerVariations, type VariedAssumption } from './catalog.js';

/**
 * The sensitivity analysis as cases: for every configuration some figure probes, one baseline
 * run at a reduced size, and one run per (assumption, plausible value) with only the schedulers
 * the assumption touches. Figures are then recomputed with the moved schedulers' results in
 * place of the baseline's (tornado.ts).
 */
export const PROBE_SEED = 1;

export interface ProbeSizes {
  /** RLHFuse: measured iterations after the warm-up. */
  readonly measured: number;
  /** RLHFless: iterations per epoch. */
  readonly iterationsPerEpoch: number;
  /** Only the first plausible value of each assumption (quick runs). */
  readonly firstValueOnly: boolean;
}

export interface SensitivityPlan {
  readonly cases: RunCase[];
  readonly varied: VariedAssumption[];
  /** Assumptions considered but not varied on some configuration, and why. */
  readonly skipped: { readonly id: string; readonly config: string; readonly why: string }[];
}

function probeShape(shape: WorkloadShape, sizes: ProbeSizes): WorkloadShape {
  return shape.kind === 'batches' ? { ...shape, warmup: Math.min(shape.warmup, 1), measured: sizes.measured } : { ...shape, iterationsPerEpoch: sizes.iterationsPerEpoch };
}

const valueId = (value: AssumptionValue) => String(value).replace(/[^A-Za-z0-9._+=@-]/g, '_');

export interface SensitivityInputs {
  readonly papers: readonly PaperId[];
  readonly figures: readonly FigureComputation[];
  readonly configs: readonly ExperimentConfig[];
  /** The probe configurations' scenarios (after their patches), by config id. */
  readonly scenarios: ReadonlyMap<string, Scenario>;
  /** The trace a dataset mapping alternative would use, at a configuration's shape. */
  readonly traceFor: (source: TraceSourceId, config: ExperimentConfig, shape: WorkloadShape) => TraceUse;
  readonly sizes: ProbeSizes;
}

export function buildSensitivityPlan(inputs: SensitivityInputs): SensitivityPlan {
  const probeSchedulers = new Map<string, Set<string>>();
  for (const figure of inputs.figures) {
    for (const config of figure.probe.configs) {
      const set = probeSchedulers.get(config) ?? new Set<string>();
      for (const scheduler of figure.probe.schedulers) set.add(scheduler);
      probeSchedulers.set(config, set);
    }
  }
  const cases: RunCase[] = [];
  const skipped: SensitivityPlan['skipped'] = [];
  const variedById = new Map<string, VariedAssumption>();
  for (const [configId, schedulerSet] of [...probeSchedulers.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const main = inputs.configs.find((c) => c.id === configId);
    if (!main || !inputs.papers.includes(main.paper)) continue;
    const schedulers = main.schedulers.filter((s) => schedulerSet.has(s));
    const config: ExperimentConfig = { ...main, shape: probeShape(main.shape, inputs.sizes), schedulers, timeline: [] };
    const { timeline: _timeline, ...probeConfig } = config;
    const base = { kind: RUN_KIND, role: 'probe', config: probeConfig, seed: PROBE_SEED } as const;
    cases.push({ ...base, id: `probe/${configId}/baseline`, schedulers, variant: 'baseline' });
    const entries = schedulers.map((name) => findScheduler(name)).filter((entry): entry is SchedulerEntry => entry !== undefined);
    const scenario = inputs.scenarios.get(configId);

    const variations: { assumption: VariedAssumption; affected: string[] }[] = [];
    for (const assumption of schedulerVariations(entries)) {
      const declaring = entries.filter((entry) => entry.assumptions.some((a) => a.name === assumption.name));
      const defaults = new Set(declaring.map((entry) => JSON.stringify(entry.assumptions.find((a) => a.name === assumption.name)!.value)));
      if (defaults.size > 1) {
        skipped.push({ id: assumption.id, config: configId, why: `its default differs between ${declaring.map((e) => e.name).join(', ')}: it defines the variants` });
        continue;
      }
      variations.push({ assumption, affected: declaring.map((entry) => entry.name) });
    }
    for (const assumption of costVariations()) variations.push({ assumption, affected: schedulers });
    for (const [path, plausible] of Object.entries(SCENARIO_RANGES[main.paper])) {
      const id = `scenario:${path}`;
      const provenance = scenario ? provenanceOf(scenario, path) : undefined;
      if (!scenario || !provenance || provenance.kind !== 'assumption') {
        skipped.push({ id, config: configId, why: provenance ? `a ${provenance.kind} in this scenario, not an assumption` : 'not set by this scenario' });
        continue;
      }
      const current = path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], scenario);
      const values = plausible.values.filter((value) => {
        if (value === current) return false;
        try {
          patchScenario(scenario, { ...pathPatch(path, value as string | number | boolean), provenance: { [path]: 'assumption: sensitivity' } });
          return true;
        } catch {
          skipped.push({ id, config: configId, why: `value ${String(value)} is not a valid scenario here` });
          return false;
        }
      });
      if (values.length > 0) variations.push({ assumption: { id, kind: 'scenario', name: path, defaultValue: current as AssumptionValue, values, unit: '', why: plausible.why }, affected: schedulers });
    }
    const mapping: TraceMapping = TRACE_MAPPINGS[main.dataset];
    if (mapping.alternatives.length > 0) {
      variations.push({
        assumption: { id: `trace:${mapping.name}`, kind: 'trace', name: mapping.name, defaultValue: mapping.source, values: [...mapping.alternatives], unit: 'trace', why: mapping.why },
        affected: schedulers,
      });
    }

    for (const { assumption, affected } of variations) {
      const values = inputs.sizes.firstValueOnly ? assumption.values.slice(0, 1) : assumption.values;
      if (!variedById.has(assumption.id)) variedById.set(assumption.id, assumption);
      for (const value of values) {
        let perturbation: Perturbation;
        if (assumption.kind === 'trace') perturbation = { kind: 'trace', assumption: assumption.name, value: String(value), trace: inputs.traceFor(value as TraceSourceId, config, config.shape) };
        else if (assumption.kind === 'cost') perturbation = { kind: 'cost', assumption: assumption.name, value: value as number | boolean };
        else if (assumption.kind === 'scenario') perturbation = { kind: 'scenario', assumption: assumption.name, value: value as number | string | boolean };
        else perturbation = { kind: 'scheduler', assumption: assumption.name, value };
        cases.push({ ...base, id: `probe/${configId}/${assumption.id.replace(':', '.')}=${valueId(value)}`, schedulers: affected, perturbation, variant: assumption.id });
      }
    }
  }
  return { cases, varied: [...variedById.values()].sort((a, b) => (a.id < b.id ? -1 : 1)), skipped };
}
