import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildPrefixForest,
  choosePrefixDepth,
  distinctPrefixes,
  prefillWork,
  PrefixUnion,
  sharedPrefixTokens,
  type PrefixGroupInput,
} from '../../../harness/schedulers/rlhfless/prefix-dedup.js';
import type { SampleGroup } from '../../../harness/traces/types.js';

function group(promptId: string, promptTokens: number, samples: number, extra: Partial<SampleGroup> = {}): PrefixGroupInput {
  const responses = Array.from({ length: samples }, () => 10);
  return { group: { iteration: 0, groupId: promptId, promptId, promptTokens, responseTokens: responses, truncated: responses.map(() => false), ...extra }, promptTokens, samples };
}

// A and B share a 40-token template, D shares its first 30 tokens of it; C is a GRPO group of 4.
const templated = [group('A', 100, 1, { sharedPrefixTokens: 40 }), group('B', 80, 1, { sharedPrefixTokens: 40 }), group('C', 60, 4), group('D', 50, 1, { sharedPrefixTokens: 30 })];

describe('prefix nodes and D(L), worked by hand', () => {
  const forest = buildPrefixForest(templated);

  it('counts distinct length-min(L, prompt) prefixes', () => {
    expect([30, 40, 41, 50, 60, 100].map((L) => distinctPrefixes(forest, L))).toEqual([2, 3, 4, 4, 4, 4]);
  });

  it('keeps, per prompt, the deepest prefix at least two sequences share', () => {
    // A, B: the 40-token template; C: its whole prompt (4 samples); D: its 30 template tokens.
    expect([...sharedPrefixTokens(forest, 100)]).toEqual([40, 40, 60, 30]);
    expect([...sharedPrefixTokens(forest, 35)]).toEqual([35, 35, 35, 30]);
    expect([...sharedPrefixTokens(forest, 0)]).toEqual([0, 0, 0, 0]);
  });

  it('prefills each shared token once (radix union) and ships per actor only what its prompts use', () => {
    const prefix = sharedPrefixTokens(forest, 100);
    const work = prefillWork(forest, prefix);
    expect([...work.newTokens]).toEqual([40, 0, 60, 0]);
    expect(work.tokens).toBe(100);
    expect(work.prefixes).toBe(2);
    const union = new PrefixUnion(forest, prefix);
    expect(union.tokens([0, 3], 0, 2)).toBe(40);
    expect(union.tokens([0, 1, 2, 3], 0, 4)).toBe(100);
    expect(union.tokens([2], 0, 1)).toBe(60);
  });

  it('chooses the largest depth whose distinct prefixes fit the capacity, searching below the shortest prompt when none above fits', () => {
    expect(choosePrefixDepth(forest, 4)).toEqual({ depthTokens: 100, distinctPrefixes: 4, belowShortestPrompt: false });
    // D(50) = 4 > 3 at L_min = 50: the paper gives no rule; the search continues below and finds 40.
    expect(choosePrefixDepth(forest, 3)).toEqual({ depthTokens: 40, distinctPrefixes: 3, belowShortestPrompt: true });
    expect(choosePrefixDepth(forest, 1)).toEqual({ depthTokens: 0, distinctPrefixes: 0, belowShortestPrompt: false });
  });
});

describe('Mooncake-style prefix blocks', () => {
  it('share the chain of equal block ids, block by block', () => {
    const forest = buildPrefixForest([
      group('x', 40, 1, { prefixBlockIds: [1, 2, 3], prefixBlockTokens: 16 }),
      group('y', 48, 1, { prefixBlockIds: [1, 2, 9], prefixBlockTokens: 16 }),
      group('z', 20, 1, { prefixBlockIds: [5, 6], prefixBlockTokens: 16 }),
    ]);
    expect([...sharedPrefixTokens(forest, 1000)]).toEqual([32, 32, 0]);
    expect(prefillWork(forest, sharedPrefixTokens(forest, 1000)).tokens).toBe(32);
    expect(distinctPrefixes(forest, 16)).toBe(2);
    expect(distinctPrefixes(forest, 33)).toBe(3);
  });
});

describe('nothing to deduplicate', () => {
  it('one response per prompt and no shared prefix: no prompt has a shared prefix, the prefill actor has no work', () => {
    const forest = buildPrefixForest([group('a', 30, 1), group('b', 50, 1), group('c', 70, 1)]);
    const prefix = sharedPrefixTokens(forest, choosePrefixDepth(forest, 1000).depthTokens);
    expect([...prefix]).toEqual([0, 0, 0]);
    expect(prefillWork(forest, prefix)).toEqual({ newTokens: new Int32Array(3), tokens: 0, prefixes: 0 });
  });
});

const randomForest = fc
  .array(
    fc.record({
      prompt: fc.integer({ min: 1, max: 120 }),
      samples: fc.integer({ min: 1, max: 3 }),
      template: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
      blocks: fc.option(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 5 }), { nil: undefined }),
      promptId: fc.integer({ min: 0, max: 12 }),
    }),
    { minLength: 1, maxLength: 25 },
  )
  .map((list) => {
    // A prompt id names one prompt: its length and prefix structure come from its first occurrence.
    const first = new Map<number, (typeof list)[number]>();
    for (const g of list) if (!first.has(g.promptId)) first.set(g.promptId, g);
    return list.map((g) => {
      const p = first.get(g.promptId)!;
      const extra: Partial<SampleGroup> = p.blocks ? { prefixBlockIds: p.blocks, prefixBlockTokens: 16 } : p.template !== undefined ? { sharedPrefixTokens: p.template } : {};
      return group(`p${g.promptId}`, p.prompt, g.samples, extra);
    });
  });

describe('D(L) over random prompt sets', () => {
  it('never falls as L grows, so the binary search finds what a linear scan finds', () => {
    fc.assert(
      fc.property(randomForest, fc.integer({ min: 1, max: 30 }), (inputs, capacity) => {
        const forest = buildPrefixForest(inputs);
        let previous = 0;
        for (let L = 1; L <= forest.longestPrompt; L++) {
          const d = distinctPrefixes(forest, L);
          expect(d).toBeGreaterThanOrEqual(previous);
          previous = d;
        }
        let scan = 0;
        for (let L = forest.shortestPrompt; L <= forest.longestPrompt; L++) if (distinctPrefixes(forest, L) <= capacity) scan = L;
        if (scan === 0) for (let L = 1; L < forest.shortestPrompt; L++) if (distinctPrefixes(forest, L) <= capacity) scan = L;
        expect(choosePrefixDepth(forest, capacity).depthTokens).toBe(scan);
      }),
      { seed: 1, numRuns: 200 },
    );
  });

  it('prefills no more than the prompts hold, and every deduplicated prefix is shared by two sequences', () => {
    fc.assert(
      fc.property(randomForest, (inputs) => {
        const forest = buildPrefixForest(inputs);
        const prefix = sharedPrefixTokens(forest, forest.longestPrompt);
        const work = prefillWork(forest, prefix);
        expect(work.tokens).toBeLessThanOrEqual(inputs.reduce((sum, g) => sum + g.promptTokens, 0));
        inputs.forEach((g, i) => {
          expect(prefix[i]).toBeLessThanOrEqual(g.promptTokens);
          if (prefix[i]! > 0 && g.samples === 1) {
            // Someone else reaches the same prefix: a prompt with the same first prefix[i] tokens.
            const sharers = inputs.filter((h, j) => j !== i && distinctPrefixes(buildPrefixForest([g, h]), prefix[i]!) === 1 && h.promptTokens >= prefix[i]!);
            expect(sharers.length).toBeGreaterThan(0);
          }
        });
      }),
      { seed: 2, numRuns: 200 },
    );
  });
});
