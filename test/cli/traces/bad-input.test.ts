import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../run-cli.js';

/**
 * Every bad-input case the issue lists, through the CLI as a user meets it: exit code 2, one
 * `file:line:column: field 'x' value 'y': what is wrong` line per problem, never an internal error.
 */
const HEADER = 'iteration,group_id,prompt_tokens,response_tokens,truncated';
const META = '{"$meta":{"format":"rlhf-replay.lengths","version":1,"synthetic":false,"max_response_tokens":100,"notes":[]}}';
const GROUP = (extra: Record<string, unknown> = {}) => JSON.stringify({ iteration: 0, group_id: 'g', prompt_tokens: 5, response_tokens: [1, 2], truncated: [false, false], ...extra });
const TEN_MB = 10 * 1024 * 1024;

interface Case {
  readonly label: string;
  readonly name: string;
  readonly content: string | (() => string);
  /** The line a user sees, after the file path. */
  readonly expected: string;
}

const CASES: Case[] = [
  { label: 'missing column', name: 'missing.csv', content: 'iteration,group_id,response_tokens,truncated\n0,g,1,false\n', expected: ":1:1: field 'prompt_tokens': missing column" },
  { label: 'non-numeric', name: 'text.csv', content: `${HEADER}\n0,g,five,1,false\n`, expected: ":2:3: field 'prompt_tokens' value 'five': is not a number" },
  { label: 'negative', name: 'negative.csv', content: `${HEADER}\n0,g,5,-1,false\n`, expected: ":2:4: field 'response_tokens' value '-1': must not be negative" },
  { label: 'NaN', name: 'nan.csv', content: `${HEADER}\n0,g,5,NaN,false\n`, expected: ":2:4: field 'response_tokens' value 'NaN': must be a finite number" },
  { label: 'Infinity', name: 'inf.csv', content: `${HEADER}\n0,g,Infinity,1,false\n`, expected: ":2:3: field 'prompt_tokens' value 'Infinity': must be a finite number" },
  { label: 'empty file', name: 'empty.csv', content: '', expected: ':1:1: empty file: expected a CSV header line' },
  { label: 'empty JSONL file', name: 'empty.jsonl', content: '', expected: ':1:1: empty file: expected JSON lines' },
  { label: 'header only', name: 'header.csv', content: `${HEADER}\n`, expected: ':2:1: no data rows after the header' },
  { label: 'truncated JSON line', name: 'cut.jsonl', content: `${GROUP()}\n{"iteration": 0, "group_id": "h", "prompt_tokens": 5, "respo`, expected: ':2:' },
  { label: 'wrong types', name: 'types.jsonl', content: `${GROUP({ response_tokens: '1,2' })}\n`, expected: ":1:67: field 'response_tokens' value '1,2': must be an array of numbers, not a string" },
  { label: 'duplicate group ids', name: 'dup.jsonl', content: `${GROUP()}\n${GROUP()}\n`, expected: ":2:27: field 'group_id' value 'g': duplicate group id in iteration 0 (first on line 1)" },
  { label: 'response above the cap', name: 'cap.jsonl', content: `${META}\n${GROUP({ response_tokens: [1, 101] })}\n`, expected: ":2:70: field 'response_tokens[1]' value '101': exceeds the length cap max_response_tokens = 100" },
  // Plausibility bounds (harness/traces/plausible-bounds.ts): values no real trace holds, which used to pass and poison `stats`.
  { label: 'a response of 1e308 tokens', name: 'huge-response.jsonl', content: `${GROUP({ response_tokens: [1e308, 2] })}\n`, expected: ":1:68: field 'response_tokens[0]' value '1e+308': is above 10000000 tokens, the plausible maximum for one prompt, response or turn" },
  { label: 'a response of 1e20 tokens (CSV)', name: 'huge-response.csv', content: `${HEADER}\n0,g,5,1e20,false\n`, expected: ":2:4: field 'response_tokens' value '1e20': is above 10000000 tokens, the plausible maximum for one prompt, response or turn" },
  { label: 'a prompt one token above the bound (CSV digits)', name: 'long-prompt.csv', content: `${HEADER}\n0,g,10000001,1,false\n`, expected: ":2:3: field 'prompt_tokens' value '10000001': is above 10000000 tokens" },
  { label: 'a reward latency of two days', name: 'slow-reward.jsonl', content: `${GROUP({ reward_latency_s: 172800 })}\n`, expected: ":1:118: field 'reward_latency_s' value '172800': is above 86400 s, the plausible maximum for the reward or tool latency of one sample" },
  { label: '10 MB single-line CSV', name: 'huge.csv', content: () => `${HEADER},${'x'.repeat(TEN_MB)}`, expected: ':1:1: line is longer than 1048576 characters' },
  { label: '10 MB line after the header', name: 'huge-row.csv', content: () => `${HEADER}\n0,"${'x'.repeat(TEN_MB)}",5,1,false\n`, expected: ':2:1: record is longer than 1048576 characters' },
  { label: '10 MB single-line JSONL', name: 'huge.jsonl', content: () => `{"iteration": 0, "group_id": "${'x'.repeat(TEN_MB)}"}\n`, expected: ':1:1: line is longer than 1048576 characters' },
];

describe('bad input through `traces validate` and `traces stats`', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await scratchDir('rlhf-replay-bad-input');
    for (const c of CASES) writeFileSync(join(dir, c.name), typeof c.content === 'function' ? c.content() : c.content);
  });

  it.each(CASES.map((c) => [c.label, c] as const))('%s: exit 2 and a located problem line', async (_label, c) => {
    const path = join(dir, c.name);
    const format = c.name.endsWith('.csv') ? 'lengths-csv' : 'lengths-jsonl';
    for (const argv of [
      ['traces', 'validate', path, '--format', format],
      ['traces', 'stats', path, '--format', format],
    ]) {
      const run = await runCli(argv);
      expect(run.code, `${argv.join(' ')}\n${run.err}`).toBe(2);
      expect(run.err).not.toContain('internal error');
      expect(run.err.split('\n').some((line) => line.startsWith(`${path}${c.expected}`)), run.err.slice(0, 500)).toBe(true);
      expect(run.err.length).toBeLessThan(4000); // a 10 MB value never ends up in a message
    }
  });

  it.each(CASES.map((c) => [c.label, c] as const))('%s: a clear exit 2 without --format too', async (_label, c) => {
    const run = await runCli(['traces', 'validate', join(dir, c.name)]);
    expect(run.code).toBe(2);
    expect(run.err).not.toContain('internal error');
    expect(run.err.startsWith(join(dir, c.name))).toBe(true);
  });

  it('reads a BOM and CRLF file exactly like the plain one', async () => {
    const plain = join(dir, 'plain.csv');
    const windows = join(dir, 'windows.csv');
    const rows = ['0,a,5,10,false', '0,a,5,12,false', '1,b,7,3,true'];
    writeFileSync(plain, `${HEADER}\n${rows.join('\n')}\n`);
    writeFileSync(windows, `\ufeff${HEADER}\r\n${rows.join('\r\n')}\r\n`);
    const a = await runCli(['traces', 'stats', plain, '--json']);
    const b = await runCli(['traces', 'stats', windows, '--json']);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(b.out).toBe(a.out);
    const jsonl = join(dir, 'bom.jsonl');
    writeFileSync(jsonl, `\ufeff${GROUP()}\r\n`);
    expect((await runCli(['traces', 'validate', jsonl])).code).toBe(0);
  });

  it('reports several problems, one line each, and honours --max-errors', async () => {
    const path = join(dir, 'many.csv');
    writeFileSync(path, `${HEADER}\n${Array.from({ length: 30 }, (_, i) => `0,g${i},-1,1,false`).join('\n')}\n`);
    const all = await runCli(['traces', 'validate', path]);
    expect(all.code).toBe(2);
    expect(all.err.split('\n').filter((line) => line.includes("field 'prompt_tokens' value '-1'"))).toHaveLength(30);
    const few = await runCli(['traces', 'validate', path, '--max-errors', '3']);
    expect(few.err.split('\n').filter((line) => line.includes("field 'prompt_tokens' value '-1'"))).toHaveLength(3);
    expect(few.err).toContain('stopped after 3 problems (--max-errors)');
  });

  it('prints problems as JSON with --json', async () => {
    const run = await runCli(['traces', 'validate', join(dir, 'negative.csv'), '--json']);
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.out) as { valid: boolean; files: { valid: boolean; problems: { line: number; column: number; field: string; value: string }[] }[] };
    expect(doc.valid).toBe(false);
    expect(doc.files[0]!.problems[0]).toMatchObject({ line: 2, column: 4, field: 'response_tokens', value: '-1' });
  });

  it('exits 2 for a missing file and for a bad flag value', async () => {
    const missing = await runCli(['traces', 'stats', join(dir, 'nope.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`${join(dir, 'nope.csv')}: no such file or directory\n`);
    const badFlag = await runCli(['traces', 'stats', join(dir, 'plain.csv'), '--max-response', '-5']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.err).toContain("field 'max-response' value '-5': must be a positive whole number of tokens");
  });
});
