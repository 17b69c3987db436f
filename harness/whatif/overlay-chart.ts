import { bottomLegend, formatNumber, HOVER_ENCODING, hoverText, VEGA_LITE_SCHEMA } from '../report/charts/common.js';
import type { VegaLiteSpec } from '../report/vega-lite-spec.js';
import type { UtilisationOverlay } from './utilisation.js';

/** One point of a series: the busy share from `timeS` until the next point. */
export interface OverlayRow {
  readonly series: string;
  readonly kind: UtilisationOverlay['series'][number]['kind'];
  readonly timeS: number;
  readonly utilisation: number;
}

/** Human label of a series in the legend: 'recorded (4 of 16 GPUs)', 'verl (simulated, 16 GPUs)'. */
export function seriesLabel(series: UtilisationOverlay['series'][number], runGpus?: number): string {
  if (series.kind === 'recorded') return `recorded (${runGpus !== undefined && runGpus !== series.gpus ? `${series.gpus} of ${runGpus}` : series.gpus} GPUs)`;
  return `${series.name} (simulated, ${series.gpus} GPUs)`;
}

/**
 * Chart points: one per measured bin start (drawn step-after), plus a closing point at the end of
 * each series so its last bin keeps its width.
 */
export function overlayRows(overlay: UtilisationOverlay, runGpus?: number): OverlayRow[] {
  return overlay.series.flatMap((series) => {
    const label = seriesLabel(series, runGpus);
    const rows: OverlayRow[] = [];
    series.utilization.forEach((value, k) => {
      if (value !== null) rows.push({ series: label, kind: series.kind, timeS: k * series.binS, utilisation: value });
    });
    const last = series.utilization.at(-1);
    if (last !== null && last !== undefined && series.horizonS > 0) rows.push({ series: label, kind: series.kind, timeS: series.horizonS, utilisation: last });
    return rows;
  });
}

const ROLES = ['recorded run', 'simulated'] as const;

/**
 * The recorded utilisation against each simulated one, y in percent: one small panel per
 * simulated scheduler, stacked (one column fits a phone), each with the recorded run drawn behind it in grey, so
 * every comparison reads on its own instead of a tangle of a line per scheduler on one axis.
 * Without a simulated run, the recorded one alone.
 */
export function utilisationOverlayChart(rows: readonly OverlayRow[], options: { readonly width?: number; readonly height?: number } = {}): VegaLiteSpec {
  const recorded = rows.filter((row) => row.kind === 'recorded');
  const simulated = rows.filter((row) => row.kind === 'simulated');
  const panels = [...new Set(simulated.map((row) => row.series))];
  const recordedName = recorded[0]?.series ?? 'recorded';
  const point = (row: OverlayRow, panel: string, role: (typeof ROLES)[number]) => ({
    panel,
    panelOrder: panels.indexOf(panel),
    role,
    timeS: row.timeS,
    utilisation: row.utilisation,
    ...hoverText([row.series, `${formatNumber(row.timeS)} s: ${formatNumber(100 * row.utilisation)}% of GPUs busy`]),
  });
  const values =
    panels.length === 0
      ? recorded.map((row) => point(row, recordedName, 'recorded run'))
      : panels.flatMap((panel) => [...recorded.map((row) => point(row, panel, 'recorded run')), ...simulated.filter((row) => row.series === panel).map((row) => point(row, panel, 'simulated'))]);
  const roles = panels.length === 0 ? [ROLES[0]] : [...ROLES];
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: `Share of GPUs busy per time bin: the recorded run (${recordedName}, grey) behind each simulated scheduler on the same workload`,
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null, sort: { field: 'panelOrder', op: 'min' }, header: { labelOrient: 'top', labelAnchor: 'start', labelFontWeight: 'bold', labelLimit: 0 } },
    columns: 1,
    spacing: 10,
    spec: {
      width: options.width ?? 560,
      height: options.height ?? 70,
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'timeS', type: 'quantitative', title: 'Time since the first compared step (s)', axis: { labelOverlap: true } },
        y: { field: 'utilisation', type: 'quantitative', title: 'GPUs busy (%)', axis: { format: '.0%', tickCount: 3 }, scale: { domain: [0, 1] } },
        color: { field: 'role', type: 'nominal', title: 'Run', scale: { domain: roles, range: ['#9a9a9a', '#4c78a8'].slice(0, roles.length) }, legend: bottomLegend(roles) },
        detail: { field: 'role', type: 'nominal' },
        ...HOVER_ENCODING,
      },
    },
  };
}
