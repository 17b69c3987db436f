import { createProblemCollector, type ProblemCollector } from '../problems.js';
import { openCsv } from '../source/csv.js';
import { inUnit, parseNumberCell, rules, type NumberRules } from '../source/values.js';
import type { GpuProfile, GpuProfileRow } from '../types.js';
import { catalogId, SPLITWISE_DEVICE_IDS, SPLITWISE_MODEL_IDS } from './catalog-ids.js';

export const SPLITWISE_FORMAT = 'splitwise-perf-model';

export const SPLITWISE_COLUMNS = ['model', 'hardware', 'prompt_size', 'batch_size', 'token_size', 'prompt_time', 'token_time', 'tensor_parallel'] as const;

/**
 * Reads SplitwiseSim's `data/perf_model.csv` (measured on DGX-A100 / DGX-H100). Every CSV row gives
 * two GpuProfileRows:
 * - op 'prefill': timeS = prompt_time (ms → s), batch = batch_size, tokens = prompt_size (per
 *   sequence), contextTokens = prompt_size;
 * - op 'decode_token': timeS = token_time (ms → s, the mean time per generated token over the run),
 *   batch = batch_size, contextTokens = prompt_size, outputTokens = token_size.
 * Repeated measurements of one configuration (the file has 5 of each) are all kept, not averaged:
 * fitters see the spread and can aggregate as they need.
 */
export async function readSplitwisePerfModel(path: string, problems: ProblemCollector = createProblemCollector()): Promise<GpuProfile> {
  const table = await openCsv(path, { problems, requiredColumns: SPLITWISE_COLUMNS });
  const col = (name: string): number => table.columnIndex.get(name)!;
  const unmapped = new Set<string>();
  const repeats = new Map<string, number>();
  const rows: GpuProfileRow[] = [];
  for await (const { cells, line } of table.records()) {
    const site = (field: string) => ({ file: path, line, column: col(field) + 1, field });
    const number = (field: string, numberRules: NumberRules) => parseNumberCell(cells[col(field)]!, site(field), numberRules, problems);
    const modelName = cells[col('model')]!.trim();
    const hardware = cells[col('hardware')]!.trim();
    if (modelName === '') problems.add({ ...site('model'), value: modelName, message: 'is empty' });
    if (hardware === '') problems.add({ ...site('hardware'), value: hardware, message: 'is empty' });
    const promptSize = number('prompt_size', { ...rules.TOKENS, min: 1 });
    const batch = number('batch_size', rules.SEQUENCES);
    const tokenSize = number('token_size', { ...rules.TOKENS, min: 1 });
    const tp = number('tensor_parallel', rules.GPUS);
    // Times in milliseconds: a prompt's prefill, and the mean time per generated token (a decode step).
    const promptMs = number('prompt_time', inUnit(rules.PREFILL_S, 'ms', 1000));
    const tokenMs = number('token_time', inUnit(rules.DECODE_STEP_S, 'ms', 1000));
    if (modelName === '' || hardware === '' || promptSize === undefined || batch === undefined || tokenSize === undefined || tp === undefined || promptMs === undefined || tokenMs === undefined)
      continue;
    const device = catalogId(SPLITWISE_DEVICE_IDS, hardware);
    const model = catalogId(SPLITWISE_MODEL_IDS, modelName);
    if (!device.mapped) unmapped.add(`hardware '${hardware}'`);
    if (!model.mapped) unmapped.add(`model '${modelName}'`);
    const key = [modelName, hardware, promptSize, batch, tokenSize, tp].join('/');
    repeats.set(key, (repeats.get(key) ?? 0) + 1);
    const common = { device: device.id, model: model.id, batch, contextTokens: promptSize, tp, file: path, line };
    rows.push({ ...common, op: 'prefill', tokens: promptSize, timeS: promptMs / 1000 });
    rows.push({ ...common, op: 'decode_token', outputTokens: tokenSize, timeS: tokenMs / 1000 });
  }
  problems.throwIfAny();
  const counts = [...repeats.values()];
  const notes = [
    `${repeats.size} configurations, each measured ${Math.min(...counts)}${Math.max(...counts) !== Math.min(...counts) ? `–${Math.max(...counts)}` : ''} times; every measurement is kept as its own row (aggregate in the fitter)`,
    "each CSV row gives a 'prefill' row (prompt_time) and a 'decode_token' row (token_time: mean per generated token over token_size tokens)",
  ];
  if (unmapped.size > 0) notes.push(`no catalog id for ${[...unmapped].sort().join(', ')}; kept as written`);
  return {
    format: SPLITWISE_FORMAT,
    sources: [path],
    provenance: [{ source: 'SplitwiseSim (Mutinifni/splitwise-sim) data/perf_model.csv: DGX-A100 / DGX-H100 measurements of the Splitwise paper (ISCA 2024)' }],
    rows,
    notes,
  };
}
