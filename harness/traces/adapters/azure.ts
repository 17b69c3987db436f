import { basename } from 'node:path';
import { checkGroup } from '../group-checks.js';
import { collectWorkload, type LengthGroupItem, type LengthGroupStream, type LengthReadOptions } from '../length-stream.js';
import { createProblemCollector, type ProblemCollector } from '../problems.js';
import { openCsv, type CsvTable } from '../source/csv.js';
import { parseNumberCell, rules } from '../source/values.js';
import type { Workload } from '../types.js';
import { requestGroup, requestTraceMeta } from './request-trace.js';

export const AZURE_FORMAT = 'azure-llm';
export const AZURE_COLUMNS = ['TIMESTAMP', 'ContextTokens', 'GeneratedTokens'] as const;

/**
 * Reads the Azure LLM inference trace (`AzureLLMInferenceTrace_{code,conv}.csv`, Splitwise ISCA'24):
 * one request per row, prompt tokens = ContextTokens, one response of GeneratedTokens, arrival =
 * seconds after the first row's TIMESTAMP. Group id = the request's 0-based row index.
 */
export async function readAzureTrace(path: string, options: { maxResponseTokens?: number } = {}): Promise<Workload> {
  return collectWorkload(await openAzureTrace(path, { ...options, problems: createProblemCollector() }));
}

export async function openAzureTrace(path: string, options: LengthReadOptions): Promise<LengthGroupStream> {
  const table = await openCsv(path, { problems: options.problems, requiredColumns: AZURE_COLUMNS });
  const meta = requestTraceMeta(AZURE_FORMAT, path, `Azure LLM inference trace 2023 (${basename(path)})`, options.maxResponseTokens, [
    'arrivalTimeS = seconds after the first request (TIMESTAMP is wall-clock, read as UTC)',
  ]);
  return { meta, groups: streamAzure(table, options.maxResponseTokens, options.problems) };
}

/** Parses `2023-11-16 18:17:03.9799600` into whole seconds since the epoch (UTC) and the fraction, kept apart so sub-microsecond digits survive. */
export function parseAzureTimestamp(text: string): { seconds: number; fraction: number } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, frac] = match;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  return { seconds: ms / 1000, fraction: frac ? Number(`0.${frac}`) : 0 };
}

async function* streamAzure(table: CsvTable, cap: number | undefined, problems: ProblemCollector): AsyncGenerator<LengthGroupItem> {
  const file = table.path;
  const col = (name: string): number => table.columnIndex.get(name)!;
  let first: { seconds: number; fraction: number } | undefined;
  let index = 0;
  for await (const { cells, line } of table.records()) {
    const site = (field: string) => ({ file, line, column: col(field) + 1, field });
    const stampText = cells[col('TIMESTAMP')]!;
    const stamp = parseAzureTimestamp(stampText);
    if (!stamp) problems.add({ ...site('TIMESTAMP'), value: stampText, message: 'is not a timestamp like 2023-11-16 18:17:03.9799600' });
    const promptTokens = parseNumberCell(cells[col('ContextTokens')]!, site('ContextTokens'), rules.TOKENS, problems);
    const generated = parseNumberCell(cells[col('GeneratedTokens')]!, site('GeneratedTokens'), rules.TOKENS, problems);
    if (!stamp || promptTokens === undefined || generated === undefined) continue;
    first ??= stamp;
    const arrivalTimeS = stamp.seconds - first.seconds + (stamp.fraction - first.fraction);
    if (arrivalTimeS < 0) {
      problems.add({ ...site('TIMESTAMP'), value: stampText, message: 'is earlier than the first request: rows must be in time order' });
      continue;
    }
    const group = requestGroup(index++, promptTokens, generated, cap, { arrivalTimeS });
    if (checkGroup(group, cap, { file, line }, problems)) yield { group };
  }
  problems.throwIfAny();
}
