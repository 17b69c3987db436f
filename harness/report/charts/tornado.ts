import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { formatNumber, HOVER_ENCODING, hoverText, requireFinite, VEGA_LITE_SCHEMA, withUnit } from './common.js';

/** How far a headline figure moves when one named assumption goes to each end of its plausible range. */
export interface TornadoRow {
  readonly assumption: string;
  /** The headline figure with the assumption at the low end of its range. */
  readonly low: number;
  /** The headline figure with the assumption at the high end of its range. */
  readonly high: number;
  /** The assumption's own values at each end, shown at the bar ends: '0.5×', '2 GB/s'. */
  readonly lowSetting?: string;
  readonly highSetting?: string;
}

export interface TornadoOptions {
  /** The headline figure's title with unit: 'RLHFless speedup over veRL (×)'. */
  readonly valueTitle: string;
  readonly valueUnit?: string;
  readonly width?: number;
  readonly description?: string;
}

/**
 * A tornado chart: one row per assumption, bars from the baseline figure to the figure at the
 * assumption's low and high settings, the widest swing on top.
 */
export function tornadoChart(rows: readonly TornadoRow[], baseline: number, options: TornadoOptions): VegaLiteSpec {
  requireFinite('tornadoChart', 0, 'baseline', baseline);
  const swing = (row: TornadoRow): number => Math.max(row.low, row.high, baseline) - Math.min(row.low, row.high, baseline);
  rows.forEach((row, index) => {
    requireFinite('tornadoChart', index, 'low', row.low);
    requireFinite('tornadoChart', index, 'high', row.high);
  });
  const sorted = [...rows].sort((a, b) => swing(b) - swing(a));
  const values = sorted.flatMap((row) =>
    (['low', 'high'] as const).map((end) => {
      const value = end === 'low' ? row.low : row.high;
      const setting = end === 'low' ? row.lowSetting : row.highSetting;
      return {
        assumption: row.assumption,
        end: `${end} end`,
        value,
        baseline,
        setting: setting ?? '',
        settingAlign: value >= baseline ? 'left' : 'right',
        ...hoverText([
          row.assumption,
          `${end} end${setting ? ` (${setting})` : ''}: ${withUnit(value, options.valueUnit)}`,
          `baseline ${withUnit(baseline, options.valueUnit)}, change ${value >= baseline ? '+' : ''}${formatNumber(value - baseline)}`,
        ]),
      };
    }),
  );
  const y = { field: 'assumption', type: 'nominal' as const, title: null, scale: { domain: sorted.map((row) => row.assumption) }, axis: { labelLimit: 220 } };
  // Room beyond the longest bars for the setting labels, as a literal domain.
  const all = [baseline, ...rows.flatMap((row) => [row.low, row.high])];
  const [min, max] = [Math.min(...all), Math.max(...all)];
  const margin = 0.2 * (max - min || Math.abs(baseline) || 1);
  const x = { field: 'value', type: 'quantitative' as const, title: options.valueTitle, scale: { domain: [min - margin, max + margin], nice: false } };
  const ends = ['low end', 'high end'];
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    width: options.width ?? 480,
    height: { step: 26 },
    data: { values },
    layer: [
      {
        mark: { type: 'bar', opacity: 0.85, height: { band: 0.7 } },
        encoding: {
          y,
          x,
          x2: { field: 'baseline' },
          color: { field: 'end', type: 'nominal', title: 'Assumption at its', scale: { domain: ends, range: ['#4c78a8', '#f58518'] } },
          ...HOVER_ENCODING,
        },
      },
      {
        transform: [{ filter: { field: 'settingAlign', equal: 'left' } }],
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#444', aria: false },
        encoding: { y, x, text: { field: 'setting', type: 'nominal' } },
      },
      {
        transform: [{ filter: { field: 'settingAlign', equal: 'right' } }],
        mark: { type: 'text', align: 'right', dx: -4, fontSize: 10, color: '#444', aria: false },
        encoding: { y, x, text: { field: 'setting', type: 'nominal' } },
      },
      {
        data: { values: [{ baseline, ...hoverText([`baseline ${withUnit(baseline, options.valueUnit)}`]) }] },
        mark: { type: 'rule', color: '#222', strokeWidth: 1.5 },
        encoding: { x: { field: 'baseline', type: 'quantitative' }, ...HOVER_ENCODING },
      },
    ],
  };
}
