import { inputError } from '../../util/input-error.js';
import { csvRows, findHeaderLine } from './csv-records.js';
import { catalogIdForGpuName } from './device-names.js';
import type { ByteStreamOptions } from './open-input.js';
import type { GpuTraceBuilder } from './trace-builder.js';
import type { GpuOpKind } from './types.js';

/**
 * Nsight Systems `nsys stats --report cuda_gpu_trace --format csv` exports. Columns, as nsys
 * prints them: `Start (ns), Duration (ns), CorrId, GrdX, GrdY, GrdZ, BlkX, BlkY, BlkZ, Reg/Trd,
 * StcSMem (MB), DymSMem (MB), Bytes (MB), Throughput (MB/s), SrcMemKd, DstMemKd, Device, Ctx,
 * [GreenCtx,] Strm, Name`; times are ns unless `--timeunit` changed them, which the header says.
 * Memory operations appear as rows named "[CUDA memcpy Host-to-Device]", "[CUDA memset]".
 */
const UNIT_SECONDS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1 };

export function isNsysHeader(line: string): boolean {
  return /^"?Start \(/.test(line) && /Duration \(/.test(line) && /\bName\b/.test(line);
}

interface DeviceLabel {
  readonly index: number;
  readonly name?: string;
}

/** "NVIDIA A100-SXM4-80GB (0)" → {0, name}; "GPU (1)" / "GPU1" → {1}. */
export function parseNsysDevice(label: string): DeviceLabel | undefined {
  const withIndex = /^(.*?)\s*\((\d+)\)\s*$/.exec(label);
  if (withIndex) {
    const name = (withIndex[1] as string).trim();
    return { index: Number(withIndex[2]), ...(name && !/^GPU$/i.test(name) ? { name } : {}) };
  }
  const bare = /^GPU\s*(\d+)$/i.exec(label.trim());
  if (bare) return { index: Number(bare[1]) };
  return undefined;
}

function opKind(name: string): GpuOpKind {
  if (/^\[CUDA memcpy/i.test(name)) return 'memcpy';
  if (/^\[CUDA memset/i.test(name)) return 'memset';
  return 'kernel';
}

export async function readNsysCsvFile(file: string, builder: GpuTraceBuilder, options: ByteStreamOptions = {}): Promise<void> {
  const fileIndex = builder.addSource(file);
  const header = await findHeaderLine(file, isNsysHeader);
  if (!header) {
    throw inputError({ file, message: 'no cuda_gpu_trace header ("Start (ns),Duration (ns),…,Name") in the first 64 KB; export with `nsys stats --report cuda_gpu_trace --format csv`' });
  }
  let columns: string[] | undefined;
  let startColumn = -1;
  let durationColumn = -1;
  let deviceColumn = -1;
  let streamColumn = -1;
  let nameColumn = -1;
  let unitS = 1e-9;
  let ops = 0;
  let unnamedDevices = 0;
  const names = new Map<number, string>();

  for await (const row of csvRows(file, header.line, options)) {
    if (!columns) {
      columns = row.cells.map((c) => c.trim());
      const find = (pattern: RegExp) => columns!.findIndex((c) => pattern.test(c));
      startColumn = find(/^Start \(/);
      durationColumn = find(/^Duration \(/);
      deviceColumn = find(/^Device$/);
      streamColumn = find(/^Strm$/);
      nameColumn = find(/^Name$/);
      const startUnit = /\(([^)]*)\)/.exec(columns[startColumn] as string)?.[1] ?? '';
      const durationUnit = /\(([^)]*)\)/.exec(columns[durationColumn] as string)?.[1] ?? '';
      for (const [column, unit] of [
        [startColumn, startUnit],
        [durationColumn, durationUnit],
      ] as const) {
        if (UNIT_SECONDS[unit] === undefined) {
          throw inputError({ file, line: row.line, column: column + 1, field: columns[column], value: unit, message: 'unknown time unit (expected ns, us, ms or s)' });
        }
      }
      if (startUnit !== durationUnit) {
        throw inputError({ file, line: row.line, column: durationColumn + 1, field: columns[durationColumn], value: durationUnit, message: `differs from the Start column's unit '${startUnit}'` });
      }
      unitS = UNIT_SECONDS[startUnit] as number;
      continue;
    }
    builder.recordsRead++;
    const cell = (column: number) => (column >= 0 ? (row.cells[column] ?? '') : '');
    const number = (column: number): number => {
      const text = cell(column);
      const value = text === '' ? NaN : Number(text);
      if (!Number.isFinite(value)) throw inputError({ file, line: row.line, column: column + 1, field: columns![column], value: text, message: 'not a number' });
      return value;
    };
    const start = number(startColumn);
    const duration = number(durationColumn);
    if (duration < 0) throw inputError({ file, line: row.line, column: durationColumn + 1, field: columns[durationColumn], value: cell(durationColumn), message: 'negative duration' });
    const deviceLabel = deviceColumn >= 0 ? parseNsysDevice(cell(deviceColumn)) : undefined;
    if (!deviceLabel) unnamedDevices++;
    const deviceIndex = deviceLabel?.index ?? 0;
    if (deviceLabel?.name && !names.has(deviceIndex)) names.set(deviceIndex, deviceLabel.name);
    const streamText = cell(streamColumn);
    const stream = /^-?\d+$/.test(streamText) ? Number(streamText) : 0;
    const name = cell(nameColumn) || '(unnamed)';
    const startS = builder.relativeS(start, unitS);
    builder.addOp(fileIndex, deviceIndex, opKind(name), name, startS, startS + duration * unitS, stream);
    ops++;
  }
  if (!columns || startColumn < 0 || durationColumn < 0 || nameColumn < 0) {
    throw inputError({ file, line: header.line, message: 'the cuda_gpu_trace header lacks Start, Duration or Name columns' });
  }
  if (ops === 0) throw inputError({ file, message: 'no GPU rows (kernels, memcpy, memset) after the cuda_gpu_trace header' });
  if (unnamedDevices > 0) builder.note(`${file}: ${unnamedDevices} rows without a readable Device column were put on GPU 0`);
  for (const [index, rawName] of names) {
    const catalogId = catalogIdForGpuName(rawName);
    builder.describeDevice(fileIndex, index, { rawName, ...(catalogId ? { catalogId } : {}) });
  }
  builder.addRank({ file });
  builder.note('Nsight Systems cuda_gpu_trace has no annotations: stages and steps need NVTX reports, which are not read');
}
