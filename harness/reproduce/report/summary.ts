import { formatMarkdownTable, formatTextTable } from '../../report/text-table.js';
import type { Table } from '../../report/tables.js';
import { describePublished, type ComparisonDocument, type ComparisonFigure, type ComparisonStatus } from '../compare.js';
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

const STATUS_TEXT: Readonly<Record<ComparisonStatus, string>> = { reproduced: 'within tolerance', better: 'better than published', missed: 'MISSED', failed: 'FAILED' };

export function statusText(figure: Pick<ComparisonFigure, 'status'>): string {
  return STATUS_TEXT[figure.status];
}

export function compactComparisonTable(doc: ComparisonDocument): Table {
  return {
    columns: [
      { key: 'id', name: 'figure', label: 'Figure', unit: null },
      { key: 'published', name: 'published', label: 'Published', unit: null },
      { key: 'reproduced', name: 'reproduced', label: 'Reproduced [95 % CI]', unit: null },
      { key: 'status', name: 'status', label: 'Status', unit: null },
      { key: 'dependsOn', name: 'depends_on', label: 'Depends most on', unit: null },
    ],
    rows: doc.figures.map((figure) => ({ id: figure.id, published: describePublished(figure.published, figure.unit), reproduced: reproducedText(figure), status: statusText(figure), dependsOn: figure.dependsOn.join(', ') || '—' })),
  };
}

export function counts(doc: ComparisonDocument): { reproduced: number; better: number; missed: number; failed: number; notSimulated: number } {
  return {
    reproduced: doc.figures.filter((f) => f.status === 'reproduced').length,
    better: doc.figures.filter((f) => f.status === 'better').length,
    missed: doc.figures.filter((f) => f.status === 'missed').length,
    failed: doc.figures.filter((f) => f.status === 'failed').length,
    notSimulated: doc.notSimulated.length,
  };
}

export function headline(doc: ComparisonDocument): string {
  const c = counts(doc);
  return `${c.reproduced} of ${doc.figures.length} simulated figures within tolerance, ${c.better > 0 ? `${c.better} better than published, ` : ''}${c.missed} missed${c.failed > 0 ? `, ${c.failed} failed` : ''}; ${c.notSimulated} published figures have no mechanism to simulate (listed with why).`;
}

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
  const out: string[] = ['# Reproduction of RLHFuse and RLHFless', '', `${runLine(results)}${commit ? ` · commit ${commit.slice(0, 12)}` : ''}`, '', headline(doc), '', formatMarkdownTable(compactComparisonTable(doc)).trimEnd(), ''];
  const better = doc.figures.filter((f) => f.status === 'better');
  if (better.length > 0) {
    out.push('## Better than published', '');
    for (const figure of better) out.push(`- **${figure.id}** — ${figure.reason}`);
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
