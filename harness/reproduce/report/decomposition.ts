import { waterfallChart } from '../../report/charts/waterfall.js';
import type { ChartEntry, GroupSection } from '../../report/page-model.js';
import type { Table } from '../../report/tables.js';
import { formatMarkdownTable } from '../../report/text-table.js';
import { isDecomposition, type FigureDecomposition } from '../figures/decomposition.js';
import type { ReproduceResults } from '../results.js';

/**
 * The RLHFless decomposition as people read it: per figure, what serverless billing alone
 * (rlhfless-naive) gives and what each technique adds (figures/decomposition.ts) — a waterfall
 * chart each, the parts with their intervals, and one compact row per figure for summary.md and
 * the README.
 */
const round = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : '—');
/** A part's change at the figure's resolution (0.001 ×, 0.1 %), so noise-sized parts read as 0. */
function signed(x: number, unit: string): string {
  if (!Number.isFinite(x)) return '—';
  const text = Math.abs(x).toFixed(unit === '%' ? 1 : 3);
  return Number(text) === 0 ? `0 ${unit}` : `${x > 0 ? '+' : '−'}${text} ${unit}`;
}

function decompositions(results: ReproduceResults): FigureDecomposition[] {
  return results.decompositions.filter(isDecomposition);
}

/** The part a technique column shows: '+ deduplicated prefill (…)' → 'deduplicated prefill'. */
const techniqueName = (part: string) => part.replace(/^\+ /, '').replace(/ \(.*$/, '');

/** A part's short name on the chart: 'billing alone', '+ cut-and-migrate', 'interaction' or 'its techniques together'. */
function partLabel(kind: string, part: string, d: FigureDecomposition): string {
  if (kind === 'billing') return 'billing alone';
  if (kind === 'technique') return `+ ${techniqueName(part)}`;
  return d.parts.some((p) => p.kind === 'technique') ? 'interaction' : 'its techniques together';
}

/** Every part of every figure with its interval (tables/decomposition.*, and the page). */
export function decompositionTable(results: ReproduceResults, units: ReadonlyMap<string, string>): Table {
  const rows = decompositions(results).flatMap((d) =>
    [
      ...d.parts.map((part) => ({ figure: d.figure, where: d.where, part: part.part, kind: part.kind, change: part.change.mean, low: part.change.ciLow, high: part.change.ciHigh, unit: units.get(d.figure) ?? '' })),
      { figure: d.figure, where: d.where, part: `= the figure's change from no change (${d.candidate} against ${d.baseline}: ${round(d.total)})`, kind: 'figure', change: d.total - d.start, low: null, high: null, unit: units.get(d.figure) ?? '' },
    ].map((row) => ({ ...row })),
  );
  return {
    columns: [
      { key: 'figure', name: 'figure', label: 'Figure', unit: null },
      { key: 'where', name: 'computed_on', label: 'Computed on', unit: null },
      { key: 'part', name: 'part', label: 'Part', unit: null },
      { key: 'kind', name: 'kind', label: 'Kind', unit: null },
      { key: 'change', name: 'change_figure_unit', label: 'Change of the figure', unit: "figure's unit", decimals: 3 },
      { key: 'low', name: 'change_ci_low_figure_unit', label: '95 % CI low', unit: "figure's unit", decimals: 3 },
      { key: 'high', name: 'change_ci_high_figure_unit', label: '95 % CI high', unit: "figure's unit", decimals: 3 },
      { key: 'unit', name: 'unit', label: 'Unit', unit: null },
    ],
    rows,
  };
}

/** One row per figure: the figure, billing alone, each technique, the interaction (summary.md, README). */
export function compactDecompositionTable(results: ReproduceResults, units: ReadonlyMap<string, string>): Table {
  const all = decompositions(results);
  const techniques = [...new Set(all.flatMap((d) => d.parts.filter((p) => p.kind === 'technique').map((p) => techniqueName(p.part))))];
  return {
    columns: [
      { key: 'figure', name: 'figure', label: 'Figure', unit: null },
      { key: 'where', name: 'computed_on', label: 'Computed on', unit: null },
      { key: 'figureValue', name: 'reproduced', label: 'Reproduced', unit: null, keepTogether: true },
      { key: 'billing', name: 'billing_alone', label: 'Billing alone (rlhfless-naive)', unit: null, keepTogether: true },
      ...techniques.map((technique, i) => ({ key: `t${i}`, name: `plus_${technique.replace(/[^a-z]+/g, '_')}`, label: `+ ${technique}`, unit: null, keepTogether: true })),
      { key: 'interaction', name: 'interaction', label: 'Interaction / rest', unit: null, keepTogether: true },
    ],
    rows: all.map((d) => {
      const unit = units.get(d.figure) ?? '';
      const byName = new Map(d.parts.filter((p) => p.kind === 'technique').map((p) => [techniqueName(p.part), p.change.mean]));
      return {
        figure: d.figure,
        where: d.where,
        figureValue: `${round(d.total)} ${unit}`,
        billing: signed(d.parts.find((p) => p.kind === 'billing')!.change.mean, unit),
        ...Object.fromEntries(techniques.map((technique, i) => [`t${i}`, byName.has(technique) ? signed(byName.get(technique)!, unit) : '—'])),
        interaction: signed(d.parts.find((p) => p.kind === 'interaction')!.change.mean, unit),
      };
    }),
  };
}

/** The sentence under the table: what the split is, in words. */
export const DECOMPOSITION_RULE =
  'Each figure’s change from "no change" (1× or 0 %) is split on the same simulated steps and the same aggregation as the figure: serverless billing alone is rlhfless-naive (functions billed from allocation to release, every technique off) against veRL; each technique is the full system minus its leave-one-out ablation (rlhfless-no-*), what it adds given the others; the interaction is the rest, so the parts add up to the figure.';

export function decompositionCharts(results: ReproduceResults, units: ReadonlyMap<string, string>): ChartEntry[] {
  return decompositions(results).map((d) => {
    const unit = units.get(d.figure) ?? '';
    return {
      id: `waterfall-${d.figure.replace(/[^A-Za-z0-9]+/g, '-')}`,
      title: `What makes ${d.figure}: billing alone, then each technique`,
      spec: waterfallChart(
        d.parts.map((part) => ({ label: partLabel(part.kind, part.part, d), detail: part.part, delta: part.change.mean, ciLow: part.change.ciLow, ciHigh: part.change.ciHigh })),
        { start: d.start, totalLabel: `${d.candidate} against ${d.baseline}`, valueTitle: `${d.figure} (${unit})`, valueUnit: unit },
      ),
      description: `${d.where}. From no change (${round(d.start)} ${unit}, the dashed line): serverless billing alone, each technique’s leave-one-out contribution, and the interaction, adding up to the figure (grey). Whiskers are 95 % paired-bootstrap intervals of each part.`,
    };
  });
}

export function decompositionSection(results: ReproduceResults, units: ReadonlyMap<string, string>): GroupSection | undefined {
  if (results.decompositions.length === 0) return undefined;
  const none = results.decompositions.filter((d) => !isDecomposition(d)).map((d) => `${d.figure}: ${'none' in d ? d.none : ''}`);
  return {
    kind: 'group',
    id: 'rlhfless-decomposition',
    title: 'RLHFless: what billing alone gives, and what each technique adds',
    intro: DECOMPOSITION_RULE,
    sections: [
      { kind: 'table', id: 'decomposition-compact', title: 'Each figure split', table: compactDecompositionTable(results, units) },
      ...decompositionCharts(results, units).map((chart) => ({ kind: 'chart' as const, ...chart })),
      { kind: 'table', id: 'decomposition-parts', title: 'Every part with its interval', table: decompositionTable(results, units) },
      ...(none.length > 0 ? [{ kind: 'text' as const, id: 'decomposition-none', title: 'Figures that do not split this way', paragraphs: none }] : []),
    ],
  };
}

export function decompositionMarkdown(results: ReproduceResults, units: ReadonlyMap<string, string>): string {
  if (decompositions(results).length === 0) return '';
  const none = results.decompositions.filter((d) => !isDecomposition(d)).map((d) => `- ${d.figure}: ${'none' in d ? d.none : ''}`);
  return ['## RLHFless: billing alone against each technique', '', DECOMPOSITION_RULE, '', formatMarkdownTable(compactDecompositionTable(results, units)).trimEnd(), '', ...(none.length > 0 ? ['Not split:', '', ...none, ''] : [])].join('\n');
}
