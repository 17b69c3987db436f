import { inputError } from '../../util/input-error.js';
import { csvRows, findHeaderLine } from './csv-records.js';
import { catalogIdForGpuName } from './device-names.js';
import type { ByteStreamOptions } from './open-input.js';
import type { GpuTraceBuilder } from './trace-builder.js';
import { SampleSeriesBuilder, isMissingValue } from './utilization-samples.js';

/**
 * nvidia-smi query logs:
 * `nvidia-smi --query-gpu=timestamp,index,utilization.gpu,memory.used,power.draw --format=csv -l 1`.
 * The header names each field with its unit ("utilization.gpu [%]", "memory.used [MiB]",
 * "power.draw [W]"); values repeat the unit ("87 %") unless `nounits` was given. One row per
 * GPU per poll. `utilization.gpu` is the share of the last sample period in which a kernel was
 * executing, so it compares with a kernel trace's busy fraction.
 * Timestamps ("2024/05/01 12:00:00.123") carry no time zone; only differences are used.
 */
export function isNvidiaSmiHeader(line: string): boolean {
  return /(^|,)\s*timestamp\s*(,|$)/i.test(line) && /utilization\.gpu/i.test(line);
}

const MEMORY_UNIT_BYTES: Readonly<Record<string, number>> = { MiB: 2 ** 20, GiB: 2 ** 30, KiB: 2 ** 10, B: 1, MB: 1e6, GB: 1e9 };

/** "2024/05/01 12:00:00.123" → milliseconds since the epoch (as if UTC). */
export function parseNvidiaSmiTimestamp(text: string): number | undefined {
  const m = /^(\d{4})[/-](\d{2})[/-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!m) return undefined;
  const fraction = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) + fraction;
}

interface FieldColumn {
  readonly index: number;
  readonly unit?: string;
}

export async function readNvidiaSmiFile(file: string, builder: GpuTraceBuilder, options: ByteStreamOptions = {}): Promise<void> {
  const fileIndex = builder.addSource(file);
  const header = await findHeaderLine(file, isNvidiaSmiHeader);
  if (!header) throw inputError({ file, message: 'no nvidia-smi CSV header with "timestamp" and "utilization.gpu" (was it written with --format=csv,noheader?)' });

  const fields = new Map<string, FieldColumn>();
  const series = new Map<number, SampleSeriesBuilder>();
  const names = new Map<number, string>();
  let headerSeen = false;

  for await (const row of csvRows(file, header.line, options)) {
    if (!headerSeen) {
      headerSeen = true;
      row.cells.forEach((cell, index) => {
        const m = /^([\w.]+)\s*(?:\[([^\]]*)\])?$/.exec(cell.trim());
        if (m) fields.set((m[1] as string).toLowerCase(), { index, ...(m[2] ? { unit: m[2] } : {}) });
      });
      if (!fields.has('index')) {
        throw inputError({ file, line: row.line, message: 'no "index" column: add index to --query-gpu so rows can be told apart by GPU' });
      }
      const unit = fields.get('utilization.gpu')?.unit;
      if (unit !== undefined && unit !== '%') {
        throw inputError({ file, line: row.line, column: (fields.get('utilization.gpu')?.index ?? 0) + 1, field: 'utilization.gpu', value: unit, message: "unknown unit (expected '%')" });
      }
      const memoryUnit = fields.get('memory.used')?.unit;
      if (memoryUnit !== undefined && MEMORY_UNIT_BYTES[memoryUnit] === undefined) {
        throw inputError({ file, line: row.line, column: (fields.get('memory.used')?.index ?? 0) + 1, field: 'memory.used', value: memoryUnit, message: 'unknown memory unit (expected MiB, GiB, KiB, B, MB or GB)' });
      }
      continue;
    }
    if (row.cells.length === 1 && row.cells[0] === '') continue;
    builder.recordsRead++;
    const cellOf = (name: string) => {
      const column = fields.get(name);
      return column === undefined ? undefined : { text: (row.cells[column.index] ?? '').trim(), column: column.index + 1 };
    };
    const problem = (name: string, message: string): never => {
      const cell = cellOf(name);
      throw inputError({ file, line: row.line, ...(cell ? { column: cell.column, value: cell.text } : {}), field: name, message });
    };
    // Values may repeat the header's unit ("87 %", "40000 MiB", "250.12 W").
    const numberOf = (name: string): number => {
      const cell = cellOf(name);
      if (!cell || isMissingValue(cell.text)) return NaN;
      const value = Number(cell.text.replace(/\s*(%|[KMG]i?B|B|W)$/, ''));
      if (!Number.isFinite(value)) problem(name, 'not a number');
      return value;
    };
    const timestampText = cellOf('timestamp')?.text ?? '';
    const epochMs = parseNvidiaSmiTimestamp(timestampText);
    if (epochMs === undefined) problem('timestamp', 'not a timestamp like 2024/05/01 12:00:00.123');
    const indexText = cellOf('index')?.text ?? '';
    if (!/^\d+$/.test(indexText)) problem('index', 'not a GPU index');
    const index = Number(indexText);
    const utilizationPercent = numberOf('utilization.gpu');
    if (utilizationPercent < 0 || utilizationPercent > 100) problem('utilization.gpu', 'outside 0–100 %');
    const memoryField = fields.get('memory.used');
    const memoryBytes = numberOf('memory.used') * (MEMORY_UNIT_BYTES[memoryField?.unit ?? 'MiB'] as number);
    const powerW = numberOf('power.draw');
    const nameText = cellOf('name')?.text;
    if (nameText && !names.has(index)) names.set(index, nameText);
    let deviceSeries = series.get(index);
    if (!deviceSeries) {
      deviceSeries = new SampleSeriesBuilder('utilization.gpu');
      series.set(index, deviceSeries);
    }
    deviceSeries.add(builder.relativeS(epochMs as number, 1e-3), utilizationPercent / 100, memoryBytes, powerW);
  }
  if (series.size === 0) throw inputError({ file, message: 'no sample rows after the nvidia-smi header' });
  for (const [index, deviceSeries] of [...series].sort((a, b) => a[0] - b[0])) {
    const rawName = names.get(index);
    const catalogId = rawName ? catalogIdForGpuName(rawName) : undefined;
    builder.describeDevice(fileIndex, index, { ...(rawName ? { rawName } : {}), ...(catalogId ? { catalogId } : {}) });
    builder.setSamples(fileIndex, index, deviceSeries.freeze());
    if (deviceSeries.outOfOrder) builder.note(`${file}: GPU ${index} samples were out of time order and have been sorted`);
  }
  builder.addRank({ file });
  builder.note('nvidia-smi timestamps have no time zone; only differences between them are used');
}
