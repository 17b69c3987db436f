import { describe, expect, it } from 'vitest';
import { readPolyTraceLengths } from '../../../harness/traces/adapters/polytrace.js';
import { epochDriftAssumptions } from '../../../harness/traces/generate/assumptions.js';
import { calibrateDrift } from '../../../harness/traces/generate/epoch-drift.js';
import { synthesizeEpochs } from '../../../harness/traces/generate/synthesize-epochs.js';
import type { SampleGroup, Workload } from '../../../harness/traces/types.js';
import { InputError } from '../../../harness/util/input-error.js';
import { createRng } from '../../../harness/util/rng.js';
import { sharedDataPath } from '../../../harness/util/shared-data.js';

const DAPO = sharedDataPath('polytrace', 'verl', 'profile', 'packed_length_log', '20260614_023133');
const DEEPCODER = sharedDataPath('polytrace', 'rllm', 'profile', 'packed_length_log', '20260616_024512');

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function byEpochAndPrompt(workload: Workload): Map<number, Map<string, SampleGroup>> {
  const out = new Map<number, Map<string, SampleGroup>>();
  for (const it of workload.iterations) {
    const epoch = out.get(it.epoch!) ?? new Map<string, SampleGroup>();
    for (const g of it.groups) {
      expect(epoch.has(g.promptId)).toBe(false); // once per epoch
      epoch.set(g.promptId, g);
    }
    out.set(it.epoch!, epoch);
  }
  return out;
}

describe('synthesizeEpochs on the PolyTrace DAPO recording (576 real groups of 8)', async () => {
  const recorded = await readPolyTraceLengths(DAPO);
  const epochs = 5;
  const synthesized = synthesizeEpochs(recorded, { epochs }, createRng(41));
  const groupsByEpoch = byEpochAndPrompt(synthesized);

  it('keeps the recorded groups as epoch 0 and brings every prompt back once per epoch', () => {
    expect(synthesized.iterations.length).toBe(recorded.iterations.length * epochs);
    expect([...groupsByEpoch.keys()]).toEqual([0, 1, 2, 3, 4]);
    const recordedGroups = recorded.iterations.flatMap((it) => it.groups);
    for (const group of recordedGroups) expect(groupsByEpoch.get(0)!.get(group.promptId)!.responseTokens).toEqual(group.responseTokens);
    for (const epoch of groupsByEpoch.values()) expect([...epoch.keys()].sort()).toEqual(recordedGroups.map((g) => g.promptId).sort());
    expect(synthesized.meta.synthetic).toBe(true);
    expect(synthesized.meta.notes.some((n) => n.includes('epochDrift.scaleTokens'))).toBe(true);
  });

  it('meets the RLHFless stability figures between consecutive epochs (70% ≤ 50 tokens, 90% ≤ 100; ±0.03 over 2,304 prompt pairs)', () => {
    const changes: number[] = [];
    const changesOfMax: number[] = [];
    for (let epoch = 1; epoch < epochs; epoch++) {
      for (const [promptId, group] of groupsByEpoch.get(epoch)!) {
        const before = groupsByEpoch.get(epoch - 1)!.get(promptId)!;
        changes.push(Math.abs(mean(group.responseTokens) - mean(before.responseTokens)));
        changesOfMax.push(Math.abs(Math.max(...group.responseTokens) - Math.max(...before.responseTokens)));
      }
    }
    const within = (xs: number[], t: number): number => xs.filter((d) => d <= t).length / xs.length;
    expect(changes.length).toBe(2304);
    expect(Math.abs(within(changes, 50) - 0.7)).toBeLessThan(0.03);
    expect(Math.abs(within(changes, 100) - 0.9)).toBeLessThan(0.03);
    // The common shift makes the figure hold for the group max as well.
    expect(Math.abs(within(changesOfMax, 50) - 0.7)).toBeLessThan(0.03);
  });

  it('deals the prompts to iterations in a new order each epoch and is deterministic', () => {
    const order = (epoch: number) => synthesized.iterations.filter((it) => it.epoch === epoch).flatMap((it) => it.groups.map((g) => g.promptId));
    expect(order(1)).not.toEqual(order(0));
    expect(synthesizeEpochs(recorded, { epochs }, createRng(41))).toEqual(synthesized);
    expect(synthesizeEpochs(recorded, { epochs }, createRng(42))).not.toEqual(synthesized);
  });
});

describe('synthesizeEpochs with a binding cap (PolyTrace DeepCoder, 16000)', async () => {
  const recorded = await readPolyTraceLengths(DEEPCODER);

  it('records drifted lengths at or above the cap at the cap, marked truncated, and only those', () => {
    const synthesized = synthesizeEpochs(recorded, { epochs: 4 }, createRng(43));
    const later = synthesized.iterations.filter((it) => it.epoch! > 0).flatMap((it) => it.groups);
    let capped = 0;
    for (const g of later) {
      g.responseTokens.forEach((x, j) => {
        expect(x).toBeLessThanOrEqual(16000);
        expect(g.truncated[j]).toBe(x === 16000);
        if (g.truncated[j]) capped++;
      });
    }
    // About half the recorded capped samples drift down off the cap each epoch, so some stay capped.
    expect(capped).toBeGreaterThan(0);
    expect(synthesized.meta.maxResponseTokens).toBe(16000);
  });
});

describe('synthesizeEpochs input checks and assumptions', () => {
  const group = (promptId: string, iteration: number): SampleGroup => ({ iteration, groupId: promptId, promptId, promptTokens: 10, responseTokens: [5], truncated: [false] });
  const workload = (groups: SampleGroup[]): Workload => ({
    meta: { format: 'test', sources: ['t.jsonl'], synthetic: false, notes: [] },
    iterations: [{ iteration: 0, groups: groups.filter((g) => g.iteration === 0) }, { iteration: 1, groups: groups.filter((g) => g.iteration === 1) }],
  });

  it('refuses a trace whose prompts already repeat', () => {
    expect(() => synthesizeEpochs(workload([group('a', 0), group('a', 1)]), { epochs: 2 }, createRng(1))).toThrow(InputError);
  });

  it('floors drifted lengths at one token', () => {
    const out = synthesizeEpochs(workload([group('a', 0), group('b', 1)]), { epochs: 30 }, createRng(2));
    for (const it of out.iterations) for (const g of it.groups) expect(g.responseTokens[0]).toBeGreaterThanOrEqual(1);
  });

  it('exports its assumptions as data, with the calibrated values', () => {
    const drift = calibrateDrift();
    const list = epochDriftAssumptions(drift);
    expect(list.map((a) => a.name)).toContain('epochDrift.shape');
    const scale = list.find((a) => a.name === 'epochDrift.scaleTokens')!;
    expect(scale.value).toBeCloseTo(drift.scaleTokens, 3);
    expect(scale.unit).toBe('tokens');
    for (const a of list) expect(a.why.length).toBeGreaterThan(20);
  });
});
