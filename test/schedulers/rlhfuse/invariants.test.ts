import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findScheduler } from '../../../harness/schedulers/index.js';
import { checkBarrier, checkExactlyOnce, checkPhaseOrder, checkSpans, checkSpansInsideAllocations } from '../../../harness/sim/invariants.js';
import { createRng } from '../../../harness/util/rng.js';
import { linearCostModel } from '../../sim/fixtures/linear-cost.js';
import { iterationOf, testScenario } from '../fixtures/scenario.js';

const divisorsUpTo = (n: number) => [1, 2, 4, 8].filter((d) => d <= n && n % d === 0);

/**
 * Random clusters, layouts, traces and RLHFuse settings, chosen so that migrations happen often
 * (low flat-batch tolerance on the linear cost double, thresholds over the whole range): the
 * engine's invariants must hold whatever the migration does.
 */
const caseArbitrary = fc
  .record({
    nodes: fc.integer({ min: 1, max: 3 }),
    gpusPerNode: fc.constantFrom(4, 8),
    kind: fc.constantFrom<'ppo' | 'grpo'>('ppo', 'ppo', 'grpo'),
    rewardModel: fc.boolean(),
    promptSharing: fc.boolean(),
    groups: fc.array(fc.record({ prompt: fc.integer({ min: 1, max: 200 }), responses: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 4 }) }), { minLength: 8, maxLength: 40 }),
    pick: fc.array(fc.nat(1000), { minLength: 8, maxLength: 8 }),
    settings: fc.record({
      'migration-threshold': fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.3, max: 0.9, noNaN: true })),
      'flat-batch-tolerance': fc.constantFrom(0.25, 1, 4),
      'kv-reservation': fc.constantFrom('current-context', 'max-length'),
      'survivor-work-proxy': fc.constantFrom('resident-kv-tokens', 'unfinished-samples', 'oracle-remaining-tokens'),
      'inference-split': fc.constantFrom('work-proportional', 'equal'),
      'frozen-weights-load': fc.constantFrom('after-release', 'prefetched'),
      'release-drained-instances': fc.boolean(),
      'prompt-assignment': fc.constantFrom('contiguous', 'round-robin'),
    }),
    scheduler: fc.constantFrom('rlhfuse', 'rlhfuse', 'rlhfuse-inter', 'rlhfuse-intra'),
  })
  .map((c) => {
    const total = c.nodes * c.gpusPerNode;
    const choose = <T>(list: readonly T[], i: number) => list[c.pick[i]! % list.length]!;
    const generationTp = choose(divisorsUpTo(Math.min(c.gpusPerNode, total / 4)), 0);
    const tp = choose(divisorsUpTo(c.gpusPerNode), 1);
    const pp = tp * 2 <= total ? choose([1, 2], 2) : 1;
    const dp = Math.max(1, Math.floor(total / (tp * pp)) - (c.pick[3]! % 2));
    const groups = c.kind === 'ppo' ? c.groups.map((g) => ({ ...g, responses: g.responses.slice(0, 1) })) : c.groups;
    const scenario = testScenario({
      nodes: c.nodes,
      gpusPerNode: c.gpusPerNode,
      kind: c.kind,
      samplesPerPrompt: c.kind === 'ppo' ? 1 : 4,
      prompts: groups.length,
      miniBatchPrompts: 1 + (c.pick[4]! % groups.length),
      maxResponseTokens: 256,
      generationTp,
      // Mostly several instances: a migration needs somewhere to move the tail from.
      instances: Math.min(total / generationTp, 2 + (c.pick[5]! % (total / generationTp))),
      maxConcurrentSequences: 4 + (c.pick[6]! % 8),
      promptSharing: c.promptSharing,
      layout: { tp, pp, dp, microBatchSamples: 1 + (c.pick[7]! % 3) },
      rewardModel: c.rewardModel,
      // The drawn values of the parameters this entry declares (an ablation refuses the other fusion's).
      schedulerParameters: { [c.scheduler]: Object.fromEntries(Object.entries(c.settings).filter(([name]) => findScheduler(c.scheduler)!.assumptions.some((a) => a.name === name))) },
    });
    return { scenario, iteration: iterationOf(groups), total, scheduler: c.scheduler };
  });

describe('rlhfuse schedulers over random scenarios, traces and settings', () => {
  it('never run two tasks on a GPU at once, run every sample through every phase exactly once and in order, and keep the barrier before training', () => {
    let migrations = 0;
    fc.assert(
      fc.property(caseArbitrary, ({ scenario, iteration, total, scheduler }) => {
        const result = findScheduler(scheduler)!.run(scenario, iteration, linearCostModel(), createRng(3));
        expect(checkSpans(result.spans, total)).toEqual([]);
        expect(checkSpansInsideAllocations(result.spans, result.allocations)).toEqual([]);
        const ppo = scenario.algorithm.kind === 'ppo';
        const inference = ['ref', 'reward', ...(ppo ? ['values'] : [])];
        const training = ['update_actor', ...(ppo ? ['update_critic'] : [])];
        const ledger = result.ledger!;
        expect(checkExactlyOnce(ledger, ['generate', ...inference, ...training])).toEqual([]);
        expect(checkPhaseOrder(ledger, ['generate'], inference)).toEqual([]);
        expect(checkBarrier(ledger, ['generate', ...inference], training)).toEqual([]);
        if ((result.counters.migrated_samples ?? 0) > 0) migrations++;
      }),
      { seed: 11, numRuns: 120 },
    );
    // The property covered the migration path, not only runs where nothing moved.
    expect(migrations).toBeGreaterThan(10);
  });
});
