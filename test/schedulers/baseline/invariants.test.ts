import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBarrier, checkExactlyOnce, checkPhaseOrder, checkSpans, checkSpansInsideAllocations } from '../../../harness/sim/invariants.js';
import { schedulers } from '../../../harness/schedulers/index.js';
import { createRng } from '../../../harness/util/rng.js';
import { linearCostModel, linearReplica } from '../../sim/fixtures/linear-cost.js';
import { iterationOf, testScenario } from '../fixtures/scenario.js';

const divisorsUpTo = (n: number) => [1, 2, 4, 8].filter((d) => d <= n && n % d === 0);

/** A random small cluster, layout and trace that every baseline can run. */
const caseArbitrary = fc
  .record({
    nodes: fc.integer({ min: 1, max: 3 }),
    gpusPerNode: fc.constantFrom(4, 8),
    kind: fc.constantFrom<'ppo' | 'grpo'>('ppo', 'grpo'),
    rewardModel: fc.boolean(),
    promptSharing: fc.boolean(),
    groups: fc.array(
      fc.record({ prompt: fc.integer({ min: 1, max: 200 }), responses: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 4 }), rewardLatencyS: fc.double({ min: 0, max: 0.1, noNaN: true }) }),
      { minLength: 1, maxLength: 24 },
    ),
    pick: fc.array(fc.nat(1000), { minLength: 8, maxLength: 8 }),
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
      instances: 1 + (c.pick[5]! % (total / generationTp)),
      maxConcurrentSequences: (c.promptSharing ? 4 : 1) + (c.pick[6]! % 8),
      promptSharing: c.promptSharing,
      layout: { tp, pp, dp, microBatchSamples: 1 + (c.pick[7]! % 3) },
      rewardModel: c.rewardModel,
      // Small enough that every layout of these clusters fits in memory (schedulers that know their training engine check it).
      model: 'qwen2.5-0.5b-instruct',
    });
    return { scenario, iteration: iterationOf(groups), total };
  });

describe('every baseline scheduler, over random scenarios and traces', () => {
  // The asynchronous schedulers report a window of a pipeline (what was trained in it, no per-sample ledger, pools sized by a split): test/schedulers/async/.
  for (const entry of schedulers.filter((s) => s.name !== 'one-step-off' && s.name !== 'fully-async')) {
    it(`${entry.name}: no GPU runs two tasks at once, every sample goes through every phase once and in order, metrics add up`, () => {
      fc.assert(
        fc.property(caseArbitrary, fc.integer({ min: 0, max: 1000 }), ({ scenario, iteration, total }, seed) => {
          const cost = linearCostModel();
          const result = entry.run(scenario, iteration, cost, createRng(seed));
          expect(checkSpans(result.spans, total)).toEqual([]);
          expect(checkSpansInsideAllocations(result.spans, result.allocations)).toEqual([]);

          const ledger = result.ledger!;
          const ppo = scenario.algorithm.kind === 'ppo';
          const inference = ['ref', 'reward', ...(ppo ? ['values'] : []), ...(entry.name === 'verl' || entry.name === 'openrlhf' ? ['old_log_prob'] : [])];
          const training = ['update_actor', ...(ppo ? ['update_critic'] : [])];
          expect(checkExactlyOnce(ledger, ['generate', ...inference, ...training])).toEqual([]);
          expect(checkPhaseOrder(ledger, ['generate'], inference)).toEqual([]);
          expect(checkBarrier(ledger, ['generate', ...inference], training)).toEqual([]);

          // Busy GPU-seconds are the spans' GPU-seconds; cost is allocated GPU-hours × price.
          const busy = result.spans.reduce((sum, s) => sum + s.gpus * (s.endS - s.startS), 0);
          expect(result.gpuSecondsBusy).toBeCloseTo(busy, 6);
          expect(result.costUsd).toBeCloseTo((result.gpuSecondsAllocated / 3600) * scenario.cluster.priceUsdPerGpuHour, 9);
          expect(result.gpuSecondsAllocated).toBeGreaterThanOrEqual(result.gpuSecondsBusy - 1e-6);
          expect(result.utilization).toBeLessThanOrEqual(1 + 1e-9);
          expect(result.samples).toBe(iteration.groups.reduce((n, g) => n + g.responseTokens.length, 0));

          // Critical-path lower bound: the longest sample generated alone on the widest TP group,
          // then one forward of it and one optimizer step.
          let longest = 0;
          let longestPrompt = 0;
          for (const g of iteration.groups) {
            for (const r of g.responseTokens) {
              const clipped = Math.min(256, r);
              if (clipped > longest || (clipped === longest && g.promptTokens > longestPrompt)) {
                longest = clipped;
                longestPrompt = g.promptTokens;
              }
            }
          }
          const widest = linearReplica({}, { tp: scenario.cluster.gpusPerNode, pp: 1 });
          const steps = Math.max(1, longest) - 1;
          const bound =
            widest.prefillS(longestPrompt, 1) +
            widest.decodeStepsS(1, longestPrompt + 1, steps) +
            widest.forwardS(longestPrompt + longest, 1) +
            linearReplica().optimizerStepS(1);
          expect(result.iterationTimeS).toBeGreaterThanOrEqual(bound - 1e-9);
        }),
        { seed: 7, numRuns: 40 },
      );
    });

    it(`${entry.name}: same inputs, same result`, () => {
      fc.assert(
        fc.property(caseArbitrary, ({ scenario, iteration }) => {
          const a = entry.run(scenario, iteration, linearCostModel(), createRng(5));
          const b = entry.run(scenario, iteration, linearCostModel(), createRng(5));
          const { ledger: _a, ...restA } = a;
          const { ledger: _b, ...restB } = b;
          expect(JSON.stringify(restA)).toBe(JSON.stringify(restB));
        }),
        { seed: 8, numRuns: 10 },
      );
    });
  }
});
