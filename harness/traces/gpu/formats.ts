import { isDcgmHeader, readDcgmFile } from './dcgm-reader.js';
import { readKinetoFile, type ChromeTraceTimeUnit } from './kineto-reader.js';
import { isNsysHeader, readNsysCsvFile } from './nsys-csv-reader.js';
import { isNvidiaSmiHeader, readNvidiaSmiFile } from './nvidia-smi-reader.js';
import type { GpuTraceBuilder } from './trace-builder.js';
import type { GpuTraceFormatName } from './types.js';

/** Options every reader may use; each takes what applies to it. */
export interface GpuFormatReadOptions {
  readonly timeUnit?: ChromeTraceTimeUnit;
  readonly dcgmDelayMs?: number;
  readonly onRawBytes?: (bytesRead: number) => void;
}

/** One recorded-GPU-trace format: how to recognise its first bytes and how to read a file of it. */
export interface GpuTraceFormat {
  readonly name: GpuTraceFormatName;
  readonly description: string;
  /** True when the start of the (decompressed) content looks like this format. */
  detect(headText: string): boolean;
  read(file: string, builder: GpuTraceBuilder, options: GpuFormatReadOptions): Promise<void>;
}

function lines(headText: string): string[] {
  return headText.split('\n').map((line) => line.replace(/\r$/, ''));
}

/** The registry: one entry per format, in detection order. */
export const gpuTraceFormats: readonly GpuTraceFormat[] = [
  {
    name: 'kineto',
    description: 'torch.profiler / Kineto Chrome-trace JSON (.json, .json.gz, a folder of ranks)',
    detect: (head) => /^\s*[{[]/.test(head.replace(/^\uFEFF/, '')),
    read: (file, builder, options) =>
      readKinetoFile(file, builder, { ...(options.timeUnit ? { timeUnit: options.timeUnit } : {}), ...(options.onRawBytes ? { onRawBytes: options.onRawBytes } : {}) }),
  },
  {
    name: 'nsys-csv',
    description: 'Nsight Systems `nsys stats --report cuda_gpu_trace --format csv`',
    detect: (head) => lines(head).some(isNsysHeader),
    read: (file, builder, options) => readNsysCsvFile(file, builder, options.onRawBytes ? { onRawBytes: options.onRawBytes } : {}),
  },
  {
    name: 'nvidia-smi',
    description: 'nvidia-smi --query-gpu=timestamp,index,utilization.gpu,… --format=csv log',
    detect: (head) => lines(head).some(isNvidiaSmiHeader),
    read: (file, builder, options) => readNvidiaSmiFile(file, builder, options.onRawBytes ? { onRawBytes: options.onRawBytes } : {}),
  },
  {
    name: 'dcgm',
    description: 'DCGM `dcgmi dmon -e …` text output',
    detect: (head) => lines(head).some(isDcgmHeader),
    read: (file, builder, options) =>
      readDcgmFile(file, builder, { ...(options.dcgmDelayMs !== undefined ? { delayMs: options.dcgmDelayMs } : {}), ...(options.onRawBytes ? { onRawBytes: options.onRawBytes } : {}) }),
  },
];

export const GPU_TRACE_FORMAT_NAMES: readonly GpuTraceFormatName[] = gpuTraceFormats.map((f) => f.name);

export function gpuTraceFormat(name: GpuTraceFormatName): GpuTraceFormat {
  const format = gpuTraceFormats.find((f) => f.name === name);
  if (!format) throw new Error(`unknown GPU trace format '${name}'`);
  return format;
}

/** The format whose detector accepts `headText`, or undefined. */
export function detectGpuTraceFormat(headText: string): GpuTraceFormat | undefined {
  return gpuTraceFormats.find((f) => f.detect(headText));
}
