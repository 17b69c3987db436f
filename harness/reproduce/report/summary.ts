import { formatMarkdownTable, formatTextTable } from '../../report/text-table.js';
import type { Table } from '../../report/tables.js';
import { describePublished, type ComparisonDocument, type ComparisonFigure, type ComparisonStatus, type FigureScope } from '../compare.js';
import type { ReproduceResults } from '../results.js';

/**
 * The comparison as people read it: a compact table (terminal and Markdown), the counts, each
 * miss with its reason, the figures no mechanism can produce, and the traces replayed.
 */
const round = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : '—');

export function reproducedText(figure: ComparisonFigure): string {
  const r = figure.reproduced;
  if (!r) return '—';
  return r.ciLow === r.ciHigh ? `${round(r.mean)} ${figure.unit}` : `${round(r.mean)} ${figure.unit} [${round(r.ciLow)}, ${round(r.ciHigh)}]`;
}

const STATUS_TEXT: Readonly<Record<ComparisonStatus, string>> = { reproduced: 'within tolerance', overlaps: 'CI overlaps target', better: 'better than published', missed: 'MISSED', failed: 'FAILED' };

export function statusText(figure: Pick<ComparisonFigure, 'status'>): string {
  return STATUS_TEXT[figure.status];
}

/** How a status reads at a glance: good (green), unsettled (amber), bad (red); the page colours the status cell by it. */
export const STATUS_TONES: Readonly<Record<string, 'good' | 'warn' | 'bad'>> = {
  [STATUS_TEXT.reproduced]: 'good',
  [STATUS_TEXT.better]: 'good',
  [STATUS_TEXT.overlaps]: 'warn',
  [STATUS_TEXT.missed]: 'bad',
  [STATUS_TEXT.failed]: 'bad',
};

export function compactComparisonTable(doc: ComparisonDocument): Table {
  return {
    columns: [
      { key: 'id', name: 'figure', label: 'Figure', unit: null },
      { key: 'published', name: 'published', label: 'Published', unit: null, keepTogether: true },
      { key: 'reproduced', name: 'reproduced', label: 'Reproduced [95 % CI]', unit: null, keepTogether: true },
      { key: 'status', name: 'status', label: 'Status', unit: null, keepTogether: true, tones: STATUS_TONES },
      { key: 'dependsOn', name: 'depends_on', label: 'Depends most on', unit: null },
    ],
    rows: doc.figures.map((figure) => ({ id: figure.id, published: describePublished(figure.published, figure.unit), reproduced: reproducedText(figure), status: statusText(figure), dependsOn: figure.dependsOn.join(', ') || '—' })),
  };
}

export interface StatusCounts {
  readonly total: number;
  readonly reproduced: number;
  readonly overlaps: number;
  readonly better: number;
  readonly missed: number;
  readonly failed: number;
}

function countStatuses(figures: readonly ComparisonFigure[]): StatusCounts {
  const count = (status: ComparisonStatus) => figures.filter((f) => f.status === status).length;
  return { total: figures.length, reproduced: count('reproduced'), overlaps: count('overlaps'), better: count('better'), missed: count('missed'), failed: count('failed') };
}

/** Status counts of the system figures and of the schedule-search figures, apart, and the published figures not simulated. */
export function counts(doc: ComparisonDocument): { system: StatusCounts; scheduleSearch: StatusCounts; notSimulated: number } {
  const of = (scope: FigureScope) => countStatuses(doc.figures.filter((f) => f.scope === scope));
  return { system: of('system'), scheduleSearch: of('schedule-search'), notSimulated: doc.notSimulated.length };
}

/** '3 of 17 within tolerance, 2 CI overlaps target, 12 missed': zero counts left out, except within tolerance and missed. */
export function statusLine(c: StatusCounts): string {
  const parts = [`${c.reproduced} of ${c.total} within tolerance`];
  if (c.overlaps > 0) parts.push(`${c.overlaps} CI overlaps target`);
  if (c.better > 0) parts.push(`${c.better} better than published`);
  parts.push(`${c.missed} missed`);
  if (c.failed > 0) parts.push(`${c.failed} failed`);
  return parts.join(', ');
}

export function headline(doc: ComparisonDocument): string {
  const c = counts(doc);
  const lines: string[] = [];
  if (c.system.total > 0) lines.push(`System figures: ${statusLine(c.system)}.`);
  if (c.scheduleSearch.total > 0) lines.push(`Schedule-search figures (FlexFusion, deterministic): ${statusLine(c.scheduleSearch)}.`);
  lines.push(`${c.notSimulated} published figures have no mechanism to simulate (listed with why).`);
  return lines.join(' ');
}

/** The status rule in one paragraph, for the page, summary.md and the README. */
export const STATUS_RULE =
  'A figure is within tolerance when its point estimate lies in the published value or range widened by the tolerance; "CI overlaps target" when only its 95 % confidence interval reaches that target (neither confirmed nor ruled out, counted apart); missed when the whole interval lies beyond it; a search outcome whose whole interval lies beyond it on the side that improves on it (a lower peak memory) is better than published.';

function runLine(results: ReproduceResults): string {
  const { sizes, quick, papers } = results.plan.config;
  return `${papers.join(' + ')} · ${sizes.seeds} seed(s) · RLHFuse ${sizes.rlhfuseWarmup} warm-up + ${sizes.rlhfuseMeasured} measured iteration(s) per seed, threshold curve ${sizes.thresholdCurveIterations} · RLHFless 3 epochs × ${sizes.rlhflessIterationsPerEpoch} step(s)${quick ? ' · QUICK mode (smaller grid, for smoke tests)' : ''}`;
}

/** What the command prints without --json. */
export function terminalSummary(results: ReproduceResults, doc: ComparisonDocument): string {
  const lines = [`reproduce: ${runLine(results)}`, '', formatTextTable(compactComparisonTable(doc)), headline(doc)];
  if (results.errors.length > 0) lines.push(`${results.errors.length} case(s) failed: ${results.errors.map((e) => e.id).slice(0, 5).join(', ')}${results.errors.length > 5 ? ', …' : ''}`);
  return `${lines.join('\n')}\n`;
}

/** summary.md: the comparison for a README or a CI step summary. */
export function markdownSummary(results: ReproduceResults, doc: ComparisonDocument, commit: string | null): string {
  const out: string[] = ['# Reproduction of RLHFuse and RLHFless', '', `${runLine(results)}${commit ? ` · commit ${commit.slice(0, 12)}` : ''}`, '', `**${headline(doc)}**`, '', STATUS_RULE, '', formatMarkdownTable(compactComparisonTable(doc)).trimEnd(), ''];
  const better = doc.figures.filter((f) => f.status === 'better');
  if (better.length > 0) {
    out.push('## Better than published', '');
    for (const figure of better) out.push(`- **${figure.id}** — ${figure.reason}`);
    out.push('');
  }
  const overlapping = doc.figures.filter((f) => f.status === 'overlaps');
  if (overlapping.length > 0) {
    out.push('## CI overlaps target, with reasons', '');
    for (const figure of overlapping) out.push(`- **${figure.id}** — ${figure.reason}`);
    out.push('');
  }
  const missed = doc.figures.filter((f) => f.status === 'missed' || f.status === 'failed');
  if (missed.length > 0) {
    out.push('## Missed, with reasons', '');
    for (const figure of missed) out.push(`- **${figure.id}** — ${figure.reason}`);
    out.push('');
  }
  if (doc.notSimulated.length > 0) {
    out.push('## Published figures with no mechanism to simulate', '');
    for (const figure of doc.notSimulated) out.push(`- **${figure.id}** (${describePublished(figure.published, figure.unit)}): ${figure.reason}`);
    out.push('');
  }
  out.push('## Traces replayed', '');
  const seen = new Set<string>();
  for (const config of results.configs) {
    const key = `${config.dataset}|${config.trace.source}|${config.trace.mode}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(`- ${config.dataset}: ${config.trace.source} (${config.trace.mode}) — ${config.trace.why}`);
  }
  out.push('');
  if (results.errors.length > 0) {
    out.push('## Failed cases', '');
    for (const error of results.errors) out.push(`- ${error.id}: ${error.message.split('\n')[0]}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
