import type { GpuProfile, GpuProfileRow } from '../../traces/types.js';
import { findGpu, findModel } from '../catalog/index.js';
import type { CollectiveKey } from '../collectives.js';
import { isLayerOperator, OPERATOR_CLASS, type KernelClass, type LayerOperator } from '../operators.js';
import type { GpuSpec, ModelSpec } from '../types.js';

/**
 * Sorts GPU-profile rows into the groups calibration fits — a kernel class, a collective over a
 * link scope, the decode step or the prefill of a serving engine — and drops, with a note, rows
 * the cost model has no counterpart for (unknown device, model or operator).
 */

export type FitGroup = `kernel:${KernelClass}` | `collective:${CollectiveKey}` | 'decode' | 'prefill';

export interface CalibrationRow {
  readonly row: GpuProfileRow;
  readonly gpu: GpuSpec;
  /** Undefined for collectives. */
  readonly model: ModelSpec | undefined;
  readonly group: FitGroup;
  /** The fidelity report's operator label: the op, and the link scope for collectives. */
  readonly opLabel: string;
  /** Identity of the measured configuration; repeats share it. */
  readonly configuration: string;
}

export interface ClassifiedRows {
  readonly rows: readonly CalibrationRow[];
  readonly notes: readonly string[];
}

export function classifyProfiles(profiles: readonly GpuProfile[]): ClassifiedRows {
  const rows: CalibrationRow[] = [];
  const skipped = new Map<string, number>();
  const seen = new Set<string>();
  let duplicates = 0;
  const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  for (const profile of profiles) {
    for (const row of profile.rows) {
      const gpu = findGpu(row.device);
      if (!gpu) {
        skip(`device '${row.device}' is not in the GPU catalog`);
        continue;
      }
      if (!(row.timeS > 0) || !Number.isFinite(row.timeS)) {
        skip(`non-positive time (op ${row.op})`);
        continue;
      }
      const classified = classifyRow(row, gpu);
      if (typeof classified === 'string') {
        skip(classified);
        continue;
      }
      // The same configuration with the same time listed twice (SplitwiseSim repeats one block of 5 three times) would leak between folds.
      const identity = `${classified.configuration}=${row.timeS}`;
      if (seen.has(identity)) {
        duplicates++;
        continue;
      }
      seen.add(identity);
      rows.push(classified);
    }
  }
  const notes = [...skipped.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([reason, count]) => `skipped ${count} rows: ${reason}`);
  if (duplicates > 0) notes.push(`dropped ${duplicates} rows repeating another row exactly (same configuration and time)`);
  return { rows, notes };
}

function classifyRow(row: GpuProfileRow, gpu: GpuSpec): CalibrationRow | string {
  const common = (group: FitGroup, model: ModelSpec | undefined, opLabel: string, keys: readonly unknown[]): CalibrationRow => ({
    row,
    gpu,
    model,
    group,
    opLabel,
    configuration: [gpu.id, model?.id ?? '', row.op, ...keys].join('|'),
  });
  if (row.op === 'all_reduce' || row.op === 'send_recv') {
    if (row.bytes === undefined || row.workers === undefined) return `${row.op} without bytes or workers`;
    const scope = row.crossNode ? 'inter-node' : 'intra-node';
    return common(`collective:${row.op}/${scope}`, undefined, `${row.op}/${scope}`, [row.workers, scope, row.bytes]);
  }
  const model = findModel(row.model);
  if (!model) return `model '${row.model}' is not in the model catalog`;
  if (isLayerOperator(row.op)) {
    if (row.tokens === undefined) return `${row.op} without tokens`;
    return common(`kernel:${OPERATOR_CLASS[row.op as LayerOperator]}`, model, row.op, [row.tp, row.tokens]);
  }
  if (row.op === 'decode_token') {
    if (row.batch === undefined || row.contextTokens === undefined || row.outputTokens === undefined) return 'decode_token without batch, contextTokens or outputTokens';
    return common('decode', model, row.op, [row.tp, row.batch, row.contextTokens, row.outputTokens]);
  }
  if (row.op === 'prefill') {
    if (row.batch === undefined || row.tokens === undefined) return 'prefill without batch or tokens';
    return common('prefill', model, row.op, [row.tp, row.batch, row.tokens, row.outputTokens ?? '']);
  }
  return `op '${row.op}' has no cost-model counterpart`;
}

/** Mean context per sequence over a measured decode run: the prompt plus half the generated tokens. */
export function meanDecodeContext(row: GpuProfileRow): number {
  return row.contextTokens! + (row.outputTokens! - 1) / 2;
}

/** Rows of one configuration merged by their median time. */
export interface Configuration {
  readonly rows: readonly CalibrationRow[];
  readonly first: CalibrationRow;
  readonly medianTimeS: number;
}

export function groupConfigurations(rows: readonly CalibrationRow[]): Configuration[] {
  const byKey = new Map<string, CalibrationRow[]>();
  for (const row of rows) {
    const list = byKey.get(row.configuration);
    if (list) list.push(row);
    else byKey.set(row.configuration, [row]);
  }
  return [...byKey.keys()].sort().map((key) => {
    const list = byKey.get(key)!;
    const times = list.map((r) => r.row.timeS).sort((a, b) => a - b);
    const mid = times.length >> 1;
    const medianTimeS = times.length % 2 === 1 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
    return { rows: list, first: list[0]!, medianTimeS };
  });
}
