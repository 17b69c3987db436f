import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CliIo } from '../util/cli-io.js';
import { GPU_TRACE_FORMAT_NAMES } from '../traces/gpu/formats.js';
import type { DeviceActivity } from '../traces/gpu/device-activity.js';
import type { ChromeTraceTimeUnit } from '../traces/gpu/kineto-reader.js';
import { readGpuTrace } from '../traces/gpu/read-gpu-trace.js';
import { DEFAULT_IDLE_GAP_S, deviceActivities, summarizeGpuTrace, type GpuTraceSummary } from '../traces/gpu/summarize.js';
import type { GpuTrace, GpuTraceFormatName } from '../traces/gpu/types.js';
import { InputError } from '../util/input-error.js';
import { createProgress } from '../util/progress.js';
import { DEFAULT_STAGE_MAP, parseStageMap, type StageMap } from '../whatif/stage-map.js';
import { inputPath } from './options.js';

/** The recorded GPU trace `whatif` reads (with or without --async): its flags and how they are read. */
export const GPU_TRACE_FORMATS = GPU_TRACE_FORMAT_NAMES as GpuTraceFormatName[];

export async function loadStageMap(path: string | undefined): Promise<StageMap> {
  if (path === undefined) return DEFAULT_STAGE_MAP;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError({ file: path, message: `stage map: ${code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code ?? String(error)})`}` });
  }
  return parseStageMap(path, text);
}

export interface RecordedGpuTrace {
  readonly trace: GpuTrace;
  readonly summary: GpuTraceSummary;
  readonly activities: ReadonlyMap<string, DeviceActivity>;
}

/** Reads `--gpu-trace` (with `--format`, `--time-unit`), progress on stderr, and summarises it. */
export async function readRecordedGpuTrace(io: CliIo, argv: Record<string, unknown>): Promise<RecordedGpuTrace> {
  let reading: ReturnType<typeof createProgress> | undefined;
  const trace = await readGpuTrace(inputPath(io, argv['gpu-trace'] as string), {
    ...(argv.format ? { format: argv.format as GpuTraceFormatName } : {}),
    timeUnit: argv['time-unit'] as ChromeTraceTimeUnit,
    onProgress: (done, total, file) => {
      reading ??= createProgress(io, total, 'reading GPU trace');
      reading.update(done, basename(file));
    },
  });
  reading?.finish();
  const activities = deviceActivities(trace);
  const summary = summarizeGpuTrace(trace, { idleGapS: DEFAULT_IDLE_GAP_S }, activities);
  return { trace, summary, activities };
}
