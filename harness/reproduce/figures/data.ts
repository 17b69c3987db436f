import type { ExperimentConfig } from '../experiments/types.js';
import type { MetricName } from '../../metrics/iteration.js';
import type { IterationRow } from '../cases/run.js';
import type { PipelineResult } from '../cases/pipeline.js';

/**
 * The simulated results a figure is computed from, indexed for pairing: each measured iteration
 * is a unit `seed/iteration`, and two series are compared over the units both have (same seed,
 * same iteration: the same prompts, the same random streams).
 */
export interface RunRows {
  readonly config: ExperimentConfig;
  readonly rows: readonly IterationRow[];
  /** Fixed scheduler parameters of the run (the threshold-curve point), as 'name=value'. */
  readonly point?: number;
}

const unitKey = (row: Pick<IterationRow, 'seed' | 'iteration'>) => `${row.seed}/${String(row.iteration).padStart(6, '0')}`;

export class FigureData {
  private readonly configsById = new Map<string, ExperimentConfig>();
  private readonly values = new Map<string, Map<string, number>>();
  private readonly curves = new Map<string, Map<number, Map<string, number>>>();

  constructor(
    runs: readonly RunRows[],
    readonly pipeline: readonly PipelineResult[] = [],
  ) {
    for (const run of runs) {
      this.configsById.set(run.config.id, run.config);
      for (const row of run.rows) {
        for (const [metric, value] of Object.entries(row.metrics)) {
          if (value === null || !Number.isFinite(value)) continue;
          if (run.point !== undefined) {
            const key = `${run.config.id}|${row.scheduler}|${metric}`;
            let byPoint = this.curves.get(key);
            if (!byPoint) this.curves.set(key, (byPoint = new Map()));
            let units = byPoint.get(run.point);
            if (!units) byPoint.set(run.point, (units = new Map()));
            units.set(unitKey(row), value);
          } else {
            const key = `${run.config.id}|${row.scheduler}|${metric}`;
            let units = this.values.get(key);
            if (!units) this.values.set(key, (units = new Map()));
            units.set(unitKey(row), value);
          }
        }
      }
    }
  }

  config(id: string): ExperimentConfig | undefined {
    return this.configsById.get(id);
  }

  /** Configurations of a group, in id order. */
  configs(group: string): ExperimentConfig[] {
    return [...this.configsById.values()].filter((config) => config.group === group).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** One series: value per unit, units sorted. */
  series(configId: string, scheduler: string, metric: MetricName): number[] {
    const units = this.values.get(`${configId}|${scheduler}|${metric}`);
    if (!units) return [];
    return [...units.keys()].sort().map((key) => units.get(key)!);
  }

  /** One series keyed by unit (for pairing more than two series). */
  units(configId: string, scheduler: string, metric: MetricName): ReadonlyMap<string, number> {
    return this.values.get(`${configId}|${scheduler}|${metric}`) ?? new Map();
  }

  has(configId: string, scheduler: string, metric: MetricName = 'iterationTimeS'): boolean {
    return this.values.has(`${configId}|${scheduler}|${metric}`);
  }

  /** Two series over the units both have, aligned. */
  paired(a: { config: string; scheduler: string }, b: { config: string; scheduler: string }, metric: MetricName): [number[], number[]] {
    const left = this.values.get(`${a.config}|${a.scheduler}|${metric}`);
    const right = this.values.get(`${b.config}|${b.scheduler}|${metric}`);
    if (!left || !right) return [[], []];
    const keys = [...left.keys()].filter((key) => right.has(key)).sort();
    return [keys.map((key) => left.get(key)!), keys.map((key) => right.get(key)!)];
  }

  /** A curve: per point, per unit (units shared by every point, aligned). */
  curve(configId: string, scheduler: string, metric: MetricName): { points: number[]; matrix: number[][] } {
    const byPoint = this.curves.get(`${configId}|${scheduler}|${metric}`);
    if (!byPoint) return { points: [], matrix: [] };
    const points = [...byPoint.keys()].sort((a, b) => a - b);
    const common = [...byPoint.get(points[0]!)!.keys()].filter((key) => points.every((p) => byPoint.get(p)!.has(key))).sort();
    return { points, matrix: points.map((p) => common.map((key) => byPoint.get(p)!.get(key)!)) };
  }
}
