import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError, looksBinary, type InputError } from '../../util/input-error.js';
import { binaryKind } from '../formats/probe.js';
import { detectGpuTraceFormat, gpuTraceFormat, type GpuFormatReadOptions, type GpuTraceFormat } from './formats.js';
import { DEFAULT_KERNEL_CLASS_RULES, KernelClassifier, type KernelClassRule } from './kernel-classes.js';
import { readContentHead } from './open-input.js';
import { GpuTraceBuilder } from './trace-builder.js';
import type { GpuTrace, GpuTraceFormatName } from './types.js';

export interface ReadGpuTraceOptions {
  /** Force a format instead of detecting it from the content. */
  readonly format?: GpuTraceFormatName;
  readonly timeUnit?: GpuFormatReadOptions['timeUnit'];
  readonly dcgmDelayMs?: number;
  /** Kernel-class rules (user rules first, then the defaults); the defaults when absent. */
  readonly kernelClassRules?: readonly KernelClassRule[];
  /** Progress in bytes read (compressed bytes for gzip) over all files. */
  readonly onProgress?: (bytesRead: number, totalBytes: number, file: string) => void;
}

/** File names a folder of traces may hold; anything else (README, .nsys-rep, …) is left alone. */
const TRACE_FILE = /\.(json|json\.gz|csv|csv\.gz|txt|log|gz)$/i;

/** "rank-2" before "rank-10". */
function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}

async function listInputFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw inputError({ file: path, message: code === 'ENOENT' ? 'no such file or folder' : `cannot read: ${code ?? (error as Error).message}` });
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && TRACE_FILE.test(entry.name))
    .map((entry) => entry.name)
    .sort(naturalCompare);
  if (names.length === 0) throw inputError({ file: path, message: 'the folder holds no trace files (*.json, *.json.gz, *.csv, *.txt, *.log)' });
  return names.map((name) => join(path, name));
}

const KNOWN_FORMATS = 'Kineto/torch.profiler JSON, nsys cuda_gpu_trace CSV, nvidia-smi CSV, dcgmi dmon';

/**
 * Reads a recorded GPU trace: one file, or a folder of files of one format (e.g. one Kineto
 * trace per rank). The format is detected from each file's first bytes unless forced.
 */
export async function readGpuTrace(path: string, options: ReadGpuTraceOptions = {}): Promise<GpuTrace> {
  const candidates = await listInputFiles(path);
  const isFolder = candidates.length !== 1 || candidates[0] !== path;
  const files: string[] = [];
  const formats: GpuTraceFormat[] = [];
  const skipped: string[] = [];
  let firstProblem: InputError | undefined;
  for (const file of candidates) {
    if (options.format) {
      files.push(file);
      formats.push(gpuTraceFormat(options.format));
      continue;
    }
    const { head } = await readContentHead(file);
    const text = head.toString('utf8');
    // Binary content (no trace format is) is named, never echoed: its bytes could drive the terminal.
    const binary = binaryKind(head) ?? (looksBinary(text) ? 'binary' : undefined);
    const format = binary === undefined ? detectGpuTraceFormat(text) : undefined;
    if (format) {
      files.push(file);
      formats.push(format);
      continue;
    }
    const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? '';
    firstProblem ??= binary
      ? inputError({ file, message: binary === 'binary' ? `is binary data, not a GPU trace (${KNOWN_FORMATS})` : `is ${binary}-compressed: decompress it first (GPU traces are ${KNOWN_FORMATS}, plain or gzip)` })
      : inputError({ file, line: 1, value: firstLine, message: `not a recognised GPU trace (${KNOWN_FORMATS}); use --format to force one` });
    // In a folder, files of no known format (notes, logs of other tools) are left out, and said so.
    if (!isFolder) throw firstProblem;
    skipped.push(file);
  }
  if (files.length === 0) throw firstProblem ?? inputError({ file: path, message: 'no trace files' });
  const names = [...new Set(formats.map((f) => f.name))];
  if (names.length > 1) {
    throw inputError({ file: path, message: `the folder mixes formats (${names.join(', ')}); point at one format's files, or use --format` });
  }
  const format = formats[0] as GpuTraceFormat;
  const builder = new GpuTraceBuilder(format.name, new KernelClassifier(options.kernelClassRules ?? DEFAULT_KERNEL_CLASS_RULES));
  for (const file of skipped) builder.note(`${file}: not a recognised GPU trace format; skipped`);

  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  let doneBytes = 0;
  for (const [i, file] of files.entries()) {
    const before = doneBytes;
    await format.read(file, builder, {
      ...(options.timeUnit ? { timeUnit: options.timeUnit } : {}),
      ...(options.dcgmDelayMs !== undefined ? { dcgmDelayMs: options.dcgmDelayMs } : {}),
      ...(options.onProgress ? { onRawBytes: (bytes: number) => options.onProgress?.(before + bytes, totalBytes, file) } : {}),
    });
    doneBytes += sizes[i] as number;
  }
  return builder.build();
}
