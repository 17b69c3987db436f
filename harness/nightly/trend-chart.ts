import { bottomLegend, distinctInOrder, formatNumber, HOVER_ENCODING, hoverText, VEGA_LITE_SCHEMA } from '../report/charts/common.js';
import type { VegaLiteSpec } from '../report/vega-lite-spec.js';
import type { FigureTrend } from './report.js';

/**
 * One case's history as a Vega-Lite chart: every figure of the case as a line of its value
 * relative to a reference (its baseline, or its first run), the fitted piecewise-constant levels
 * dashed behind it, and a triangle at each detected step. Relative values let figures with
 * different units share one chart; tooltips give the absolute value, unit and run.
 * Follows the chart builders' conventions (harness/report/charts/common.ts): fixed field names,
 * precomputed tooltips, inline data.
 */
export function trendChart(figures: readonly FigureTrend[], references: ReadonlyMap<string, number>, options: { description?: string } = {}): VegaLiteSpec {
  const series = distinctInOrder(figures.map((f) => f.figure));
  const points: Record<string, unknown>[] = [];
  const fits: Record<string, unknown>[] = [];
  const steps: Record<string, unknown>[] = [];
  for (const figure of figures) {
    const reference = references.get(figure.id) ?? figure.points[0]?.value ?? 1;
    // Rounded to 1e-9 %: float noise of an unchanged figure must not show as 100.000000000000014 %.
    const relative = (value: number) => (reference !== 0 ? Number(((100 * value) / reference).toFixed(9)) : 100);
    figure.points.forEach((point, index) => {
      points.push({ series: figure.figure, x: index + 1, value: relative(point.value), ...hoverText([figure.figure, `run ${point.run}`, `${formatNumber(point.value)} ${figure.unit}`, `${formatNumber(relative(point.value))} % of reference`]) });
    });
    for (const segment of figure.segments) {
      for (let index = segment.start; index < segment.end; index++) fits.push({ series: figure.figure, x: index + 1, fit: relative(segment.level) });
    }
    for (const step of figure.steps) {
      steps.push({
        series: figure.figure,
        x: step.index + 1,
        value: relative(figure.points[step.index]!.value),
        ...hoverText([`step in ${figure.figure}`, `from run ${figure.points[step.index]!.run}`, `${formatNumber(step.before)} → ${formatNumber(step.after)} ${figure.unit} (${step.changePct > 0 ? '+' : ''}${formatNumber(step.changePct)} %)`]),
      });
    }
  }
  const runs = Math.max(1, ...figures.map((f) => f.points.length));
  // At least ±1 percentage point around the data, so a flat history reads as flat, not as noise magnified.
  const ys = [...points.map((p) => p.value as number), ...fits.map((f) => f.fit as number)];
  const low = Math.min(100, ...ys);
  const high = Math.max(100, ...ys);
  const pad = Math.max(0, 2 - (high - low)) / 2;
  const x = { field: 'x', type: 'quantitative' as const, title: 'Nightly run (oldest → newest)', scale: { domain: [1, Math.max(2, runs)] }, axis: { tickMinStep: 1, format: 'd', labelOverlap: true } };
  const colour = { field: 'series', type: 'nominal' as const, title: 'Figure', scale: { domain: series }, legend: bottomLegend(series) };
  const y = { type: 'quantitative' as const, title: 'Value relative to reference (%)', scale: { zero: false, domain: [low - pad, high + pad], nice: true }, axis: { format: '~r' } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    width: 560,
    height: 220,
    layer: [
      { data: { values: fits }, mark: { type: 'line', strokeDash: [4, 3], opacity: 0.6, interpolate: 'step-after' }, encoding: { x, y: { ...y, field: 'fit' }, color: colour } },
      { data: { values: points }, mark: { type: 'line', point: true }, encoding: { x, y: { ...y, field: 'value' }, color: colour, ...HOVER_ENCODING } },
      { data: { values: steps }, mark: { type: 'point', shape: 'triangle-up', size: 140, filled: true }, encoding: { x, y: { ...y, field: 'value' }, color: colour, ...HOVER_ENCODING } },
    ],
  };
}
