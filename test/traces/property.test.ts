import { readFileSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readWorkload } from '../../harness/traces/read.js';
import { writeWorkload } from '../../harness/traces/write.js';
import type { Workload } from '../../harness/traces/types.js';
import { runCli, scratchDir } from '../cli/run-cli.js';
import { workloadArbitrary } from './workload-arbitrary.js';

/** The facts a conversion must keep: every group and the metadata that describes the data. */
function essence(workload: Workload) {
  const { meta } = workload;
  return {
    iterations: workload.iterations,
    meta: {
      synthetic: meta.synthetic,
      description: meta.description,
      generator: meta.generator,
      maxResponseTokens: meta.maxResponseTokens,
      maxResponseTokensSource: meta.maxResponseTokensSource,
      singleResponseGroups: meta.singleResponseGroups,
      notes: meta.notes,
    },
  };
}

describe('round trips through `traces convert`', () => {
  let dir: string;
  let counter = 0;
  beforeAll(async () => {
    dir = await scratchDir('rlhf-replay-roundtrip');
  });

  it('JSONL → CSV → JSONL keeps every valid trace unchanged (no per-turn data)', async () => {
    await fc.assert(
      fc.asyncProperty(workloadArbitrary({ withTurns: false }), async (workload) => {
        const n = counter++;
        const a = join(dir, `a${n}.jsonl`);
        const b = join(dir, `b${n}.csv`);
        const c = join(dir, `c${n}.jsonl`);
        await writeWorkload(a, workload);
        const toCsv = await runCli(['traces', 'convert', a, '--to', b]);
        expect(toCsv.code, toCsv.err).toBe(0);
        const back = await runCli(['traces', 'convert', b, '--to', c]);
        expect(back.code, back.err).toBe(0);
        expect(essence(await readWorkload(c))).toEqual(essence(workload));
        expect(essence(await readWorkload(b))).toEqual(essence(workload));
        // Canonical to canonical is lossless down to the bytes.
        expect(readFileSync(c, 'utf8')).toBe(readFileSync(a, 'utf8'));
      }),
      { seed: 1, numRuns: 40 },
    );
  });

  it('JSONL → JSONL keeps per-turn data', async () => {
    await fc.assert(
      fc.asyncProperty(workloadArbitrary({ withTurns: true }), async (workload) => {
        const n = counter++;
        const a = join(dir, `t${n}.jsonl`);
        const b = join(dir, `u${n}.jsonl`);
        await writeWorkload(a, workload);
        const run = await runCli(['traces', 'convert', a, '--to', b]);
        expect(run.code, run.err).toBe(0);
        expect(essence(await readWorkload(b))).toEqual(essence(workload));
      }),
      { seed: 2, numRuns: 30 },
    );
  });
});

/** Ways a file goes bad in practice: a flipped character, a cut, a lost or doubled line, garbage, a wrong delimiter. */
const corruption = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: fc.constantFrom(...'x,"{}[]-.9\n\r\t #\u0000é'.split('')) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 30 }) }),
  fc.record({ kind: fc.constant('semicolons' as const) }),
);

function corrupt(text: string, c: fc.Arbitrary<unknown> extends never ? never : { kind: string; at?: number; char?: string; length?: number; text?: string }): string {
  const at = (c.at ?? 0) % Math.max(1, text.length);
  switch (c.kind) {
    case 'replace':
      return text.slice(0, at) + c.char + text.slice(at + 1);
    case 'cut':
      return text.slice(0, at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + (c.length ?? 1));
    case 'duplicate-line': {
      const lines = text.split('\n');
      const i = at % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'insert':
      return text.slice(0, at) + (c.text ?? '') + text.slice(at);
    default:
      return text.replace(/,/g, ';');
  }
}

describe('random corruptions', () => {
  it('give exit 0 or a located exit 2, never an exception escaping the CLI', async () => {
    const dir = await scratchDir('rlhf-replay-corrupt');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(workloadArbitrary({ withTurns: false }), fc.constantFrom('jsonl', 'csv'), fc.array(corruption, { minLength: 1, maxLength: 3 }), async (workload, container, corruptions) => {
        const clean = join(dir, `clean${n}.${container}`);
        await writeWorkload(clean, workload);
        const bad = join(dir, `bad${n}.${container}`);
        n++;
        writeFileSync(bad, corruptions.reduce((text, c) => corrupt(text, c), readFileSync(clean, 'utf8')));
        for (const argv of [
          ['traces', 'validate', bad],
          ['traces', 'stats', bad, '--json'],
          ['traces', 'convert', bad, '--to', join(dir, `out${n}.jsonl`)],
        ]) {
          const run = await runCli(argv);
          expect([0, 2], `${argv.join(' ')}\n${run.err}`).toContain(run.code);
          if (run.code === 2) expect(run.err.startsWith(bad), run.err).toBe(true);
        }
      }),
      { seed: 3, numRuns: 100 },
    );
    // Failed conversions leave nothing behind: no temporary files in the folder.
    expect((await readdir(dir)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });
});
