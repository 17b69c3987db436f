import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../harness/util/cli-io.js';
import { main } from '../../../harness/cli/main.js';
import { shellQuote } from '../../../harness/cli/traces/fit.js';
import { readWorkload } from '../../../harness/traces/read.js';
import { projectRoot } from '../../../harness/util/shared-data.js';

interface Example {
  readonly file: string;
  readonly args: readonly string[];
}

const examplesDir = join(projectRoot, 'traces', 'examples');
const manifest = JSON.parse(readFileSync(join(examplesDir, 'manifest.json'), 'utf8')) as { examples: Example[] };
const scratch = mkdtempSync(join(tmpdir(), 'rlhf-replay-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('example traces (traces/examples/)', () => {
  it.each(manifest.examples)('$file regenerates byte for byte from its manifest command', async ({ file, args }) => {
    const outIndex = args.indexOf('--out');
    expect(args[outIndex + 1]).toBe(`traces/examples/${file}`);
    const out = join(scratch, file);
    const argv = [...args];
    argv[outIndex + 1] = out;
    const io = memoryIo({ cwd: projectRoot });
    expect(await main(argv, io)).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(examplesDir, file), 'utf8'));
  });

  it.each(manifest.examples)('$file is read by the canonical reader and labelled synthetic with its generator', async ({ file, args }) => {
    const workload = await readWorkload(join(examplesDir, file));
    expect(workload.meta.synthetic).toBe(true);
    expect(workload.meta.generator?.parameters).toBe(args[args.indexOf('--params') + 1]);
    expect(workload.meta.generator?.seed).toBe(Number(args[args.indexOf('--seed') + 1]));
  });

  it('documents each regeneration command in traces/examples/README.md', () => {
    const readme = readFileSync(join(examplesDir, 'README.md'), 'utf8');
    for (const { args } of manifest.examples) expect(readme).toContain(`npx rlhf-replay ${args.map(shellQuote).join(' ')}`);
  });

  it('stay small: under 1 MB together, the default under 150 kB', () => {
    const sizes = manifest.examples.map(({ file }) => statSync(join(examplesDir, file)).size);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(1_000_000);
    expect(statSync(join(examplesDir, 'default.jsonl')).size).toBeLessThan(150_000);
  });
});
