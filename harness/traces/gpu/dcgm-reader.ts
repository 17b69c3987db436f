import { StringDecoder } from 'node:string_decoder';
import { inputError } from '../../util/input-error.js';
import { readContentChunks, type ByteStreamOptions } from './open-input.js';
import type { GpuTraceBuilder } from './trace-builder.js';
import { SampleSeriesBuilder, isMissingValue } from './utilization-samples.js';

/**
 * DCGM `dcgmi dmon -e <field ids> [-d <delay ms>]` text output:
 *
 *   #Entity   GPUTL   FBUSD   POWER
 *   ID                        W
 *   GPU 0     87      40123   250.300
 *   GPU 1     N/A     ...
 *
 * One row per entity per sample, the header repeated now and then. dmon prints no timestamps:
 * sample k of an entity is placed at k × delay, with the delay given by the caller (dcgmi's
 * `--delay`, 1000 ms unless set). Utilisation comes from GPUTL (field 203, percent), else GRACT
 * (1001, graphics-engine active ratio), else SMACT (1002, SM active ratio).
 */
export const DCGM_DEFAULT_DELAY_MS = 1000;

export interface DcgmReadOptions extends ByteStreamOptions {
  readonly delayMs?: number;
}

const UTILIZATION_FIELDS: readonly { readonly name: string; readonly scale: number; readonly max: number }[] = [
  { name: 'GPUTL', scale: 0.01, max: 100 },
  { name: 'GRACT', scale: 1, max: 1 },
  { name: 'SMACT', scale: 1, max: 1 },
];

export function isDcgmHeader(line: string): boolean {
  return /^#Entity\b/.test(line.trim());
}

async function* textLines(file: string, options: ByteStreamOptions): AsyncGenerator<{ text: string; line: number }> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  for await (const chunk of readContentChunks(file, options)) {
    pending += decoder.write(chunk);
    let from = 0;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      line++;
      yield { text: pending.slice(from, newline).replace(/\r$/, ''), line };
      from = newline + 1;
      newline = pending.indexOf('\n', from);
    }
    pending = pending.slice(from);
  }
  pending += decoder.end();
  if (pending !== '') yield { text: pending.replace(/\r$/, ''), line: line + 1 };
}

export async function readDcgmFile(file: string, builder: GpuTraceBuilder, options: DcgmReadOptions = {}): Promise<void> {
  const fileIndex = builder.addSource(file);
  const delayMs = options.delayMs ?? DCGM_DEFAULT_DELAY_MS;
  if (!(delayMs > 0)) throw inputError({ file, field: 'delay', value: delayMs, message: 'the dmon sample delay must be a positive number of milliseconds' });
  let fields: string[] | undefined;
  let utilization: { column: number; name: string; scale: number; max: number } | undefined;
  let memoryColumn = -1;
  let powerColumn = -1;
  const series = new Map<number, SampleSeriesBuilder>();
  let otherEntities = 0;

  for await (const { text, line } of textLines(file, options)) {
    const trimmed = text.trim();
    if (trimmed === '') continue;
    if (isDcgmHeader(trimmed)) {
      const next = trimmed.split(/\s+/).slice(1);
      if (fields && next.join(' ') !== fields.join(' ')) {
        throw inputError({ file, line, value: trimmed, message: `the field header changed mid-file (was: ${fields.join(' ')}); one dmon run per file` });
      }
      fields = next;
      const found = UTILIZATION_FIELDS.map((f) => ({ ...f, column: next.indexOf(f.name) })).find((f) => f.column >= 0);
      if (!found) throw inputError({ file, line, value: trimmed, message: 'no utilisation field: monitor GPUTL (-e 203), GRACT (1001) or SMACT (1002)' });
      utilization = found;
      memoryColumn = next.indexOf('FBUSD');
      powerColumn = next.indexOf('POWER');
      continue;
    }
    if (/^ID\b/.test(trimmed)) continue; // the units line under the header
    if (!fields || !utilization) {
      throw inputError({ file, line, value: trimmed, message: 'expected the "#Entity …" header of `dcgmi dmon` before any data' });
    }
    const entity = /^(GPU|GPU-I|GPU-CI|Switch|CPU|Core|Link|NvSwitch|[A-Za-z-]+)\s+(\d+)\s*(.*)$/.exec(trimmed);
    if (!entity) throw inputError({ file, line, value: trimmed, message: 'not a dmon data row ("GPU <id> <values…>")' });
    if (entity[1] !== 'GPU') {
      otherEntities++;
      continue;
    }
    builder.recordsRead++;
    const values = (entity[3] as string).split(/\s+/).filter((v) => v !== '');
    if (values.length !== fields.length) {
      throw inputError({ file, line, value: trimmed, message: `${values.length} values for ${fields.length} fields (${fields.join(' ')})` });
    }
    const numberAt = (column: number): number => {
      if (column < 0) return NaN;
      const valueText = values[column] as string;
      if (isMissingValue(valueText)) return NaN;
      const value = Number(valueText);
      if (!Number.isFinite(value)) throw inputError({ file, line, column: text.indexOf(valueText) + 1, field: fields![column], value: valueText, message: 'not a number' });
      return value;
    };
    const raw = numberAt(utilization.column);
    if (raw < 0 || raw > utilization.max) {
      throw inputError({ file, line, field: utilization.name, value: values[utilization.column], message: `outside 0–${utilization.max}` });
    }
    const index = Number(entity[2]);
    let deviceSeries = series.get(index);
    if (!deviceSeries) {
      deviceSeries = new SampleSeriesBuilder(utilization.name);
      series.set(index, deviceSeries);
    }
    const sampleMs = deviceSeries.count * delayMs;
    deviceSeries.add(builder.relativeS(sampleMs, 1e-3), raw * utilization.scale, numberAt(memoryColumn) * 2 ** 20, numberAt(powerColumn));
  }
  if (series.size === 0) throw inputError({ file, message: 'no GPU rows in the dmon output' });
  for (const [index, deviceSeries] of [...series].sort((a, b) => a[0] - b[0])) {
    builder.describeDevice(fileIndex, index, {});
    builder.setSamples(fileIndex, index, deviceSeries.freeze());
  }
  if (otherEntities > 0) builder.note(`${file}: ${otherEntities} rows of non-GPU entities (GPU instances, switches, links) were skipped`);
  builder.addRank({ file });
  builder.note(`dcgmi dmon prints no timestamps: samples are placed ${delayMs} ms apart (--dcgm-delay-ms)`);
}
