import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWorkload } from '../../../harness/traces/read.js';
import { scratchDir } from '../../cli/run-cli.js';

async function csv(text: string, name = 'trace.csv'): Promise<string> {
  const dir = await scratchDir();
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const META_LINE = '# {"$meta":{"format":"rlhf-replay.lengths","version":1,"synthetic":false,"max_response_tokens":50,"max_response_tokens_source":"recorded","notes":[]}}\n';

describe('canonical lengths CSV', () => {
  it('assembles consecutive rows of a group, with group columns and per-sample columns', async () => {
    const path = await csv(
      `${META_LINE}# a free comment\niteration,group_id,prompt_id,prompt_tokens,reward_latency_s,prefix_block_ids,prefix_block_tokens,sample_index,response_tokens,truncated,tool_latency_s\n` +
        '0,"g,1",p,10,0.5,3 4,8,0,50,true,0.25\n0,"g,1",p,10,0.5,3 4,8,1,7,false,0\n0,h,,3,,,,0,9,false,\n1,g,,3,,,,0,9,false,\n',
    );
    const workload = await readWorkload(path);
    expect(workload.meta).toMatchObject({ format: 'lengths-csv', maxResponseTokens: 50, maxResponseTokensSource: 'recorded', synthetic: false, notes: [] });
    expect(workload.iterations.map((it) => it.groups.map((g) => g.groupId))).toEqual([['g,1', 'h'], ['g']]);
    expect(workload.iterations[0]!.groups[0]).toEqual({
      iteration: 0,
      groupId: 'g,1',
      promptId: 'p',
      promptTokens: 10,
      prefixBlockIds: [3, 4],
      prefixBlockTokens: 8,
      rewardLatencyS: 0.5,
      responseTokens: [50, 7],
      truncated: [true, false],
      toolLatencyS: [0.25, 0],
    });
    expect(workload.iterations[0]!.groups[1]).toEqual({ iteration: 0, groupId: 'h', promptId: 'h', promptTokens: 3, responseTokens: [9], truncated: [false] });
  });

  it('derives truncated from the cap when the column is absent, and says so', async () => {
    const path = await csv('iteration,group_id,prompt_tokens,response_tokens\n0,g,1,16\n0,g,1,3\n');
    const workload = await readWorkload(path, { maxResponseTokens: 16 });
    expect(workload.iterations[0]!.groups[0]!.truncated).toEqual([true, false]);
    expect(workload.meta.notes).toContain('no truncated column: a sample counts as truncated when it reaches the length cap (16)');
  });

  it('accepts a BOM, CRLF line ends and numbers written as 12.0', async () => {
    const path = await csv('\ufeffiteration,group_id,prompt_tokens,response_tokens,truncated\r\n0,g,1.0,12.0,FALSE\r\n0,g,1.0,3,1\r\n');
    const workload = await readWorkload(path);
    expect(workload.iterations[0]!.groups[0]).toMatchObject({ promptTokens: 1, responseTokens: [12, 3], truncated: [false, true] });
  });

  it.each<[string, string, string]>([
    ['a missing column', 'iteration,group_id,response_tokens\n0,g,1\n', ":1:1: field 'prompt_tokens': missing column (header has: iteration, group_id, response_tokens)"],
    ['a non-numeric cell', 'iteration,group_id,prompt_tokens,response_tokens\n0,g,ten,1\n', ":2:3: field 'prompt_tokens' value 'ten': is not a number"],
    ['NaN', 'iteration,group_id,prompt_tokens,response_tokens\n0,g,1,NaN\n', ":2:4: field 'response_tokens' value 'NaN': must be a finite number"],
    ['Infinity', 'iteration,group_id,prompt_tokens,response_tokens\n0,g,1,Infinity\n', ":2:4: field 'response_tokens' value 'Infinity': must be a finite number"],
    ['a negative count', 'iteration,group_id,prompt_tokens,response_tokens\n0,g,1,-4\n', ":2:4: field 'response_tokens' value '-4': must not be negative"],
    ['an empty cell', 'iteration,group_id,prompt_tokens,response_tokens\n0,g,,4\n', ":2:3: field 'prompt_tokens' value '': is empty; expected a number"],
    ['a bad boolean', 'iteration,group_id,prompt_tokens,response_tokens,truncated\n0,g,1,4,maybe\n', ":2:5: field 'truncated' value 'maybe': is not a boolean; expected true or false"],
    ['a short row', 'iteration,group_id,prompt_tokens,response_tokens\n0,g,1\n', ':2:4: row has 3 cells but the header has 4 columns'],
    ['header only', 'iteration,group_id,prompt_tokens,response_tokens\n', ':2:1: no data rows after the header'],
    ['an empty file', '', ':1:1: empty file: expected a CSV header line'],
    ['a group column that changes inside a group', 'iteration,group_id,prompt_tokens,response_tokens\n0,g,1,4\n0,g,2,5\n', ":3:3: field 'prompt_tokens' value '2': differs from the first row of group 'g' (line 2)"],
    ['a duplicate group (rows not consecutive)', 'iteration,group_id,prompt_tokens,response_tokens\n0,g,1,4\n0,h,1,4\n0,g,1,4\n', ":4: field 'group_id' value 'g': duplicate group id in iteration 0 (first on line 2)"],
    ['samples out of order', 'iteration,group_id,prompt_tokens,sample_index,response_tokens\n0,g,1,1,4\n', ":2:4: field 'sample_index' value '1': expected 0"],
    ['a response above the cap', `${META_LINE}iteration,group_id,prompt_tokens,response_tokens\n0,g,1,51\n`, ":3: field 'response_tokens[0]' value '51': exceeds the length cap max_response_tokens = 50"],
    ['an unknown column', 'iteration,group_id,prompt_tokens,response_tokens,colour\n0,g,1,4,red\n', ":1:5: field 'colour': unknown column"],
    ['an unclosed quote', 'iteration,group_id,prompt_tokens,response_tokens\n0,"g,1,4\n', ':2:1: not valid CSV: Quote Not Closed'],
  ])('rejects %s', async (_label, text, expected) => {
    const path = await csv(text);
    const error = (await readWorkload(path, { format: 'lengths-csv' }).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('InputError');
    expect(error.message).toContain(`${path}${expected}`);
  });
});
