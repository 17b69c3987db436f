import { formatAssumptionValue } from '../../report/assumption-value.js';
import type { AssumptionValue } from '../../schedulers/types.js';
import type { RunCase, RunResult } from '../cases/run.js';
import type { PipelineResult } from '../cases/pipeline.js';
import { FigureData, type RunRows } from '../figures/data.js';
import type { FigureComputation } from '../figures/types.js';
import { EstimateBook } from '../figures/book.js';
import type { EstimateOptions } from '../../stats/estimate.js';
import type { VariedAssumption } from './catalog.js';

/**
 * How far each figure moves when one named assumption moves over its plausible values. A figure
 * is recomputed on its probe configurations with the runs of the schedulers the assumption
 * touches replaced by the moved runs; the figure's own baseline is the probe's unmoved value.
 * `dependsOn` lists the assumptions that move it most — measured, never picked by hand.
 */
export interface SensitivityValue {
  readonly value: AssumptionValue;
  readonly figure: number;
}

export interface TornadoEntry {
  readonly assumption: string;
  /** The assumption's unit (as its declaration gives it) and its default: what the settings are read in. */
  readonly unit: string;
  readonly defaultValue: AssumptionValue;
  readonly values: readonly SensitivityValue[];
  /** The lowest and highest figure over the assumption's values, with the values giving them. */
  readonly low: number;
  readonly high: number;
  /** The assumption's value at each end in its unit ('6 GiB'); '' when the end is the default (no bar there). */
  readonly lowSetting: string;
  readonly highSetting: string;
  /** Largest distance of the figure from its baseline over the values. */
  readonly movement: number;
}

export interface FigureSensitivity {
  readonly figure: string;
  readonly baseline: number;
  readonly probeConfigs: readonly string[];
  /** Sorted by movement, largest first. */
  readonly entries: readonly TornadoEntry[];
  readonly dependsOn: readonly string[];
  /** Variations the scenario could not run with, and why (left out of the analysis). */
  readonly infeasible: readonly { readonly assumption: string; readonly value: AssumptionValue; readonly why: string }[];
  /** Why there is no analysis (a deterministic figure, a curve). */
  readonly none?: string;
}

/** An assumption is in dependsOn when it moves the figure by more than this share of its baseline (or of 1 for a zero baseline). */
export const DEPENDS_ON_THRESHOLD = 0.01;
export const DEPENDS_ON_MAX = 3;

export interface ProbeRun {
  readonly testCase: RunCase;
  readonly result: RunResult;
}

function rowsOf(run: ProbeRun): RunRows {
  return { config: run.testCase.config, rows: run.result.iterations };
}

/** The probe data with the schedulers of `moved` replaced by its rows, per configuration. */
function substituted(baselines: ReadonlyMap<string, ProbeRun>, moved: readonly ProbeRun[]): RunRows[] {
  return [...baselines.entries()].map(([configId, base]) => {
    const replacement = moved.find((run) => run.testCase.config.id === configId);
    if (!replacement) return rowsOf(base);
    const replaced = new Set(replacement.testCase.schedulers);
    return { config: base.testCase.config, rows: [...base.result.iterations.filter((row) => !replaced.has(row.scheduler)), ...replacement.result.iterations] };
  });
}

export function figureSensitivity(figure: FigureComputation, probes: readonly ProbeRun[], varied: readonly VariedAssumption[], pipeline: readonly PipelineResult[]): FigureSensitivity {
  if (figure.probe.configs.length === 0) return { figure: figure.id, baseline: Number.NaN, probeConfigs: [], entries: [], dependsOn: [], infeasible: [], none: figure.noSensitivity ?? 'no probe configuration' };
  const options: EstimateOptions = { ci: false, resamples: 1, seed: 'sensitivity' };
  const inProbe = probes.filter((run) => figure.probe.configs.includes(run.testCase.config.id) && run.testCase.schedulers.some((s) => figure.probe.schedulers.includes(s)));
  const infeasible = inProbe
    .filter((run) => run.result.infeasible !== undefined && run.testCase.perturbation !== undefined)
    .map((run) => ({ assumption: run.testCase.variant ?? '', value: run.testCase.perturbation!.value, why: run.result.infeasible! }));
  const relevant = inProbe.filter((run) => run.result.infeasible === undefined);
  const baselines = new Map(relevant.filter((run) => run.testCase.variant === 'baseline').map((run) => [run.testCase.config.id, run]));
  const evaluate = (rows: RunRows[]) => {
    const outcome = figure.compute(new EstimateBook(new FigureData(rows, pipeline), options));
    return outcome.ok ? outcome.estimate.mean : Number.NaN;
  };
  const baseline = evaluate(substituted(baselines, []));
  if (!Number.isFinite(baseline)) return { figure: figure.id, baseline, probeConfigs: figure.probe.configs, entries: [], dependsOn: [], infeasible, none: 'the probe runs gave no value for this figure' };
  const entries: TornadoEntry[] = [];
  for (const assumption of varied) {
    const runs = relevant.filter((run) => run.testCase.variant === assumption.id && run.testCase.perturbation !== undefined);
    if (runs.length === 0) continue;
    const byValue = new Map<string, { value: AssumptionValue; runs: ProbeRun[] }>();
    for (const run of runs) {
      const value = run.testCase.perturbation!.value;
      const key = JSON.stringify(value);
      const entry = byValue.get(key) ?? { value, runs: [] };
      entry.runs.push(run);
      byValue.set(key, entry);
    }
    const values: SensitivityValue[] = [...byValue.values()].map(({ value, runs: moved }) => ({ value, figure: evaluate(substituted(baselines, moved)) })).filter((v) => Number.isFinite(v.figure));
    if (values.length === 0) continue;
    // Low and high ends: the figure's extremes over the default and the moved values.
    const all = [{ value: assumption.defaultValue, figure: baseline }, ...values];
    const lowest = all.reduce((a, b) => (b.figure < a.figure ? b : a));
    const highest = all.reduce((a, b) => (b.figure > a.figure ? b : a));
    const movement = Math.max(...values.map((v) => Math.abs(v.figure - baseline)));
    // An end at the default sits on the baseline: it gets no label (the bar has no length there).
    const setting = (end: { value: AssumptionValue }) => (JSON.stringify(end.value) === JSON.stringify(assumption.defaultValue) ? '' : formatAssumptionValue(end.value, assumption.unit));
    entries.push({ assumption: assumption.id, unit: assumption.unit, defaultValue: assumption.defaultValue, values, low: lowest.figure, high: highest.figure, lowSetting: setting(lowest), highSetting: setting(highest), movement });
  }
  entries.sort((a, b) => b.movement - a.movement || (a.assumption < b.assumption ? -1 : 1));
  const threshold = DEPENDS_ON_THRESHOLD * (Math.abs(baseline) > 0 ? Math.abs(baseline) : 1);
  const dependsOn = entries.filter((entry) => entry.movement > threshold).slice(0, DEPENDS_ON_MAX).map((entry) => entry.assumption);
  return { figure: figure.id, baseline, probeConfigs: figure.probe.configs, entries, dependsOn, infeasible };
}
