import { formatTextTable } from '../../report/text-table.js';
import type { AsyncWhatIfReport } from './report.js';
import { bandText, frontierTable, notRunTable, pointsTable } from './report-tables.js';

const n = (value: number, digits = 4) => String(Number(value.toPrecision(digits)));

/** The fastest run, in words (the frontier's first entry). */
export function fastestLine(report: AsyncWhatIfReport): string | null {
  const fastest = report.frontier[0];
  if (!fastest) return null;
  if (fastest.id === 'co-located') return `fastest: the co-located run itself (${n(fastest.stepTimeS)} s per step); no asynchronous point tried is faster`;
  return `fastest: ${fastest.label} → ${n(fastest.stepTimeS)} s per step, ${n(fastest.speedupX, 3)} × the co-located run's throughput, stale share ${n(fastest.staleShare, 3)}`;
}

/** The recorded run against the co-located simulation, in words. */
export function recordedLine(r: NonNullable<AsyncWhatIfReport['recorded']>): string {
  if (r.recordedStepS === null) return `recorded run (${r.gpuTrace}): no step times recorded (no ProfilerStep markers), so nothing is projected onto it`;
  const simulated = r.simulatedStepS !== null ? `; the co-located simulation of the same iterations: ${n(r.simulatedStepS)} s${r.stepErrorPct !== null ? ` (${r.stepErrorPct >= 0 ? '+' : ''}${r.stepErrorPct.toFixed(1)} %)` : ''}` : '';
  return `recorded run (${r.gpuTrace}): ${r.pairedSteps} step${r.pairedSteps === 1 ? '' : 's'}, ${n(r.recordedStepS)} s per step${simulated}${r.mismatch ? ' — DOES NOT MATCH its simulation (see the note)' : ''}`;
}

/** The terminal report: the baseline, every point that ran, the frontier, what did not run, notes. */
export function formatAsyncWhatIf(report: AsyncWhatIfReport): string {
  const m = report.meta;
  const b = report.baseline;
  const lines: string[] = [
    `whatif --async · scenario ${m.scenarioName} (${m.scenario}) · lengths ${m.lengths} · ${m.iterations} iteration${m.iterations === 1 ? '' : 's'} · seed ${m.seed}${m.costModel ? ` · cost model: ${m.costModel}` : ''}`,
    b
      ? `co-located baseline: ${b.scheduler} on ${b.gpus} GPUs, ${n(b.stepTimeS)} s per step${b.stepTimeBand80S ? ` ${bandText(b.stepTimeBand80S)}` : ''}, ${n(b.costUsd)} USD per step`
      : 'co-located baseline: did not run (see errors)',
    ...(report.recorded ? [recordedLine(report.recorded)] : []),
    '',
    '1. Points that ran (the co-located baseline first)',
    formatTextTable(pointsTable(report)).trimEnd(),
    '',
    '2. Time–cost–staleness frontier',
    report.frontier.length > 0 ? formatTextTable(frontierTable(report)).trimEnd() : 'no run finished',
  ];
  const notRun = notRunTable(report);
  if (notRun.rows.length > 0) lines.push('', '3. Not run', formatTextTable(notRun).trimEnd());
  const fastest = fastestLine(report);
  lines.push('', ...(fastest ? [fastest] : []), ...report.notes.map((note) => `note: ${note}`), ...report.errors.map((e) => `error: ${e.id}: ${e.message}`));
  return `${lines.join('\n')}\n`;
}
