import type { MetricName } from '../../metrics/iteration.js';
import {
  comparisonCombinationEstimate,
  customEstimate,
  meanEstimate,
  ratioPctEstimate,
  reductionPctEstimate,
  speedupEstimate,
  type ComparisonKind,
  type Estimate,
  type EstimateOptions,
} from '../../stats/estimate.js';
import type { bootstrapSettings } from '../../stats/bootstrap.js';
import type { FigureData } from './data.js';

/** One scheduler in one configuration: a side of a comparison. */
export interface Side {
  readonly config: string;
  readonly scheduler: string;
}

/**
 * Every estimate of the reproduction, computed once: the figures, the report's charts and its
 * tables ask this book, so one speedup has one interval wherever it is shown (comparison.json, a
 * chart's band, the ratios table). An estimate is named by what it is — its kind, the schedulers
 * and configurations compared and the metric — and its resampling stream is seeded by that name,
 * never by who asks first.
 */
export class EstimateBook {
  private readonly memo = new Map<string, Estimate>();

  constructor(
    readonly data: FigureData,
    readonly options: EstimateOptions,
  ) {}

  private once(label: string, compute: () => Estimate): Estimate {
    let estimate = this.memo.get(label);
    if (!estimate) this.memo.set(label, (estimate = compute()));
    return estimate;
  }

  /** mean(baseline) / mean(candidate) of `metric` (a time) over the units both have. */
  speedup(baseline: Side, candidate: Side, metric: MetricName): Estimate {
    const label = `speedup/${sideName(baseline)}/${sideName(candidate)}/${metric}`;
    return this.once(label, () => {
      const [base, cand] = this.data.paired(baseline, candidate, metric);
      return speedupEstimate(base, cand, this.options, label);
    });
  }

  /** 100 × (1 − mean(candidate) / mean(baseline)) of `metric` over the units both have. */
  reductionPct(baseline: Side, candidate: Side, metric: MetricName): Estimate {
    const label = `reduction/${sideName(baseline)}/${sideName(candidate)}/${metric}`;
    return this.once(label, () => {
      const [base, cand] = this.data.paired(baseline, candidate, metric);
      return reductionPctEstimate(base, cand, this.options, label);
    });
  }

  /** 100 × mean(numerator) / mean(denominator) of `metric` over the units both have. */
  ratioPct(numerator: Side, denominator: Side, metric: MetricName): Estimate {
    const label = `ratio-pct/${sideName(numerator)}/${sideName(denominator)}/${metric}`;
    return this.once(label, () => {
      const [top, bottom] = this.data.paired(numerator, denominator, metric);
      return ratioPctEstimate(top, bottom, this.options, label);
    });
  }

  /** Mean of `metric` of one scheduler in one configuration over its units. */
  mean(side: Side, metric: MetricName): Estimate {
    const label = `mean/${sideName(side)}/${metric}`;
    return this.once(label, () => meanEstimate(this.data.series(side.config, side.scheduler, metric), this.options, label));
  }

  /** Mean of `metric` at one point of a fixed-parameter curve, over the units every point has. */
  curveMean(side: Side, metric: MetricName, point: number): Estimate {
    const label = `curve-mean/${sideName(side)}/${metric}/${point}`;
    return this.once(label, () => {
      const { points, matrix } = this.data.curve(side.config, side.scheduler, metric);
      const k = points.indexOf(point);
      return meanEstimate(k < 0 ? [] : matrix[k]!, this.options, label);
    });
  }

  /**
   * offset + Σ weight · compare(baseline, candidate) of `metric` over the units every side has
   * (a part of a figure's decomposition), with a paired-bootstrap interval.
   */
  combination(kind: ComparisonKind, baseline: Side, terms: readonly { readonly side: Side; readonly weight: number }[], offset: number, metric: MetricName): Estimate {
    const label = `combination/${kind}/${sideName(baseline)}/${terms.map((t) => `${t.weight}*${sideName(t.side)}`).join('+')}/${offset}/${metric}`;
    return this.once(label, () => {
      const sides = [baseline, ...terms.map((t) => t.side)];
      const series = sides.map((side) => this.data.units(side.config, side.scheduler, metric));
      const shared = series.reduce((keys, units) => keys.filter((key) => units.has(key)), [...series[0]!.keys()]).sort();
      const values = series.map((units) => shared.map((key) => units.get(key)!));
      return comparisonCombinationEstimate(kind, values[0]!, terms.map((t, i) => ({ values: values[i + 1]!, weight: t.weight })), offset, this.options, label);
    });
  }

  /** A statistic of its own shape (e.g. the argmin of a curve), named by `label`. */
  custom(label: string, point: number, n: number, replicates: (settings: ReturnType<typeof bootstrapSettings>) => Float64Array): Estimate {
    return this.once(`custom/${label}`, () => customEstimate(point, n, this.options, `custom/${label}`, replicates));
  }
}

function sideName(side: Side): string {
  return `${side.config}:${side.scheduler}`;
}
