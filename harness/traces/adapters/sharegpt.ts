import { basename } from 'node:path';
import { checkGroup } from '../group-checks.js';
import { collectWorkload, type LengthGroupItem, type LengthGroupStream, type LengthReadOptions } from '../length-stream.js';
import { createProblemCollector, type ProblemCollector } from '../problems.js';
import { openCsv, type CsvTable } from '../source/csv.js';
import { parseNumberCell, rules } from '../source/values.js';
import type { Workload } from '../types.js';
import { requestGroup, requestTraceMeta } from './request-trace.js';

export const SHAREGPT_FORMAT = 'sharegpt-stats';
export const SHAREGPT_COLUMNS = ['num_prefill_tokens', 'num_decode_tokens'] as const;

/**
 * Reads sarathi-serve's ShareGPT length statistics (`sharegpt_8k_filtered_stats_llama2_tokenizer.csv`):
 * one assistant turn per row, prompt tokens = num_prefill_tokens (the conversation so far plus the
 * user turn), one response of num_decode_tokens. Groups of one (`singleResponseGroups`), group
 * id = the row's 0-based index. num_total_tokens, when present, must equal their sum.
 */
export async function readShareGptStats(path: string, options: { maxResponseTokens?: number } = {}): Promise<Workload> {
  return collectWorkload(await openShareGptStats(path, { ...options, problems: createProblemCollector() }));
}

export async function openShareGptStats(path: string, options: LengthReadOptions): Promise<LengthGroupStream> {
  const table = await openCsv(path, { problems: options.problems, requiredColumns: SHAREGPT_COLUMNS });
  const meta = requestTraceMeta(SHAREGPT_FORMAT, path, `ShareGPT conversation turn lengths, Llama-2 tokenizer (${basename(path)})`, options.maxResponseTokens, [
    'each row is one assistant turn; prompt tokens include the conversation history, so turns of one conversation share a prefix the file does not identify',
    'responses are ChatGPT answers, not RL policy samples: a fallback length distribution',
  ]);
  return { meta, groups: streamShareGpt(table, options.maxResponseTokens, options.problems) };
}

async function* streamShareGpt(table: CsvTable, cap: number | undefined, problems: ProblemCollector): AsyncGenerator<LengthGroupItem> {
  const file = table.path;
  const col = (name: string): number | undefined => table.columnIndex.get(name);
  const totalCol = col('num_total_tokens');
  let index = 0;
  for await (const { cells, line } of table.records()) {
    const site = (field: string) => ({ file, line, column: col(field)! + 1, field });
    const prefill = parseNumberCell(cells[col('num_prefill_tokens')!]!, site('num_prefill_tokens'), rules.TOKENS, problems);
    const decode = parseNumberCell(cells[col('num_decode_tokens')!]!, site('num_decode_tokens'), rules.TOKENS, problems);
    const total = totalCol === undefined ? undefined : parseNumberCell(cells[totalCol]!, site('num_total_tokens'), rules.TOKENS, problems);
    if (prefill === undefined || decode === undefined || (totalCol !== undefined && total === undefined)) continue;
    if (total !== undefined && total !== prefill + decode) {
      problems.add({ ...site('num_total_tokens'), value: cells[totalCol!], message: `differs from num_prefill_tokens + num_decode_tokens = ${prefill + decode}` });
      continue;
    }
    const group = requestGroup(index++, prefill, decode, cap);
    if (checkGroup(group, cap, { file, line }, problems)) yield { group };
  }
  problems.throwIfAny();
}
