import { intervalDotChart } from '../../report/charts/interval-dot.js';
import { lengthEcdfChart } from '../../report/charts/length-ecdf.js';
import type { ChartEntry, GroupSection } from '../../report/page-model.js';
import type { Table } from '../../report/tables.js';
import { formatMarkdownTable } from '../../report/text-table.js';
import { median } from '../../stats/median.js';
import { quantileSorted } from '../../stats/quantile.js';
import { describePublished, type ComparisonDocument, type TraceChoiceFigure } from '../compare.js';
import { RLHFUSE_GENERATION_CAPS } from '../experiments/rlhfuse.js';
import type { ReproduceResults } from '../results.js';
import { TRACE_MAPPINGS, TRACE_SOURCES, type TraceSourceId } from '../traces/sources.js';
import { STATUS_TONES, statusText } from './summary.js';

/**
 * Which trace stands for RLHFuse's HH-RLHF workload, argued with data: the length distribution of
 * the default (a math-reasoning RL recording) and of each chat-like alternative as replayed, and
 * what each does to every RLHFuse system figure (the grid replayed on each, judged by the same
 * rule against the same target). The rule that picks the default is the paper's own description
 * of its workload, never which trace lands more figures in their targets.
 */

/** RLHFuse's description of the lengths it is built for (papers/rlhfuse.md §7, the motivation): LMSYS-Chat-1M's 99.9th percentile is more than 10 × its median. */
export const PAPER_TAIL_RATIO = 10;

export interface TraceLengthStats {
  readonly source: TraceSourceId;
  readonly label: string;
  readonly mode: string;
  readonly samples: number;
  readonly medianTokens: number;
  readonly p90Tokens: number;
  readonly p99Tokens: number;
  readonly p999Tokens: number;
  readonly maxTokens: number;
  /** p99.9 / median: RLHFuse's tail statistic. */
  readonly tailRatio: number;
  /** Share of responses longer than each generation cap of the grid (what the cap cuts). */
  readonly beyondCapPct: Readonly<Record<number, number>>;
}

export function traceLengthStats(source: TraceSourceId, label: string, mode: string, lengths: readonly number[]): TraceLengthStats {
  const sorted = Float64Array.from(lengths).sort();
  const q = (p: number) => quantileSorted(sorted, p);
  const med = median(lengths);
  const beyond = Object.fromEntries(RLHFUSE_GENERATION_CAPS.map((cap) => [cap, (100 * lengths.filter((length) => length > cap).length) / lengths.length]));
  return { source, label, mode, samples: lengths.length, medianTokens: med, p90Tokens: q(0.9), p99Tokens: q(0.99), p999Tokens: q(0.999), maxTokens: sorted[sorted.length - 1]!, tailRatio: q(0.999) / med, beyondCapPct: beyond };
}

const SOURCES = (): TraceSourceId[] => [TRACE_MAPPINGS['hh-rlhf'].source, ...TRACE_MAPPINGS['hh-rlhf'].alternatives];

export function standInLengthStats(results: ReproduceResults): TraceLengthStats[] {
  return SOURCES().flatMap((source) => {
    const trace = results.traces.find(({ testCase }) => testCase.trace.source === source);
    return trace && trace.result.responseTokens.length > 0 ? [traceLengthStats(source, trace.result.label, trace.result.mode, trace.result.responseTokens)] : [];
  });
}

/** Whether a trace has the tail RLHFuse describes and reaches beyond the middle cap (so the caps differ). */
export function meetsPaperTail(stats: TraceLengthStats): boolean {
  return stats.tailRatio >= PAPER_TAIL_RATIO && (stats.beyondCapPct[1024] ?? 0) > 0;
}

const round = (x: number, digits = 4) => (Number.isFinite(x) ? String(Number(x.toPrecision(digits))) : '—');

export function lengthStatsTable(stats: readonly TraceLengthStats[]): Table {
  return {
    columns: [
      { key: 'trace', name: 'trace', label: 'Trace', unit: null },
      { key: 'role', name: 'role', label: 'Role', unit: null },
      { key: 'samples', name: 'samples', label: 'Responses', unit: null },
      { key: 'median', name: 'median_tokens', label: 'Median', unit: 'tokens', decimals: 0 },
      { key: 'p99', name: 'p99_tokens', label: 'p99', unit: 'tokens', decimals: 0 },
      { key: 'p999', name: 'p99_9_tokens', label: 'p99.9', unit: 'tokens', decimals: 0 },
      { key: 'max', name: 'max_tokens', label: 'Max', unit: 'tokens', decimals: 0 },
      { key: 'ratio', name: 'p99_9_over_median_x', label: 'p99.9 / median', unit: '×', decimals: 1 },
      ...RLHFUSE_GENERATION_CAPS.map((cap) => ({ key: `beyond${cap}`, name: `beyond_${cap}_pct`, label: `Beyond ${cap}`, unit: '%', decimals: 2 })),
    ],
    rows: stats.map((s) => ({
      trace: `${s.label} (${s.mode})`,
      role: s.source === TRACE_MAPPINGS['hh-rlhf'].source ? 'default' : 'chat-like alternative',
      samples: s.samples,
      median: s.medianTokens,
      p99: s.p99Tokens,
      p999: s.p999Tokens,
      max: s.maxTokens,
      ratio: s.tailRatio,
      ...Object.fromEntries(RLHFUSE_GENERATION_CAPS.map((cap) => [`beyond${cap}`, s.beyondCapPct[cap] ?? null])),
    })),
  };
}

function cell(trace: TraceChoiceFigure['traces'][number], unit: string): string {
  if (!trace.reproduced) return '—';
  const r = trace.reproduced;
  const ci = r.ciLow === r.ciHigh || !Number.isFinite(r.ciLow) ? '' : ` [${round(r.ciLow)}, ${round(r.ciHigh)}]`;
  return `${round(r.mean)} ${unit}${ci}`;
}

export function traceChoiceTable(choice: readonly TraceChoiceFigure[]): Table {
  const sources = choice[0]?.traces.map((t) => t.source) ?? [];
  return {
    columns: [
      { key: 'id', name: 'figure', label: 'Figure', unit: null },
      { key: 'published', name: 'published', label: 'Published', unit: null, keepTogether: true },
      ...sources.flatMap((source, i) => [
        { key: `v${i}`, name: `${source.replace(/[^a-z0-9]+/g, '_')}_reproduced`, label: TRACE_SOURCES[source as TraceSourceId]?.label ?? source, unit: null, keepTogether: true },
        { key: `s${i}`, name: `${source.replace(/[^a-z0-9]+/g, '_')}_status`, label: 'Status', unit: null, keepTogether: true, tones: STATUS_TONES },
      ]),
    ],
    rows: choice.map((figure) => ({
      id: figure.id,
      published: describePublished(figure.published, figure.unit),
      ...Object.fromEntries(figure.traces.flatMap((trace, i) => [[`v${i}`, cell(trace, figure.unit)], [`s${i}`, trace.reproduced ? statusText(trace) : 'not computed']])),
    })),
  };
}

/** The argument, in sentences computed from the run: the tail criterion per trace, then the figures per trace. */
export function traceChoiceArgument(stats: readonly TraceLengthStats[], choice: readonly TraceChoiceFigure[]): string[] {
  const defaultSource = TRACE_MAPPINGS['hh-rlhf'].source;
  const describe = (s: TraceLengthStats) => `${s.label}: median ${round(s.medianTokens)} tokens, p99.9 ${round(s.p999Tokens)} (${round(s.tailRatio, 3)} × the median), ${round(s.beyondCapPct[1024] ?? 0, 3)} % beyond 1024 and ${round(s.beyondCapPct[2048] ?? 0, 3)} % beyond 2048 tokens`;
  const meeting = stats.filter(meetsPaperTail);
  const criterion = `The rule: RLHFuse is built for, and motivated by, a long tail of response lengths — it cites LMSYS-Chat-1M, whose 99.9th-percentile length is more than ${PAPER_TAIL_RATIO} × its median — and varies the generation cap from 512 to 2048 tokens because its gains grow with it. A stand-in must have that tail and reach beyond the 1024 cap, or the caps cannot differ. Which trace lands more figures in their targets is not a criterion: choosing by it would tune the reproduction to the paper.`;
  const measured = `Measured on the traces as replayed: ${stats.map(describe).join('; ')}.`;
  const verdict =
    meeting.length === 1 && meeting[0]!.source === defaultSource
      ? `Only ${meeting[0]!.label} meets the rule, so it stays the default.`
      : meeting.some((s) => s.source === defaultSource)
        ? `${meeting.map((s) => s.label).join(' and ')} meet the rule; the default stays ${TRACE_SOURCES[defaultSource].label}, a real RL policy's rollouts.`
        : `The default ${TRACE_SOURCES[defaultSource].label} does not meet the rule on this run${meeting.length > 0 ? `, ${meeting.map((s) => s.label).join(' and ')} does` : ', and no alternative does either'}: the choice needs revisiting.`;
  const sources = choice[0]?.traces.map((t) => t.source) ?? [];
  const within = sources.map((source) => {
    const statuses = choice.map((figure) => figure.traces.find((t) => t.source === source)!);
    const count = (status: string) => statuses.filter((t) => t.reproduced && t.status === status).length;
    const computed = statuses.filter((t) => t.reproduced).length;
    return `${TRACE_SOURCES[source as TraceSourceId]?.label ?? source}: ${count('reproduced')} of ${computed} within tolerance, ${count('overlaps')} CI overlaps target, ${count('missed')} missed`;
  });
  const perFigure = choice.map((figure) => `${figure.id}: ${figure.traces.map((t) => `${round(t.reproduced?.mean ?? Number.NaN)} ${figure.unit} (${t.source})`).join(', ')}`);
  return [
    criterion,
    measured,
    verdict,
    `What each trace does to the RLHFuse system figures (same grid, same schedulers, same rule): ${within.join('; ')}.`,
    `Per figure: ${perFigure.join('; ')}.`,
  ];
}

export function traceChoiceChart(choice: readonly TraceChoiceFigure[]): ChartEntry | undefined {
  const speedups = choice.filter((figure) => figure.unit === '×');
  if (speedups.length === 0) return undefined;
  const label = (source: string) => TRACE_SOURCES[source as TraceSourceId]?.label ?? source;
  return {
    id: 'trace-choice',
    title: 'RLHFuse speedups on each stand-in for HH-RLHF',
    spec: intervalDotChart(
      speedups.flatMap((figure) => figure.traces.filter((t) => t.reproduced !== null).map((t) => ({ category: figure.id, series: label(t.source), mean: t.reproduced!.mean, ciLow: t.reproduced!.ciLow, ciHigh: t.reproduced!.ciHigh }))),
      speedups.map((figure) => ({ category: figure.id, low: figure.target.low, high: figure.target.high, label: `published ${describePublished(figure.published, figure.unit)}` })),
      { valueTitle: 'Speedup (×)', valueUnit: '×', seriesTitle: 'Trace replayed as HH-RLHF' },
    ),
    description: 'Each RLHFuse speedup reproduced on the default stand-in and on each chat-like trace; the grey band is the published value or range widened by its tolerance, whiskers are 95 % bootstrap intervals (the envelope over configurations for a published range).',
  };
}

/** The candidate traces' lengths on one axis: where each one's tail starts and how far it runs past each cap. */
export function standInLengthChart(results: ReproduceResults): ChartEntry | undefined {
  const traces = SOURCES().flatMap((source) => {
    const trace = results.traces.find(({ testCase }) => testCase.trace.source === source);
    return trace ? [{ series: `${trace.result.label} (${trace.result.mode})`, lengthsTokens: trace.result.responseTokens }] : [];
  });
  if (traces.length < 2) return undefined;
  return {
    id: 'stand-in-lengths',
    title: 'Response lengths of each candidate stand-in (cumulative)',
    spec: lengthEcdfChart(traces, { logX: true, xTitle: 'Response length (tokens, log scale)', seriesTitle: 'Trace' }),
    description: `Share of responses at or below each length, before the scenarios’ caps (${RLHFUSE_GENERATION_CAPS.join(', ')} tokens in the RLHFuse grid): a line that reaches 100 % before a cap leaves that cap nothing to cut.`,
  };
}

export function standInSection(results: ReproduceResults, doc: ComparisonDocument): GroupSection | undefined {
  const choice = doc.traceChoice ?? [];
  if (choice.length === 0) return undefined;
  const stats = standInLengthStats(results);
  const chart = traceChoiceChart(choice);
  const lengths = standInLengthChart(results);
  return {
    kind: 'group',
    id: 'hh-rlhf-stand-in',
    title: 'RLHFuse’s HH-RLHF stand-in: a reasoning trace or a chat trace?',
    intro: `No public length trace of a PPO run on HH-RLHF exists; the reproduction replays ${TRACE_SOURCES[TRACE_MAPPINGS['hh-rlhf'].source].label} in its place, and it is the top sensitivity of several RLHFuse figures. Here the whole RLHFuse grid is replayed on each chat-like public trace too.`,
    sections: [
      { kind: 'text', id: 'stand-in-argument', title: 'The choice, argued', paragraphs: traceChoiceArgument(stats, choice) },
      { kind: 'table', id: 'stand-in-length-table', title: 'Response lengths of each candidate trace (before the caps)', table: lengthStatsTable(stats) },
      ...(lengths ? [{ kind: 'chart' as const, ...lengths }] : []),
      { kind: 'table', id: 'stand-in-figures', title: 'Every RLHFuse system figure on each trace', table: traceChoiceTable(choice), caption: 'Same status rule as the comparison. Not here: the migration-threshold optimum, whose curve runs on the default trace only.' },
      ...(chart ? [{ kind: 'chart' as const, ...chart }] : []),
    ],
  };
}

export function standInMarkdown(results: ReproduceResults, doc: ComparisonDocument): string {
  const choice = doc.traceChoice ?? [];
  if (choice.length === 0) return '';
  const stats = standInLengthStats(results);
  return [
    '## RLHFuse’s HH-RLHF stand-in: reasoning or chat lengths',
    '',
    ...traceChoiceArgument(stats, choice).flatMap((p) => [p, '']),
    formatMarkdownTable(lengthStatsTable(stats)).trimEnd(),
    '',
    formatMarkdownTable(traceChoiceTable(choice)).trimEnd(),
    '',
  ].join('\n');
}
