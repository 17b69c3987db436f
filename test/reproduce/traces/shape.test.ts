import { describe, expect, it } from 'vitest';
import { cutIntoIterations, isMeasured, iterationCount, promptsNeeded, regroup, regroupedCount, seededSelection, shapeWorkload } from '../../../harness/reproduce/traces/shape.js';
import type { SampleGroup, Workload } from '../../../harness/traces/types.js';
import { createRng } from '../../../harness/util/rng.js';

const group = (id: string, lengths: number[], iteration = 0): SampleGroup => ({ iteration, groupId: id, promptId: id, promptTokens: 100, responseTokens: lengths, truncated: lengths.map((l) => l >= 1000) });

describe('regroup (trace.group-size)', () => {
  it('PPO: each recorded sample becomes its own prompt, so no two samples share a prompt', () => {
    const { groups, note } = regroup([group('p', [1, 2, 1000])], 1);
    expect(groups.map((g) => [g.promptId, g.responseTokens, g.truncated])).toEqual([
      ['p#0', [1], [false]],
      ['p#1', [2], [false]],
      ['p#2', [1000], [true]],
    ]);
    expect(note).toContain('each recorded sample is its own prompt');
  });

  it('GRPO with fewer samples than recorded: whole prompts of n, the remainder dropped and counted', () => {
    const { groups, note } = regroup([group('p', [1, 2, 3, 4, 5, 6, 7, 8])], 3);
    expect(groups.map((g) => g.responseTokens)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(new Set(groups.map((g) => g.promptId)).size).toBe(2);
    expect(note).toContain('2 samples that do not fill a prompt are dropped');
    expect(regroupedCount(576, 8, 3)).toBe(1152);
    expect(regroupedCount(576, 8, 1)).toBe(4608);
  });

  it('leaves groups alone when they already have n samples, and replays them as recorded when n is larger', () => {
    const same = [group('p', [1, 2, 3, 4])];
    expect(regroup(same, 4)).toEqual({ groups: same });
    const { groups, note } = regroup(same, 8);
    expect(groups).toEqual(same);
    expect(note).toContain('replayed as recorded');
    expect(regroupedCount(80, 8, 16)).toBe(80);
  });
});

describe('selection and batches', () => {
  it('draws the same prompts for the same stream, different ones for another', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const a = seededSelection(items, 10, createRng(1));
    expect(seededSelection(items, 10, createRng(1))).toEqual(a);
    expect(seededSelection(items, 10, createRng(2))).not.toEqual(a);
    expect(new Set(a).size).toBe(10);
    expect(() => seededSelection(items, 101, createRng(1))).toThrow('101 items wanted');
  });

  it('cuts into renumbered iterations of the batch size', () => {
    const iterations = cutIntoIterations([group('a', [1]), group('b', [1]), group('c', [1])], 2);
    expect(iterations.map((it) => [it.iteration, it.groups.map((g) => `${g.groupId}@${g.iteration}`)])).toEqual([
      [0, ['a@0', 'b@0']],
      [1, ['c@1']],
    ]);
  });

  it('sizes: warm-up iterations are not measured; epochs multiply the pool', () => {
    const batches = { kind: 'batches', batchPrompts: 512, warmup: 1, measured: 2 } as const;
    expect([promptsNeeded(batches), iterationCount(batches), isMeasured(batches, 0), isMeasured(batches, 1)]).toEqual([1536, 3, false, true]);
    const epochs = { kind: 'epochs', batchPrompts: 256, iterationsPerEpoch: 2, epochs: 3 } as const;
    expect([promptsNeeded(epochs), iterationCount(epochs), isMeasured(epochs, 0)]).toEqual([512, 6, true]);
  });
});

describe('shapeWorkload', () => {
  const workload: Workload = {
    meta: { format: 'test', sources: ['t'], synthetic: true, notes: [], maxResponseTokens: 1000 },
    iterations: [{ iteration: 0, groups: Array.from({ length: 12 }, (_, i) => group(`g${i}`, [100 + i, 200 + i, 300 + i, 400 + i])) }],
  };

  it('RLHFless: epochs over the same drawn prompts, each prompt once per epoch', () => {
    const shaped = shapeWorkload(workload, 2, { kind: 'epochs', batchPrompts: 4, iterationsPerEpoch: 2, epochs: 3 }, createRng(7));
    expect(shaped.iterations.map((it) => it.iteration)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(shaped.iterations.map((it) => it.epoch)).toEqual([0, 0, 1, 1, 2, 2]);
    const prompts = (epoch: number) => shaped.iterations.filter((it) => it.epoch === epoch).flatMap((it) => it.groups.map((g) => g.promptId)).sort();
    expect(prompts(0)).toHaveLength(8);
    expect(prompts(1)).toEqual(prompts(0));
    expect(prompts(2)).toEqual(prompts(0));
    expect(shaped.iterations[0]!.groups.every((g) => g.responseTokens.length === 2)).toBe(true);
    expect(shapeWorkload(workload, 2, { kind: 'epochs', batchPrompts: 4, iterationsPerEpoch: 2, epochs: 3 }, createRng(7))).toEqual(shaped);
  });

  it('refuses a trace too small for the batches', () => {
    expect(() => shapeWorkload(workload, 4, { kind: 'batches', batchPrompts: 10, warmup: 1, measured: 1 }, createRng(1))).toThrow('12 prompts after regrouping, 20 needed');
  });
});
