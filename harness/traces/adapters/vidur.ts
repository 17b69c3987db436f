import { basename, dirname, resolve } from 'node:path';
import { createProblemCollector, type ProblemCollector } from '../problems.js';
import { openCsv } from '../source/csv.js';
import { inUnit, parseNumberCell, rules } from '../source/values.js';
import { operationTimeRules } from '../canonical/gpu-profile-csv.js';
import type { GpuProfile, GpuProfileRow } from '../types.js';
import { catalogId, VIDUR_DEVICE_IDS, VIDUR_MODEL_IDS } from './catalog-ids.js';

export const VIDUR_MLP_FORMAT = 'vidur-mlp';
export const VIDUR_COLLECTIVE_FORMAT = 'vidur-collective';

/** Vidur times are milliseconds; dividing (not multiplying by 1e-3) keeps values like 1.963 ms → 0.001963 s exact. */
const msToS = (ms: number): number => ms / 1000;
const VIDUR_ENGINE = 'Vidur profiler (sarathi-serve kernels, CUDA-event timings)';
const MODEL_SHAPE_COLUMNS = ['n_head', 'n_kv_head', 'n_embd', 'n_expanded_embd', 'vocab_size', 'use_gated_mlp'] as const;

/** The operators of a Vidur `mlp.csv` header: every `time_stats.<op>.median` column. */
export function vidurOperators(header: readonly string[]): string[] {
  return header.map((name) => /^time_stats\.(.+)\.median$/.exec(name)?.[1]).filter((op): op is string => op !== undefined);
}

/**
 * Reads Vidur's per-operator profile `compute/<sku>/<org>/<model>/mlp.csv`: one GpuProfileRow per
 * (CSV row, operator) with the median time (ms → s) and its standard deviation, `tokens` =
 * num_tokens, `tp` = num_tensor_parallel_workers. Device and model come from the folder names,
 * mapped to catalog ids ('a100' → 'a100-80gb', 'Llama-2-70b-hf' → 'llama-2-70b').
 */
export async function readVidurMlp(path: string, problems: ProblemCollector = createProblemCollector()): Promise<GpuProfile> {
  const table = await openCsv(path, { problems, requiredColumns: ['num_tokens', 'num_tensor_parallel_workers'], allowUnnamedColumns: true });
  const operators = vidurOperators(table.header);
  if (operators.length === 0) {
    table.close();
    problems.add({ file: path, line: table.headerLine, column: 1, field: 'time_stats.<op>.median', message: 'no operator timing columns (time_stats.<op>.median)' });
  }
  problems.throwIfAny();
  const notes: string[] = [];
  const folders = vidurComputeFolders(path);
  const device = catalogId(VIDUR_DEVICE_IDS, folders.sku);
  const model = catalogId(VIDUR_MODEL_IDS, folders.model);
  if (!device.mapped) notes.push(`device '${folders.sku}' (from the folder name) has no catalog id; kept as written`);
  if (!model.mapped) notes.push(`model '${folders.model}' (from the folder name) has no catalog id; kept as written`);

  const col = (name: string): number => table.columnIndex.get(name)!;
  const tokensCol = col('num_tokens');
  const tpCol = col('num_tensor_parallel_workers');
  const opColumns = operators.map((op) => ({ op, median: col(`time_stats.${op}.median`), std: table.columnIndex.get(`time_stats.${op}.std`) }));
  const shapeColumns = MODEL_SHAPE_COLUMNS.filter((name) => table.columnIndex.has(name));
  const shapes = new Set<string>();
  const rows: GpuProfileRow[] = [];
  for await (const { cells, line } of table.records()) {
    const site = (field: string, index: number) => ({ file: path, line, column: index + 1, field });
    const tokens = parseNumberCell(cells[tokensCol]!, site('num_tokens', tokensCol), { ...rules.BATCH_TOKENS, min: 1 }, problems);
    const tp = parseNumberCell(cells[tpCol]!, site('num_tensor_parallel_workers', tpCol), rules.GPUS, problems);
    if (tokens === undefined || tp === undefined) continue;
    shapes.add(shapeColumns.map((name) => `${name}=${cells[col(name)]}`).join(' '));
    for (const { op, median, std } of opColumns) {
      const timeRules = inUnit(operationTimeRules(op), 'ms', 1000);
      const medianMs = parseNumberCell(cells[median]!, site(`time_stats.${op}.median`, median), timeRules, problems);
      const stdMs = std === undefined ? undefined : parseNumberCell(cells[std]!, site(`time_stats.${op}.std`, std), timeRules, problems);
      if (medianMs === undefined || (std !== undefined && stdMs === undefined)) continue;
      rows.push({
        device: device.id,
        model: model.id,
        op,
        tokens,
        tp,
        timeS: msToS(medianMs),
        ...(stdMs !== undefined ? { timeStdS: msToS(stdMs) } : {}),
        file: path,
        line,
      });
    }
  }
  problems.throwIfAny();
  if (shapeColumns.length > 0) notes.push(`model shape columns: ${[...shapes].sort().join('; ')}`);
  notes.push('timeS is the median of the repeated CUDA-event measurements (ms in the file), timeStdS their standard deviation');
  return {
    format: VIDUR_MLP_FORMAT,
    sources: [path],
    provenance: [{ source: `Vidur profiling data (microsoft/vidur) compute/${folders.sku}/${folders.org}/${folders.model}/${basename(path)}`, engine: VIDUR_ENGINE }],
    rows,
    notes,
  };
}

/**
 * Reads Vidur's NCCL profile `network/<node>/all_reduce.csv` or `send_recv.csv`: one row per CSV
 * row with op = the `collective` column, `bytes` = size, `workers` = num_workers, `crossNode` when
 * the workers span nodes (devices_per_node < num_workers), the median time (ms → s) and its std.
 * Collectives have no tensor parallelism of their own: `tp` is 1 and `model` is empty.
 */
export async function readVidurCollective(path: string, problems: ProblemCollector = createProblemCollector()): Promise<GpuProfile> {
  const table = await openCsv(path, { problems, requiredColumns: ['size', 'num_workers', 'devices_per_node', 'collective'], allowUnnamedColumns: true });
  const medianColumn = table.header.find((name) => /^time_stats\..+\.median$/.test(name));
  if (!medianColumn) {
    table.close();
    problems.add({ file: path, line: table.headerLine, column: 1, field: 'time_stats.<collective>.median', message: 'no timing column (time_stats.<collective>.median)' });
  }
  problems.throwIfAny();
  const node = basename(dirname(resolve(path)));
  const device = catalogId(VIDUR_DEVICE_IDS, node);
  const notes: string[] = [];
  if (!device.mapped) notes.push(`device '${node}' (from the folder name) has no catalog id; kept as written`);
  const col = (name: string): number => table.columnIndex.get(name)!;
  const medianCol = col(medianColumn!);
  const stdCol = table.columnIndex.get(medianColumn!.replace(/\.median$/, '.std'));
  const rows: GpuProfileRow[] = [];
  const ops = new Set<string>();
  for await (const { cells, line } of table.records()) {
    const site = (field: string) => ({ file: path, line, column: col(field) + 1, field });
    const bytes = parseNumberCell(cells[col('size')]!, site('size'), rules.BYTES, problems);
    const workers = parseNumberCell(cells[col('num_workers')]!, site('num_workers'), rules.GPUS, problems);
    const devicesPerNode = parseNumberCell(cells[col('devices_per_node')]!, site('devices_per_node'), rules.GPUS, problems);
    const op = cells[col('collective')]!.trim();
    if (op === '') problems.add({ ...site('collective'), value: op, message: 'is empty' });
    const medianMs = parseNumberCell(cells[medianCol]!, site(medianColumn!), inUnit(rules.OPERATION_S, 'ms', 1000), problems);
    const stdMs = stdCol === undefined ? undefined : parseNumberCell(cells[stdCol]!, { file: path, line, column: stdCol + 1, field: table.header[stdCol]! }, inUnit(rules.OPERATION_S, 'ms', 1000), problems);
    if (bytes === undefined || workers === undefined || devicesPerNode === undefined || op === '' || medianMs === undefined || (stdCol !== undefined && stdMs === undefined)) continue;
    ops.add(op);
    rows.push({
      device: device.id,
      model: '',
      op,
      tp: 1,
      bytes,
      workers,
      crossNode: devicesPerNode < workers,
      timeS: msToS(medianMs),
      ...(stdMs !== undefined ? { timeStdS: msToS(stdMs) } : {}),
      file: path,
      line,
    });
  }
  problems.throwIfAny();
  notes.push('timeS is the median of repeated NCCL measurements (ms in the file); crossNode = devices_per_node < num_workers');
  return {
    format: VIDUR_COLLECTIVE_FORMAT,
    sources: [path],
    provenance: [{ source: `Vidur profiling data (microsoft/vidur) network/${node}/${basename(path)}`, engine: 'Vidur profiler (NCCL collectives)' }],
    rows,
    notes,
  };
}

/** The sku, org and model folder names around a Vidur `compute/<sku>/<org>/<model>/mlp.csv`. */
function vidurComputeFolders(path: string): { sku: string; org: string; model: string } {
  const modelDir = dirname(resolve(path));
  const orgDir = dirname(modelDir);
  return { model: basename(modelDir), org: basename(orgDir), sku: basename(dirname(orgDir)) };
}
