import { describe, expect, it } from 'vitest';
import { findScheduler } from '../../../harness/schedulers/index.js';
import { IterationContext } from '../../../harness/schedulers/iteration-context.js';
import { historyAfter } from '../../../harness/schedulers/history.js';
import { replayIterations } from '../../run/fixtures/replay.js';
import { rlhflessSettings } from '../../../harness/schedulers/rlhfless/registry.js';
import { decideStep } from '../../../harness/schedulers/rlhfless/scheduler.js';
import { createRng } from '../../../harness/util/rng.js';
import { linearCostModel } from '../../sim/fixtures/linear-cost.js';
import { iteration, outcome, rlhflessScenario, run, type GroupSpec } from './fixtures.js';

const skewed: GroupSpec[] = [
  { prompt: 20, responses: [400] },
  { prompt: 30, responses: [12] },
  { prompt: 25, responses: [300] },
  { prompt: 15, responses: [8] },
  { prompt: 40, responses: [250] },
  { prompt: 10, responses: [20] },
  { prompt: 35, responses: [15] },
  { prompt: 20, responses: [30] },
];

describe('deduplicated prefill', () => {
  it('gives exactly zero gain with one response per prompt and no shared prefix', () => {
    const on = run('rlhfless', rlhflessScenario(), iteration(skewed));
    const off = run('rlhfless', rlhflessScenario({ rlhfless: { deduplicatedPrefill: false } }), iteration(skewed));
    expect(outcome(on)).toEqual(outcome(off));
    expect(on.counters['prefill_actor_tokens']).toBe(0);
  });

  it('prefills a GRPO group\'s prompt once on the prefill actor instead of once per sample on the decode actors', () => {
    const groups: GroupSpec[] = Array.from({ length: 6 }, (_, i) => ({ prompt: 50 + 10 * i, responses: [40 + i, 60, 80 - i, 100] }));
    const scenario = (dedup: boolean) => rlhflessScenario({ rlhfless: { deduplicatedPrefill: dedup } }, { kind: 'grpo', samplesPerPrompt: 4, prompts: 6 });
    const on = run('rlhfless', scenario(true), iteration(groups));
    const off = run('rlhfless', scenario(false), iteration(groups));
    const prompts = groups.reduce((sum, g) => sum + g.prompt, 0);
    expect(on.counters['prefill_actor_tokens']).toBe(prompts);
    expect(on.counters['prefill_tokens']).toBe(0);
    expect(off.counters['prefill_tokens']).toBe(4 * prompts);
    expect(off.counters['prefill_actor_tokens']).toBe(0);
  });

  it('ships a shared template\'s KV and leaves each prompt\'s remainder to its decode actor', () => {
    const groups: GroupSpec[] = skewed.map((g) => ({ ...g, prompt: g.prompt + 100, sharedPrefixTokens: 100 }));
    const on = run('rlhfless', rlhflessScenario(), iteration(groups));
    expect(on.counters['prefill_actor_tokens']).toBe(100);
    expect(on.counters['prefill_tokens']).toBe(skewed.reduce((sum, g) => sum + g.prompt, 0));
  });
});

describe('prompt assignment and cut-and-migrate', () => {
  const equal: GroupSpec[] = Array.from({ length: 8 }, (_, i) => ({ prompt: 10 + i, responses: [200] }));
  const fixedN = (extra: Record<string, number | string | boolean>) => rlhflessScenario({ rlhfless: { actorScaling: false, predictor: 'oracle', ...extra } });

  it('give ~zero gain when every response has the same length', () => {
    const base = run('rlhfless', fixedN({}), iteration(equal));
    const noAssign = run('rlhfless', fixedN({ promptAssignment: false }), iteration(equal));
    const noCut = run('rlhfless', fixedN({ cutAndMigrate: false }), iteration(equal));
    for (const other of [noAssign, noCut]) {
      expect(Math.abs(other.iterationTimeS / base.iterationTimeS - 1)).toBeLessThan(0.005);
      expect(Math.abs(other.gpuSecondsAllocated / base.gpuSecondsAllocated - 1)).toBeLessThan(0.005);
    }
    expect(base.counters['cuts'] ?? 0).toBe(0);
  });

  it('do change the step when lengths are skewed (the check above can fail)', () => {
    const base = run('rlhfless', fixedN({}), iteration(skewed));
    const noAssign = run('rlhfless', fixedN({ promptAssignment: false }), iteration(skewed));
    expect(base.gpuSecondsAllocated).not.toBeCloseTo(noAssign.gpuSecondsAllocated, 0);
    // Trace-order chunks leave a long response (250) on the actor of short ones: once it reaches
    // tau and the other actor's short responses have freed slots, it is cut and released early.
    const cut = run('rlhfless', fixedN({ promptAssignment: false }), iteration(skewed));
    const noCut = run('rlhfless', fixedN({ promptAssignment: false, cutAndMigrate: false }), iteration(skewed));
    expect(cut.counters['cuts']).toBeGreaterThan(0);
    // The cut actor is released early: fewer GPU-seconds than holding it to its last response.
    expect(cut.gpuSecondsAllocated).toBeLessThan(noCut.gpuSecondsAllocated);
  });

  it('never cuts at tau = 1, and every migrated response finishes exactly once', () => {
    const never = run('rlhfless', fixedN({ tau: 1, promptAssignment: false }), iteration(skewed));
    expect(never.counters['cuts'] ?? 0).toBe(0);
    const eager = run('rlhfless', fixedN({ tau: 0.5, promptAssignment: false }), iteration(skewed));
    expect(eager.counters['migrated_sequences']).toBeGreaterThan(0);
    for (let id = 0; id < eager.samples; id++) expect(eager.ledger!.count('generate', id)).toBe(1);
  });

  it('a cut waits for free slots, which only finished responses free: with every actor still holding all it was given, nothing is cut (RLHFless §3.4)', () => {
    // "With no free slot anywhere, the cut has to wait, so very early cuts seldom happen" and
    // "τ ≤ 0.5 brings no further saving": an actor's slots are the responses it started with, not
    // the engine's max_num_seqs (256 here), or the cut would never have to wait.
    const full: GroupSpec[] = [8, 400, 400, 400, 400, 400, 400, 400].map((r, i) => ({ prompt: 10 + i, responses: [r] }));
    const early = run('rlhfless', fixedN({ tau: 0.25, promptAssignment: false }), iteration(full));
    expect(early.counters['cuts'] ?? 0).toBe(0);
    // Once the other actor has freed as many slots as the cut actor holds unfinished, the cut goes ahead.
    const freeing: GroupSpec[] = [8, 400, 400, 400, 10, 20, 30, 400].map((r, i) => ({ prompt: 10 + i, responses: [r] }));
    const later = run('rlhfless', fixedN({ tau: 0.25, promptAssignment: false }), iteration(freeing));
    expect(later.counters['cuts']).toBe(1);
    expect(later.counters['migrated_sequences']).toBeLessThanOrEqual(3);
    for (let id = 0; id < later.samples; id++) expect(later.ledger!.count('generate', id)).toBe(1);
  });

  it('re-prefills migrated responses instead of moving their KV when asked', () => {
    const moved = run('rlhfless', fixedN({ tau: 0.5, promptAssignment: false }), iteration(skewed));
    const recomputed = run('rlhfless', fixedN({ tau: 0.5, promptAssignment: false, migrationMode: 're-prefill' }), iteration(skewed));
    expect(moved.counters['migrated_kv_tokens']).toBeGreaterThan(0);
    expect(moved.counters['recomputed_tokens']).toBe(0);
    expect(recomputed.counters['recomputed_tokens']).toBeGreaterThan(0);
    expect(recomputed.counters['migrated_kv_tokens'] ?? 0).toBe(0);
  });
});

describe('cost-aware actor scaling on a real step', () => {
  const decide = (lambda: number) => {
    const scenario = rlhflessScenario({ rlhfless: { lambda, localityForm: 'off', predictor: 'oracle' } });
    const ctx = new IterationContext('rlhfless', scenario, iteration(skewed), linearCostModel(), createRng(1));
    return decideStep(ctx, rlhflessSettings('rlhfless', scenario), undefined).plan;
  };

  it('λ = 1 picks the fastest N and λ = 0 the cheapest', () => {
    const fast = decide(1);
    const cheap = decide(0);
    expect(fast.candidates.map((c) => c.actors)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(fast.actors.length).toBe(fast.candidates.reduce((a, b) => (b.timeS < a.timeS ? b : a)).actors);
    expect(cheap.actors.length).toBe(cheap.candidates.reduce((a, b) => (b.costGpuS < a.costGpuS ? b : a)).actors);
    expect(fast.actors.length).toBeGreaterThan(cheap.actors.length);
  });

  it('runs the chosen number of decode actors', () => {
    expect(run('rlhfless', rlhflessScenario({ rlhfless: { lambda: 1, localityForm: 'off', predictor: 'oracle' } }), iteration(skewed)).counters['decode_actors']).toBe(decide(1).actors.length);
  });
});

describe('serverless billing', () => {
  it('bills fewer GPU-seconds than the serverful veRL baseline running the same actors', () => {
    const scenario = rlhflessScenario({ 'rlhfless-naive': { coldStartS: 0, modelLoadS: 0 } });
    const naive = run('rlhfless-naive', scenario, iteration(skewed));
    const verl = run('verl', scenario, iteration(skewed));
    expect(naive.counters['decode_actors']).toBe(scenario.generation.instances);
    expect(naive.gpuSecondsAllocated).toBeLessThan(verl.gpuSecondsAllocated);
    // veRL pays every GPU for its whole step.
    expect(verl.gpuSecondsAllocated).toBeCloseTo(8 * verl.iterationTimeS, 9);
  });

  it('pays a cold start on demand in the first step and hides it by pre-warming in later ones', () => {
    const scenario = rlhflessScenario({ 'rlhfless-naive': { coldStartS: 30 } });
    const steps = [iteration(skewed, 0), iteration(skewed, 1)];
    const [first, second] = replayIterations(scenario, steps, [findScheduler('rlhfless-naive')!], linearCostModel(), 1);
    expect(first!.counters['cold_starts']).toBeGreaterThan(0);
    expect(second!.counters['cold_starts'] ?? 0).toBe(0);
    expect(first!.iterationTimeS - second!.iterationTimeS).toBeGreaterThan(30);
  });
});

describe('length prediction across a replay', () => {
  it('with a perfect predictor (lengths repeat exactly) rlhfless makes the oracle\'s step', () => {
    const scenario = rlhflessScenario({ rlhfless: { coldStartS: 0 }, oracle: { coldStartS: 0 } });
    const [first, second] = [iteration(skewed, 0), iteration(skewed, 1)];
    // Same random stream for both, so only the predictions can differ.
    const ewmaFirst = run('rlhfless', scenario, first);
    const ewmaSecond = run('rlhfless', scenario, second, historyAfter(findScheduler('rlhfless')!, scenario, [first], [ewmaFirst]));
    const oracleSecond = run('oracle', scenario, second, historyAfter(findScheduler('oracle')!, scenario, [first]));
    expect(ewmaFirst.counters['predicted_from_fallback']).toBe(8);
    expect(ewmaSecond.counters['predicted_from_history']).toBe(8);
    expect(outcome(ewmaSecond)).toEqual(outcome(oracleSecond));
    expect(outcome(ewmaFirst)).not.toEqual(outcome(run('oracle', scenario, first)));
  });
});
