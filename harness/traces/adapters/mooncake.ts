import { basename } from 'node:path';
import { checkGroup } from '../group-checks.js';
import { collectWorkload, type LengthGroupItem, type LengthGroupStream, type LengthReadOptions } from '../length-stream.js';
import { createProblemCollector, type ProblemCollector } from '../problems.js';
import { readJsonLines } from '../source/json-lines.js';
import { expectNumber, expectNumberArray, inUnit, rules, type ValueSite } from '../source/values.js';
import type { Workload } from '../types.js';
import { requestGroup, requestTraceMeta } from './request-trace.js';

export const MOONCAKE_FORMAT = 'mooncake';
export const MOONCAKE_KEYS = ['timestamp', 'input_length', 'output_length', 'hash_ids'] as const;
/** Mooncake hashes prompts in blocks of 512 tokens; `hash_ids[i]` names block i (shared ids = shared prefix). */
export const MOONCAKE_BLOCK_TOKENS = 512;

/**
 * Reads a Mooncake trace (`conversation_trace.jsonl`, FAST'25): one request per line, prompt
 * tokens = input_length, one response of output_length, arrival = timestamp (ms → s), and the
 * prompt's 512-token prefix blocks as prefixBlockIds (hash_ids). Groups of one, id = line index.
 */
export async function readMooncakeTrace(path: string, options: { maxResponseTokens?: number } = {}): Promise<Workload> {
  return collectWorkload(await openMooncakeTrace(path, { ...options, problems: createProblemCollector() }));
}

export async function openMooncakeTrace(path: string, options: LengthReadOptions): Promise<LengthGroupStream> {
  const meta = requestTraceMeta(MOONCAKE_FORMAT, path, `Mooncake request trace (${basename(path)})`, options.maxResponseTokens, [
    `prefixBlockIds = hash_ids, blocks of ${MOONCAKE_BLOCK_TOKENS} tokens: requests sharing leading ids share that prompt prefix`,
    'arrivalTimeS = timestamp / 1000 (ms after the trace start)',
  ]);
  return { meta, groups: streamMooncake(path, options.maxResponseTokens, options.problems) };
}

async function* streamMooncake(file: string, cap: number | undefined, problems: ProblemCollector): AsyncGenerator<LengthGroupItem> {
  let index = 0;
  for await (const { value, line } of readJsonLines(file, problems)) {
    const before = problems.count;
    const site = (field: string): ValueSite => ({ file, line, field });
    for (const key of MOONCAKE_KEYS) if (!(key in value)) problems.add({ file, line, field: key, message: 'missing required key' });
    if (problems.count !== before) continue;
    const timestampMs = expectNumber(value.timestamp, site('timestamp'), inUnit(rules.TRACE_TIME_S, 'ms', 1000), problems);
    const input = expectNumber(value.input_length, site('input_length'), rules.TOKENS, problems);
    const output = expectNumber(value.output_length, site('output_length'), rules.TOKENS, problems);
    const hashIds = expectNumberArray(value.hash_ids, site('hash_ids'), rules.COUNT, problems);
    if (problems.count !== before) continue;
    const blocks = Math.ceil(input! / MOONCAKE_BLOCK_TOKENS);
    if (hashIds!.length !== blocks) {
      problems.add({ ...site('hash_ids'), value: hashIds, message: `has ${hashIds!.length} blocks, but input_length ${input} needs ceil(${input} / ${MOONCAKE_BLOCK_TOKENS}) = ${blocks}` });
      continue;
    }
    const group = requestGroup(index++, input!, output!, cap, { prefixBlockIds: hashIds!, prefixBlockTokens: MOONCAKE_BLOCK_TOKENS, arrivalTimeS: timestampMs! / 1000 });
    if (checkGroup(group, cap, { file, line }, problems)) yield { group };
  }
  problems.throwIfAny();
}
