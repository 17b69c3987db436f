import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../harness/util/cli-io.js';
import { main } from '../../../harness/cli/main.js';
import { shellQuote } from '../../../harness/cli/traces/fit.js';
import { projectRoot } from '../../../harness/util/shared-data.js';

const scratch = mkdtempSync(join(tmpdir(), 'rlhf-replay-fit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const run = async (argv: string[]) => {
  const io = memoryIo({ cwd: projectRoot });
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
};

describe('rlhf-replay traces fit', () => {
  it('has --help', async () => {
    const { code, out } = await run(['traces', 'fit', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('--components');
    expect(out).toContain('--upper-bound');
  });

  it('fits a canonical trace (the DeepCoder-like example) and writes parameters with provenance', async () => {
    const out = join(scratch, 'params.json');
    const result = await run(['traces', 'fit', 'traces/examples/deepcoder-16k.jsonl', '--family', 'lognormal', '--date', '2026-01-02', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('response tokens: lognormal, 1 component(s)');
    const model = JSON.parse(readFileSync(out, 'utf8'));
    expect(model.name).toBe('deepcoder-16k.jsonl');
    expect(model.responseTokens.capTokens).toBe(16000);
    expect(model.provenance).toMatchObject({ date: '2026-01-02', sources: ['traces/examples/deepcoder-16k.jsonl'], rows: { groups: 80, samples: 640 } });
    expect(model.provenance.rows.censoredSamples).toBe(87);
    expect(model.provenance.command).toBe('rlhf-replay traces fit traces/examples/deepcoder-16k.jsonl --family lognormal --prompt-family lognormal');
  });

  it('exits 2 on bad input: a missing file, a bad flag', async () => {
    const missing = await run(['traces', 'fit', join(scratch, 'none.jsonl')]);
    expect(missing.code).toBe(2);
    const bad = await run(['traces', 'fit', 'traces/examples/default.jsonl', '--components', '0']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("field '--components' value '0': must be a positive integer");
    expect((await run(['traces', 'fit', 'traces/examples/default.jsonl', '--date', 'yesterday'])).code).toBe(2);
  });

  it('quotes arguments for a shell only when needed', () => {
    expect(shellQuote('plain-name_1.json')).toBe('plain-name_1.json');
    expect(shellQuote("it's x")).toBe("'it'\\''s x'");
  });
});
