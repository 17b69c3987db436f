import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../harness/util/cli-io.js';
import { main } from '../../../harness/cli/main.js';
import { projectRoot } from '../../../harness/util/shared-data.js';

const scratch = mkdtempSync(join(tmpdir(), 'rlhf-replay-generate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const run = async (argv: string[]) => {
  const io = memoryIo({ cwd: projectRoot });
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
};
const params = 'traces/fitted/polytrace-deepcoder-16k.json';

describe('rlhf-replay traces generate', () => {
  it('has --help', async () => {
    const { code, out } = await run(['traces', 'generate', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('--params');
    expect(out).toContain('--epochs');
  });

  it('writes a seeded trace and reports it as JSON', async () => {
    const out = join(scratch, 'a.jsonl');
    const result = await run(['traces', 'generate', '--params', params, '--seed', '9', '--iterations', '2', '--prompts', '4', '--epochs', '2', '--out', out, '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out);
    expect(summary).toMatchObject({ iterations: 4, groups: 16, samples: 128, seed: 9, parameters: params });
    expect(summary.bytes).toBe(readFileSync(out).length);
    const meta = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]!).$meta;
    expect(meta).toMatchObject({ synthetic: true, generator: { name: 'rlhf-replay.lognormal-groups/v1', seed: 9, parameters: params }, max_response_tokens: 16000 });
  });

  it('exits 2 on a bad parameter file, naming the field, and leaves the old output untouched', async () => {
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, JSON.stringify({ schema: 'rlhf-replay.length-model/v1', name: 'x', responseTokens: { family: 'mixture', components: [{ weight: 1, mu: 5, sigma: 0 }] }, promptTokens: { family: 'lognormal', components: [{ weight: 1, mu: 5, sigma: 1 }], minTokens: 1, maxTokens: 9 }, groupCorrelation: null }));
    const out = join(scratch, 'keep.jsonl');
    writeFileSync(out, 'old\n');
    const result = await run(['traces', 'generate', '--params', bad, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("field 'responseTokens.components[0].sigma' value '0': must be a positive number");
    expect(readFileSync(out, 'utf8')).toBe('old\n');
  });

  it('exits 2 on bad flags and a missing parameter file', async () => {
    expect((await run(['traces', 'generate', '--params', params, '--iterations', '0', '--out', join(scratch, 'x.jsonl')])).err).toContain("field '--iterations' value '0'");
    expect((await run(['traces', 'generate', '--params', params, '--out', join(scratch, 'x.csv')])).code).toBe(2);
    const missing = await run(['traces', 'generate', '--params', 'nope.json', '--out', join(scratch, 'x.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope.json: cannot read the parameter file (ENOENT)');
  });
});
