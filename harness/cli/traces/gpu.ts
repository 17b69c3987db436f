import { basename } from 'node:path';
import type { Argv } from 'yargs';
import { gpuUtilisationChart, type UtilisationRow } from '../../report/charts/gpu-utilisation.js';
import { roundForJson } from '../../report/round-for-json.js';
import { GPU_TRACE_FORMAT_NAMES } from '../../traces/gpu/formats.js';
import { loadKernelClassRules } from '../../traces/gpu/kernel-classes.js';
import type { ChromeTraceTimeUnit } from '../../traces/gpu/kineto-reader.js';
import { readGpuTrace } from '../../traces/gpu/read-gpu-trace.js';
import { DEFAULT_IDLE_GAP_S, summarizeGpuTrace, type GpuTraceSummary } from '../../traces/gpu/summarize.js';
import { formatGpuTraceSummary } from './gpu-summary-text.js';
import type { GpuTraceFormatName } from '../../traces/gpu/types.js';
import { DCGM_DEFAULT_DELAY_MS } from '../../traces/gpu/dcgm-reader.js';
import { createProgress } from '../../util/progress.js';
import type { CommandFactory } from '../commands.js';
import { inputPath, optionError } from '../options.js';

interface GpuTraceArgs {
  path: string;
  json: boolean;
  chart?: string;
  'idle-gap-ms': number;
  'bin-ms'?: number;
  format?: GpuTraceFormatName;
  'kernel-classes'?: string;
  'time-unit': ChromeTraceTimeUnit;
  'dcgm-delay-ms': number;
}

/**
 * The summary's utilisation bins as chart points: one per bin start (drawn step-after), plus a
 * closing point at the end of the span so the last bin keeps its width. Bins with no data
 * (N/A samples) are left out.
 */
export function utilisationRows(summary: GpuTraceSummary): UtilisationRow[] {
  const { binS, series } = summary.utilization;
  return series.flatMap((s) => {
    const points: UtilisationRow[] = [];
    s.utilization.forEach((utilisation, k) => {
      if (utilisation !== null) points.push({ gpu: s.gpu, timeS: k * binS, utilisation });
    });
    const last = s.utilization.at(-1);
    if (last !== null && last !== undefined && summary.spanS > 0) points.push({ gpu: s.gpu, timeS: summary.spanS, utilisation: last });
    return points;
  });
}

/** Overlaid lines read well for a few GPUs; beyond that, one small row per GPU. */
const MAX_OVERLAID_GPUS = 4;

export const tracesGpuCommand: CommandFactory = (context) => ({
  command: 'gpu <path>',
  describe: 'Show what the GPUs did in a recorded trace (torch.profiler/Kineto JSON, Nsight Systems CSV, nvidia-smi or DCGM log)',
  builder: (yargs: Argv) =>
    yargs
      .positional('path', { type: 'string', demandOption: true, describe: 'A trace file (.json, .json.gz, .csv, .txt) or a folder of per-rank traces' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document on stdout' })
      .option('chart', { type: 'string', describe: 'Write an HTML page with the utilisation-over-time chart per GPU' })
      .option('idle-gap-ms', { type: 'number', default: DEFAULT_IDLE_GAP_S * 1000, describe: 'Count idle gaps at least this long, ms' })
      .option('bin-ms', { type: 'number', describe: 'Utilisation bin width, ms (default: span / 400, rounded to 1-2-5)' })
      .option('format', { choices: GPU_TRACE_FORMAT_NAMES as GpuTraceFormatName[], describe: 'Force the input format instead of detecting it' })
      .option('kernel-classes', { type: 'string', describe: 'JSON file of extra kernel-class rules, tried before the defaults: {"rules":[{"class":"moe","pattern":"moe|topk"}]}' })
      .option('time-unit', {
        choices: ['us', 'ns', 'ms'] as ChromeTraceTimeUnit[],
        default: 'us' as ChromeTraceTimeUnit,
        describe: "Unit of ts/dur in Chrome-trace JSON. The format says µs (displayTimeUnit is display-only); change it only for a producer that writes another unit",
      })
      .option('dcgm-delay-ms', { type: 'number', default: DCGM_DEFAULT_DELAY_MS, describe: 'dcgmi dmon --delay the log was recorded with (dmon prints no timestamps), ms' })
      .example('$0 traces gpu rank-0.pt.trace.json.gz', 'Summarise one torch.profiler trace')
      .example('$0 traces gpu ./profiles/ --chart gpu.html', 'All ranks of a run, with a utilisation chart')
      .example('$0 traces gpu smi.csv --json', 'An nvidia-smi utilisation log as JSON'),
  handler: async (argv) => {
    const args = argv as unknown as GpuTraceArgs;
    const idleGapMs = args['idle-gap-ms'];
    if (!Number.isFinite(idleGapMs) || idleGapMs < 0) throw optionError('idle-gap-ms', idleGapMs, 'must be a number ≥ 0');
    const binMs = args['bin-ms'];
    if (binMs !== undefined && !(Number.isFinite(binMs) && binMs > 0)) throw optionError('bin-ms', binMs, 'must be a number > 0');
    const dcgmDelayMs = args['dcgm-delay-ms'];
    if (!(Number.isFinite(dcgmDelayMs) && dcgmDelayMs > 0)) throw optionError('dcgm-delay-ms', dcgmDelayMs, 'must be a number > 0');

    const fromCwd = (p: string) => inputPath(context.io, p);
    const path = fromCwd(args.path);
    const kernelClassRules = args['kernel-classes'] ? await loadKernelClassRules(fromCwd(args['kernel-classes'])) : undefined;
    let progress: ReturnType<typeof createProgress> | undefined;
    const trace = await readGpuTrace(path, {
      ...(args.format ? { format: args.format } : {}),
      timeUnit: args['time-unit'],
      dcgmDelayMs,
      ...(kernelClassRules ? { kernelClassRules } : {}),
      onProgress: (done, total, file) => {
        progress ??= createProgress(context.io, total, 'reading');
        progress.update(done, basename(file));
      },
    });
    progress?.finish();
    const summary = summarizeGpuTrace(trace, { idleGapS: idleGapMs / 1000, ...(binMs !== undefined ? { binS: binMs / 1000 } : {}) });

    if (args.chart) {
      const chartPath = fromCwd(args.chart);
      const { writeChartPage } = await import('../../report/page.js');
      const measure = summary.gpus[0]?.busyMeasure ?? 'kernel-union';
      await writeChartPage(chartPath, {
        title: `GPU utilisation: ${basename(path)}`,
        intro:
          `${summary.format} trace, ${summary.gpus.length} GPU${summary.gpus.length === 1 ? '' : 's'}, span ${summary.spanS.toFixed(3)} s.` +
          (measure === 'kernel-union'
            ? ` Busy is the union of kernel, memcpy and memset intervals over all streams in each ${summary.utilization.binS * 1000} ms bin.`
            : ` Busy is the sampled counter ${measure}, averaged over each ${summary.utilization.binS * 1000} ms bin.`),
        charts: [
          {
            id: 'gpu-utilization',
            title: 'Utilisation over time per GPU',
            spec: gpuUtilisationChart(utilisationRows(summary), {
              layout: summary.gpus.length > MAX_OVERLAID_GPUS ? 'rows' : 'overlay',
              timeTitle: 'Time since the start of the trace (s)',
              description: `GPU busy share per ${summary.utilization.binS * 1000} ms bin`,
            }),
            ...(summary.notes.length > 0 ? { description: summary.notes.join('\n\n') } : {}),
          },
        ],
        footer: 'Generated by rlhf-replay traces gpu',
      });
    }

    if (args.json) {
      context.io.stdout(`${JSON.stringify({ path: args.path, ...summary }, roundForJson, 2)}\n`);
      return;
    }
    context.io.stdout(formatGpuTraceSummary(summary, args.path));
    if (args.chart) context.io.stdout(`\nchart written to ${args.chart}\n`);
  },
});
