import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { bottomLegend, formatNumber, HOVER_ENCODING, hoverText, requireFinite, VEGA_LITE_SCHEMA, withUnit } from './common.js';

/** How far a headline figure moves when one named assumption moves over its plausible values. */
export interface TornadoRow {
  readonly assumption: string;
  /** The assumption's plausible values in its unit, shown under its name: '1.5–6 GiB, default 3 GiB'. */
  readonly range?: string;
  /** The lowest figure over the assumption's values (the default's included). */
  readonly low: number;
  /** The highest figure over the assumption's values (the default's included). */
  readonly high: number;
  /** The assumption's value giving each end, in its unit ('6 GiB', '0.9'), printed at the bar's end. */
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

/** What a bar's colour says: the direction the figure moves, whichever end of its range the assumption sits at. */
export const TORNADO_DIRECTIONS = ['figure goes down', 'figure goes up'] as const;

/** Vertical layout of one row, in rows (1 = one row's height): name and range above the bar, the bar below. */
const ROW = { nameAt: -0.36, rangeAt: -0.12, barTop: 0.02, barBottom: 0.4, heightPx: 52 } as const;
/** Room on each side of the bars for the values printed at their ends, px. */
const END_LABEL_ROOM_PX = 90;

/**
 * A tornado chart: one row per assumption, its name and plausible range written above its bar
 * (so the plot keeps the page's whole width), a bar from the baseline figure to the figure at
 * each assumption value that moves it, coloured by the direction the figure moves, labelled at
 * its end with that value in its unit; the widest swing on top. An end at the baseline draws
 * nothing.
 */
export function tornadoChart(rows: readonly TornadoRow[], baseline: number, options: TornadoOptions): VegaLiteSpec {
  requireFinite('tornadoChart', 0, 'baseline', baseline);
  const swing = (row: TornadoRow): number => Math.max(row.low, row.high, baseline) - Math.min(row.low, row.high, baseline);
  rows.forEach((row, index) => {
    requireFinite('tornadoChart', index, 'low', row.low);
    requireFinite('tornadoChart', index, 'high', row.high);
  });
  const sorted = [...rows].sort((a, b) => swing(b) - swing(a));
  const bars = sorted.flatMap((row, index) =>
    (['low', 'high'] as const)
      .map((end) => ({ value: end === 'low' ? row.low : row.high, setting: (end === 'low' ? row.lowSetting : row.highSetting) ?? '' }))
      .filter(({ value }) => value !== baseline)
      .map(({ value, setting }) => {
        const direction = value < baseline ? TORNADO_DIRECTIONS[0] : TORNADO_DIRECTIONS[1];
        return {
          kind: 'bar',
          assumption: row.assumption,
          row: index,
          barTop: index + ROW.barTop,
          barBottom: index + ROW.barBottom,
          barMiddle: index + (ROW.barTop + ROW.barBottom) / 2,
          direction,
          value,
          baseline,
          setting,
          settingAlign: value > baseline ? 'left' : 'right',
          ...hoverText([
            row.assumption,
            ...(row.range ? [`plausible: ${row.range}`] : []),
            `${setting ? `at ${setting}` : 'moved'}: ${withUnit(value, options.valueUnit)} (${direction})`,
            `baseline ${withUnit(baseline, options.valueUnit)}, change ${value >= baseline ? '+' : ''}${formatNumber(value - baseline)}`,
          ]),
        };
      }),
  );
  const names = sorted.flatMap((row, index) => [
    { kind: 'name', row: index, at: index + ROW.nameAt, text: row.assumption },
    ...(row.range ? [{ kind: 'range', row: index, at: index + ROW.rangeAt, text: row.range }] : []),
  ]);
  const all = [baseline, ...rows.flatMap((row) => [row.low, row.high])];
  const [min, max] = [Math.min(...all), Math.max(...all)];
  const span = max - min || Math.abs(baseline) || 1;
  // Rows top to bottom; the pixel padding keeps room for the values printed at the bars' ends at any width.
  const y = { type: 'quantitative' as const, axis: null, scale: { domain: [-0.5, Math.max(1, sorted.length) - 0.5], reverse: true, nice: false, zero: false } };
  const x = { field: 'value', type: 'quantitative' as const, title: options.valueTitle, scale: { domain: [min - 0.02 * span, max + 0.02 * span], padding: END_LABEL_ROOM_PX, nice: false, zero: false }, axis: { labelOverlap: true, grid: true } };
  const endLabel = (align: 'left' | 'right') => ({
    data: { values: bars.filter((bar) => bar.settingAlign === align) },
    mark: { type: 'text' as const, align, baseline: 'middle' as const, dx: align === 'left' ? 4 : -4, fontSize: 10, color: '#444', aria: false },
    encoding: { y: { ...y, field: 'barMiddle' }, x, text: { field: 'setting', type: 'nominal' as const } },
  });
  const rowText = (kind: 'name' | 'range') => ({
    data: { values: names.filter((name) => name.kind === kind) },
    mark: { type: 'text' as const, align: 'left' as const, baseline: 'middle' as const, fontSize: kind === 'name' ? 11 : 10, fontWeight: kind === 'name' ? ('bold' as const) : ('normal' as const), color: kind === 'name' ? '#222' : '#666', aria: false },
    encoding: { y: { ...y, field: 'at' }, x: { value: 0 }, text: { field: 'text', type: 'nominal' as const } },
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    width: options.width ?? 480,
    height: Math.max(1, sorted.length) * ROW.heightPx,
    layer: [
      {
        data: { values: bars },
        mark: { type: 'rect', opacity: 0.85 },
        encoding: {
          y: { ...y, field: 'barTop' },
          y2: { field: 'barBottom' },
          x,
          x2: { field: 'baseline' },
          color: { field: 'direction', type: 'nominal', title: 'Colour = direction of the figure’s change', scale: { domain: [...TORNADO_DIRECTIONS], range: ['#4c78a8', '#f58518'] }, legend: bottomLegend([...TORNADO_DIRECTIONS]) },
          ...HOVER_ENCODING,
        },
      },
      ...(['left', 'right'] as const).filter((align) => bars.some((bar) => bar.settingAlign === align && bar.setting !== '')).map(endLabel),
      rowText('name'),
      ...(names.some((name) => name.kind === 'range') ? [rowText('range')] : []),
      {
        // The baseline as a segment through each row's bar band only, so it never crosses a row's name.
        data: { values: sorted.map((_, index) => ({ baseline, top: index + ROW.barTop - 0.06, bottom: index + ROW.barBottom + 0.06, ...hoverText([`baseline ${withUnit(baseline, options.valueUnit)}`]) })) },
        mark: { type: 'rule', color: '#222', strokeWidth: 1.5 },
        encoding: { x: { field: 'baseline', type: 'quantitative' }, y: { ...y, field: 'top' }, y2: { field: 'bottom' }, ...HOVER_ENCODING },
      },
    ],
  };
}
