import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../harness/util/cli-io.js';
import { main } from '../../../harness/cli/main.js';
import type { LengthModel } from '../../../harness/traces/generate/length-model.js';
import { projectRoot, sharedRoot } from '../../../harness/util/shared-data.js';

/** Splits a command line the way a POSIX shell would for plain words and single-quoted strings. */
function splitCommand(line: string): string[] {
  const words: string[] = [];
  const pattern = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (const match of line.matchAll(pattern)) words.push(match[1] !== undefined ? match[1].replace(/'\\''/g, "'") : match[2]!);
  return words;
}

/**
 * Deep equality with numbers compared to 1e-7 relative: the fit is deterministic, but a rewrite of
 * a shared special function may move the last bits of an EM optimum without changing the model.
 */
function expectSameModel(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(actual - expected) > 1e-7 * Math.max(1, Math.abs(expected))) expect.fail(`${path}: ${actual} differs from the committed ${expected}`);
    return;
  }
  if (typeof expected !== 'object' || expected === null) {
    expect(actual, path).toEqual(expected);
    return;
  }
  expect(typeof actual, path).toBe('object');
  const expectedKeys = Object.keys(expected).sort();
  expect(Object.keys(actual as object).sort(), path).toEqual(expectedKeys);
  for (const key of expectedKeys) expectSameModel((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
}

const fittedDir = join(projectRoot, 'traces', 'fitted');

/**
 * Sources no lognormal mixture fits within the 5 % KS bound, with the bound they are held to and
 * why. azure-conv: 27 % of the production chat responses fall in one narrow band of lengths
 * (a templated answer), a spike no mixture of up to 8 lognormals follows (KS 0.026 with 3
 * components, 0.019 with 5, 0.020 with 8); its fit stands in only when the recording is absent,
 * and the report says when it does.
 */
const KS_EXCEPTIONS: Readonly<Record<string, { bound: number; why: string }>> = {
  'azure-conv.json': { bound: 0.02, why: 'a spike of 27 % of responses in one narrow length band' },
};
const files = readdirSync(fittedDir).filter((f) => f.endsWith('.json')).sort();

describe('committed fitted parameters (traces/fitted/*.json)', () => {
  it('are the five public sources the generator is fitted to', () => {
    expect(files).toEqual(['azure-conv.json', 'polytrace-dapo-32b.json', 'polytrace-deepcoder-16k.json', 'polytrace-video-grpo.json', 'sharegpt.json']);
  });

  it.each(files)('%s: rerunning its provenance command on the shared data gives the same parameters and goodness of fit', async (file) => {
    const committed = JSON.parse(readFileSync(join(fittedDir, file), 'utf8')) as LengthModel;
    const [program, ...args] = splitCommand(committed.provenance.command);
    expect(program).toBe('rlhf-replay');
    const argv = args.map((a) => (a.startsWith('../shared/') ? join(sharedRoot(), a.slice('../shared/'.length)) : a));
    const io = memoryIo({ cwd: projectRoot });
    const code = await main([...argv, '--date', committed.provenance.date, '--json'], io);
    expect(io.err).toBe('');
    expect(code).toBe(0);
    expectSameModel(JSON.parse(io.out), committed);
  });

  it.each(files)('%s: records its provenance and an honest goodness of fit', (file) => {
    const model = JSON.parse(readFileSync(join(fittedDir, file), 'utf8')) as LengthModel;
    expect(model.provenance.sources.length).toBeGreaterThan(0);
    for (const source of model.provenance.sources) expect(source.startsWith('research/data/')).toBe(true);
    expect(model.provenance.sourceCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(model.provenance.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(model.fit.responseTokens.converged).toBe(true);
    const gof = model.goodnessOfFit.responseTokens;
    expect(gof.data.samples).toBe(model.provenance.rows.samples);
    // The response-length law is within the fully specified 5% KS bound on every source but one,
    // named with its own bound and why.
    expect(gof.ksStatistic).toBeLessThan(KS_EXCEPTIONS[file]?.bound ?? gof.ksCritical5pctFullySpecified);
  });
});
