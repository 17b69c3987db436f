import { formatTextTable } from '../../report/text-table.js';
import type { Table, TableColumn } from '../../report/tables.js';
import type { GpuTraceSummary } from '../../traces/gpu/summarize.js';

/** The terminal report of `rlhf-replay traces gpu`: tables with units in every header. */
function column(key: string, name: string, label: string, unit: string | null, decimals?: number): TableColumn {
  return { key, name, label, unit, ...(decimals === undefined ? {} : { decimals }) };
}

const MAX_STAGE_ROWS = 25;

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function percent(fraction: number | null): number | null {
  return fraction === null ? null : 100 * fraction;
}

function section(title: string, table: Table): string {
  return table.rows.length === 0 ? '' : `\n${title}\n${formatTextTable(table)}`;
}

export function formatGpuTraceSummary(summary: GpuTraceSummary, path: string): string {
  const out: string[] = [];
  const ranks = summary.ranks.filter((r) => r.rank !== null).map((r) => r.rank as number);
  const worldSize = summary.ranks.find((r) => r.worldSize !== null)?.worldSize ?? null;
  const rankText = ranks.length > 0 ? `, rank${ranks.length > 1 ? 's' : ''} ${ranks.join(', ')}${worldSize !== null ? ` of ${worldSize}` : ''}` : '';
  out.push(`GPU trace ${path}: ${summary.format}, ${summary.sources.length} file${summary.sources.length === 1 ? '' : 's'}${rankText}`);
  out.push(
    `span ${summary.spanS.toFixed(6)} s, ${summary.gpus.length} GPU${summary.gpus.length === 1 ? '' : 's'}` +
      (summary.profilerWindowS !== null ? `, profiler window ${summary.profilerWindowS.toFixed(6)} s` : '') +
      (summary.ncclShare !== null ? `, NCCL ${(100 * summary.ncclShare).toFixed(1)} % of operation time` : ''),
  );

  out.push(
    section('GPUs (busy = union of operation intervals over all streams)', {
      columns: [
        column('id', 'gpu', 'GPU', null),
        column('device', 'device', 'Device', null),
        column('kernels', 'kernels', 'Kernels', null),
        column('busyS', 'busy_s', 'Busy', 's', 6),
        column('busyPercent', 'busy_percent', 'Busy', '%', 1),
        column('gaps', 'idle_gaps', 'Idle gaps', null),
        column('idleS', 'idle_s', 'Idle in gaps', 's', 6),
        column('ncclS', 'nccl_s', 'NCCL', 's', 6),
      ],
      rows: summary.gpus.map((g) => ({
        id: g.id,
        device: g.device,
        kernels: g.kernels,
        busyS: g.busyS,
        busyPercent: percent(g.busyFraction),
        gaps: g.idle.gaps,
        idleS: g.idle.totalS,
        ncclS: g.ncclS,
      })),
    }),
  );

  const totalOpsS = Object.values(summary.byKernelClass).reduce((a, b) => a + b, 0);
  out.push(
    section('Time by kernel class (summed over GPUs and streams)', {
      columns: [column('name', 'kernel_class', 'Class', null), column('seconds', 'time_s', 'Time', 's', 6), column('share', 'share_percent', 'Share', '%', 1)],
      rows: Object.entries(summary.byKernelClass).map(([name, seconds]) => ({ name, seconds, share: totalOpsS > 0 ? (100 * seconds) / totalOpsS : null })),
    }),
  );

  out.push(
    section('Stages (annotated ranges; GPU-side where recorded)', {
      columns: [
        column('name', 'stage', 'Stage', null),
        column('source', 'source', 'Source', null),
        column('count', 'count', 'Count', null),
        column('totalS', 'total_s', 'Total', 's', 6),
        column('meanS', 'mean_s', 'Mean', 's', 6),
        column('gpuBusyS', 'gpu_busy_s', 'GPU busy inside', 's', 6),
      ],
      rows: summary.stages.slice(0, MAX_STAGE_ROWS).map((s) => ({ ...s, name: shorten(s.name, 60) })),
    }),
  );
  if (summary.stages.length > MAX_STAGE_ROWS) out.push(`(${summary.stages.length - MAX_STAGE_ROWS} more stages in --json)\n`);

  out.push(
    section('Steps (ProfilerStep#N; duration of the slowest rank)', {
      columns: [
        column('step', 'step', 'Step', null),
        column('files', 'ranks', 'Ranks', null),
        column('startS', 'start_s', 'Start', 's', 6),
        column('durationS', 'duration_s', 'Duration', 's', 6),
        column('busyPercent', 'busy_percent', 'GPU busy', '%', 1),
      ],
      rows: summary.steps.map((s) => ({ step: s.step, files: s.files, startS: s.startS, durationS: s.durationS, busyPercent: percent(s.busyFraction) })),
    }),
  );

  const gaps = summary.gpus
    .flatMap((g) => g.idle.longest.map((gap) => ({ gpu: g.id, ...gap })))
    .sort((a, b) => b.durationS - a.durationS || a.startS - b.startS)
    .slice(0, 10);
  out.push(
    section(`Longest idle gaps (≥ ${(1000 * summary.idleGapThresholdS).toFixed(3)} ms)`, {
      columns: [column('gpu', 'gpu', 'GPU', null), column('startS', 'start_s', 'Start', 's', 6), column('durationS', 'duration_s', 'Duration', 's', 6)],
      rows: gaps,
    }),
  );

  out.push(
    section('Top kernels by time', {
      columns: [
        column('name', 'kernel', 'Kernel', null),
        column('kernelClass', 'kernel_class', 'Class', null),
        column('count', 'count', 'Count', null),
        column('totalS', 'total_s', 'Total', 's', 6),
      ],
      rows: summary.topKernels.slice(0, 10).map((k) => ({ ...k, name: shorten(k.name, 70) })),
    }),
  );

  if (summary.notes.length > 0) out.push(`\nNotes\n${summary.notes.map((n) => `- ${n}`).join('\n')}\n`);
  return `${out.filter((s) => s !== '').join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
