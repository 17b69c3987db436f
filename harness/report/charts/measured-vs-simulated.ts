import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { bottomLegend, distinctInOrder, HOVER_ENCODING, hoverText, NARROW_CHART_WIDTH_PX, requireFinite, VEGA_LITE_SCHEMA, withUnit } from './common.js';

/** One compared stage of one recorded step. */
export interface MeasuredSimulatedRow {
  readonly label: string;
  /** Colour: the stage. */
  readonly series: string;
  /** Shape: e.g. 'in sample', 'left out', 'not fitted (assumed workload)'. */
  readonly kind: string;
  readonly measuredS: number;
  readonly simulatedS: number;
}

export interface MeasuredSimulatedOptions {
  readonly title?: string;
  readonly seriesTitle?: string;
  readonly kindTitle?: string;
  readonly width?: number;
  readonly height?: number;
  readonly description?: string;
}

/**
 * Simulated against measured seconds on log–log axes with the y = x line (a perfect simulator
 * puts every point on it) and the ±25 % lines; colour is the stage, shape the kind of prediction.
 */
export function measuredVsSimulatedChart(rows: readonly MeasuredSimulatedRow[], options: MeasuredSimulatedOptions = {}): VegaLiteSpec {
  const values = rows.map((row, index) => {
    const measured = requireFinite('measuredVsSimulatedChart', index, 'measuredS', row.measuredS);
    const simulated = requireFinite('measuredVsSimulatedChart', index, 'simulatedS', row.simulatedS);
    if (!(measured > 0 && simulated > 0)) throw new TypeError(`measuredVsSimulatedChart: row ${index} needs positive seconds for log axes`);
    const errorPct = (simulated / measured - 1) * 100;
    return {
      label: row.label,
      series: row.series,
      kind: row.kind,
      measured,
      simulated,
      ...hoverText([row.label, `${row.series} · ${row.kind}`, `measured ${withUnit(measured, 's')}`, `simulated ${withUnit(simulated, 's')}`, `error ${errorPct >= 0 ? '+' : ''}${errorPct.toFixed(1)} %`]),
    };
  });
  const series = distinctInOrder(values.map((v) => v.series));
  const kinds = distinctInOrder(values.map((v) => v.kind));
  const all = values.flatMap((v) => [v.measured, v.simulated]);
  const lo = all.length > 0 ? Math.min(...all) / 1.5 : 0.1;
  const hi = all.length > 0 ? Math.max(...all) * 1.5 : 10;
  const domain = [lo, hi];
  const line = (factor: number, dash: number[] | undefined) => ({
    data: { values: [{ x: lo, y: lo * factor }, { x: hi, y: hi * factor }] },
    mark: { type: 'line' as const, color: '#888', strokeWidth: 1, clip: true, ...(dash ? { strokeDash: dash } : {}), aria: false },
    encoding: {
      x: { field: 'x', type: 'quantitative' as const, scale: { type: 'log' as const, domain } },
      y: { field: 'y', type: 'quantitative' as const, scale: { type: 'log' as const, domain } },
    },
  });
  const x = { field: 'measured', type: 'quantitative' as const, title: 'Measured (s)', scale: { type: 'log' as const, domain } };
  const y = { field: 'simulated', type: 'quantitative' as const, title: 'Simulated (s)', scale: { type: 'log' as const, domain } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    width: options.width ?? NARROW_CHART_WIDTH_PX,
    height: options.height ?? NARROW_CHART_WIDTH_PX,
    layer: [
      line(1, undefined),
      line(1.25, [4, 4]),
      line(0.75, [4, 4]),
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 60, opacity: 0.85 },
        encoding: {
          x,
          y,
          color: { field: 'series', type: 'nominal', title: options.seriesTitle ?? 'Stage', scale: { domain: series }, legend: bottomLegend(series) },
          // Two legends below the plot would sit side by side and outgrow a narrow page: the kind's goes above it.
          shape: { field: 'kind', type: 'nominal', title: options.kindTitle ?? 'Prediction', scale: { domain: kinds }, legend: { ...bottomLegend(kinds), orient: 'top' } },
          ...HOVER_ENCODING,
        },
      },
    ],
  } as VegaLiteSpec;
}
