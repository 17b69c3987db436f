import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWorkload } from '../../../harness/traces/read.js';
import { scratchDir } from '../../cli/run-cli.js';

const META = { format: 'rlhf-replay.lengths', version: 1, synthetic: true, generator: { name: 'lognormal', seed: 7, parameters: 'fits/dapo.json' }, max_response_tokens: 100, max_response_tokens_source: 'given', notes: ['hello'] };

async function file(lines: readonly unknown[], name = 'trace.jsonl'): Promise<string> {
  const dir = await scratchDir();
  const path = join(dir, name);
  writeFileSync(path, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
  return path;
}

describe('canonical lengths JSONL', () => {
  it('reads $meta and groups with every optional field', async () => {
    const path = await file([
      { $meta: META },
      {
        iteration: 0,
        epoch: 0,
        group_id: 'a',
        prompt_id: 'p-a',
        prompt_tokens: 10,
        shared_prefix_tokens: 4,
        prefix_block_ids: [1, 2],
        prefix_block_tokens: 2,
        reference_answer_tokens: 30,
        arrival_time_s: 1.5,
        reward_latency_s: 0.25,
        training_use: 'trained',
        response_tokens: [100, 20],
        truncated: [true, false],
        tool_latency_s: [0.1, 0],
        turns: [[{ prompt_tokens: 10, cached_tokens: 0, completion_tokens: 100, tool_latency_s: 0.1 }], [{ prompt_tokens: 10, cached_tokens: 4, completion_tokens: 20, tool_latency_s: 0 }]],
      },
      { iteration: 1, epoch: 0, group_id: 'a', prompt_tokens: 12, response_tokens: [5], truncated: [false] },
    ]);
    const workload = await readWorkload(path);
    expect(workload.meta).toEqual({
      format: 'lengths-jsonl',
      sources: [path],
      synthetic: true,
      generator: { name: 'lognormal', seed: 7, parameters: 'fits/dapo.json' },
      maxResponseTokens: 100,
      maxResponseTokensSource: 'given',
      notes: ['hello'],
    });
    expect(workload.iterations).toHaveLength(2);
    expect(workload.iterations[0]).toEqual({
      iteration: 0,
      epoch: 0,
      groups: [
        {
          iteration: 0,
          groupId: 'a',
          promptId: 'p-a',
          promptTokens: 10,
          sharedPrefixTokens: 4,
          prefixBlockIds: [1, 2],
          prefixBlockTokens: 2,
          referenceAnswerTokens: 30,
          arrivalTimeS: 1.5,
          rewardLatencyS: 0.25,
          trainingUse: 'trained',
          responseTokens: [100, 20],
          truncated: [true, false],
          toolLatencyS: [0.1, 0],
          turns: [[{ promptTokens: 10, cachedTokens: 0, completionTokens: 100, toolLatencyS: 0.1 }], [{ promptTokens: 10, cachedTokens: 4, completionTokens: 20, toolLatencyS: 0 }]],
        },
      ],
    });
    expect(workload.iterations[1]!.groups[0]!.promptId).toBe('a');
  });

  it('treats a file without $meta as recorded data and says so', async () => {
    const workload = await readWorkload(await file([{ iteration: 0, group_id: 'g', prompt_tokens: 1, response_tokens: [1], truncated: [false] }]));
    expect(workload.meta.synthetic).toBe(false);
    expect(workload.meta.notes).toEqual(['no $meta line: assumed recorded data (synthetic: false) with no known length cap']);
  });

  const group = { iteration: 0, group_id: 'g', prompt_tokens: 1, response_tokens: [1, 2], truncated: [false, false] };
  it.each<[string, unknown[], string]>([
    ['an unknown key', [{ ...group, respons_tokens: [1] }], ":1:116: field 'respons_tokens' value '[1]': unknown key (known keys: iteration, epoch,"],
    ['a missing key', [{ iteration: 0, group_id: 'g', prompt_tokens: 1, truncated: [] }], ":1:1: field 'response_tokens': missing required key"],
    ['a string where a number belongs', [{ ...group, prompt_tokens: '12' }], ":1:47: field 'prompt_tokens' value '12': must be a number, not a string"],
    ['a number where a string belongs', [{ ...group, group_id: 7 }], ":1:27: field 'group_id' value '7': must be a string, not a number"],
    ['a fractional token count', [{ ...group, response_tokens: [1, 2.5] }], ":1:70: field 'response_tokens[1]' value '2.5': must be a whole number"],
    ['a negative count', [{ ...group, prompt_tokens: -3 }], ":1:47: field 'prompt_tokens' value '-3': must not be negative"],
    ['truncated flags of the wrong length', [{ ...group, truncated: [false] }], ":1:85: field 'truncated' value '1': has 1 entries for 2 samples"],
    ['a truncated flag that is not boolean', [{ ...group, truncated: [false, 'yes'] }], ":1:92: field 'truncated[1]' value 'yes': must be true or false, not a string"],
    ['an empty group', [{ ...group, response_tokens: [], truncated: [] }], ":1:67: field 'response_tokens' value '[]': a group needs at least one sample"],
    ['a duplicate group id', [group, group], ":2:27: field 'group_id' value 'g': duplicate group id in iteration 0 (first on line 1)"],
    ['iterations out of order', [{ ...group, iteration: 2 }, { ...group, iteration: 1 }], ":2:14: field 'iteration' value '1': comes after iteration 2"],
    ['a response above the cap', [{ $meta: META }, { ...group, response_tokens: [1, 101] }], ":2:70: field 'response_tokens[1]' value '101': exceeds the length cap max_response_tokens = 100"],
    ['a second $meta line', [group, { $meta: META }], ":2:10: field '$meta': a $meta line may only be the first line"],
    ['a $meta without synthetic', [{ $meta: { format: 'rlhf-replay.lengths', version: 1 } }, group], ":1:1: field '$meta.synthetic' value 'undefined': must be true or false"],
    ['a $meta of another version', [{ $meta: { ...META, version: 2 } }, group], ":1:52: field '$meta.version' value '2': unsupported version"],
    ['shared prefix longer than the prompt', [{ ...group, shared_prefix_tokens: 5 }], ":1:122: field 'shared_prefix_tokens' value '5': exceeds prompt_tokens (1)"],
    ['cached tokens above the turn prompt', [{ ...group, response_tokens: [1], truncated: [false], turns: [[{ prompt_tokens: 2, cached_tokens: 3, completion_tokens: 1, tool_latency_s: 0 }]] }], ":1:136: field 'turns[0][0].cached_tokens' value '3': exceeds the turn's prompt_tokens (2)"],
    ['a JSON array line', [[1, 2]], ':1:1: value \'[1,2]\': expected one JSON object per line, got an array'],
    ['a truncated JSON line', ['{"iteration": 0, "group_id": "g", "prompt_tok'], ':1:46: truncated JSON: the line ends before the value is complete'],
  ])('rejects %s', async (_label, lines, expected) => {
    const path = await file(lines);
    const error = (await readWorkload(path, { format: 'lengths-jsonl' }).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('InputError');
    expect(error.message).toContain(`${path}${expected}`);
  });

  it('lets a given cap override the recorded one and notes it', async () => {
    const path = await file([{ $meta: META }, group]);
    const workload = await readWorkload(path, { maxResponseTokens: 200 });
    expect(workload.meta).toMatchObject({ maxResponseTokens: 200, maxResponseTokensSource: 'given' });
    expect(workload.meta.notes).toContain("length cap 200 given, overriding the file's 100");
  });
});
