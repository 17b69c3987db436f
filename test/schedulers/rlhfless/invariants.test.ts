import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rlhflessSchedulers } from '../../../harness/schedulers/rlhfless/registry.js';
import { replayIterations } from '../../run/fixtures/replay.js';
import { checkBarrier, checkExactlyOnce, checkPhaseOrder, checkSpans, checkSpansInsideAllocations } from '../../../harness/sim/invariants.js';
import type { Allocation, IterationResult } from '../../../harness/sim/types.js';
import { linearCostModel } from '../../sim/fixtures/linear-cost.js';
import { testScenario } from '../fixtures/scenario.js';
import { iteration } from './fixtures.js';

/** No GPU is paid for twice at once (co-located functions are billed once). */
function overlappingAllocations(allocations: readonly Allocation[], totalGpus: number): string[] {
  const problems: string[] = [];
  for (let gpu = 0; gpu < totalGpus; gpu++) {
    const held = allocations.filter((a) => gpu >= a.firstGpu && gpu < a.firstGpu + a.gpus).sort((a, b) => a.fromS - b.fromS);
    for (let i = 1; i < held.length; i++) if (held[i]!.fromS < held[i - 1]!.toS - 1e-9) problems.push(`GPU ${gpu}: ${held[i - 1]!.pool} and ${held[i]!.pool} overlap`);
  }
  return problems;
}

/** What a serverful system pays for the same schedule: every GPU from the first allocation to the step's end. */
function serverfulGpuSeconds(result: IterationResult, totalGpus: number): number {
  const startS = Math.min(0, ...result.allocations.map((a) => a.fromS));
  const endS = Math.max(result.iterationTimeS, ...result.allocations.map((a) => a.toS));
  return totalGpus * (endS - startS);
}

const caseArbitrary = fc
  .record({
    nodes: fc.integer({ min: 1, max: 2 }),
    gpusPerNode: fc.constantFrom(4, 8),
    kind: fc.constantFrom<'ppo' | 'grpo'>('ppo', 'grpo'),
    tp: fc.constantFrom(1, 2),
    instances: fc.integer({ min: 1, max: 3 }),
    template: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    prompts: fc.array(fc.record({ prompt: fc.integer({ min: 1, max: 120 }), responses: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 4 }) }), { minLength: 2, maxLength: 16 }),
    drift: fc.array(fc.integer({ min: -60, max: 60 }), { minLength: 16, maxLength: 16 }),
    parameters: fc.record({
      tau: fc.constantFrom(0.3, 0.5, 0.7, 1),
      lambda: fc.constantFrom(0, 0.3, 0.7, 1),
      migrationMode: fc.constantFrom('kv-transfer', 're-prefill'),
      migrationDestination: fc.constantFrom('most-free-kv', 'fewest-running'),
      cascade: fc.boolean(),
      localityForm: fc.constantFrom('sum', 'max', 'off'),
      prewarmBufferS: fc.constantFrom(-5, 0, 5),
      coldStartS: fc.constantFrom(0, 10),
    }),
  })
  .map((c) => {
    const groups = c.prompts.map((p, i) => ({ ...p, responses: c.kind === 'ppo' ? p.responses.slice(0, 1) : p.responses, id: `p${i}`, ...(c.template !== undefined ? { sharedPrefixTokens: c.template } : {}) }));
    // Two epochs over the same prompts, lengths drifted, so prediction and pre-warming have history.
    const next = groups.map((g, i) => ({ ...g, responses: g.responses.map((r) => Math.max(1, r + c.drift[i]!)) }));
    const total = c.nodes * c.gpusPerNode;
    // Each variant gets the drawn values of the parameters it declares (it refuses the others).
    const declared = (entry: (typeof rlhflessSchedulers)[number]) => Object.fromEntries(Object.entries(c.parameters).filter(([name]) => entry.assumptions.some((a) => a.name === name)));
    const parameters = Object.fromEntries(rlhflessSchedulers.map((s) => [s.name, declared(s)]));
    const scenario = testScenario({
      nodes: c.nodes,
      gpusPerNode: c.gpusPerNode,
      kind: c.kind,
      samplesPerPrompt: c.kind === 'ppo' ? 1 : 4,
      prompts: groups.length,
      miniBatchPrompts: Math.max(1, Math.floor(groups.length / 2)),
      maxResponseTokens: 512,
      generationTp: c.tp,
      instances: Math.min(c.instances, total / c.tp),
      maxConcurrentSequences: 64,
      layout: { tp: 1, pp: 1, dp: total, microBatchSamples: 4 },
      schedulerParameters: parameters,
    });
    return { scenario, steps: [iteration(groups, 0), iteration(next, 1)], total };
  });

describe('every RLHFless variant, over random scenarios and two-epoch replays', () => {
  it('keeps every engine invariant, bills each GPU once, and never more than a serverful system would', () => {
    fc.assert(
      fc.property(caseArbitrary, ({ scenario, steps, total }) => {
        const results = replayIterations(scenario, steps, rlhflessSchedulers, linearCostModel(), 3);
        expect(results.length).toBe(2 * rlhflessSchedulers.length);
        for (const result of results) {
          const where = `${result.scheduler} iteration ${result.iteration}`;
          expect(checkSpans(result.spans, total), where).toEqual([]);
          expect(checkSpansInsideAllocations(result.spans, result.allocations), where).toEqual([]);
          expect(overlappingAllocations(result.allocations, total), where).toEqual([]);
          const ppo = scenario.algorithm.kind === 'ppo';
          const inference = ['reward', 'old_log_prob', 'ref', ...(ppo ? ['values'] : [])];
          const training = ['update_actor', ...(ppo ? ['update_critic'] : [])];
          expect(checkExactlyOnce(result.ledger!, ['generate', ...inference, ...training]), where).toEqual([]);
          expect(checkPhaseOrder(result.ledger!, ['generate'], inference), where).toEqual([]);
          expect(checkBarrier(result.ledger!, ['generate', ...inference], training), where).toEqual([]);
          expect(result.gpuSecondsAllocated, where).toBeLessThanOrEqual(serverfulGpuSeconds(result, total) + 1e-6);
          expect(result.allocations.every((a) => a.fromS >= 0), where).toBe(true);
        }
      }),
      { seed: 11, numRuns: 25 },
    );
  });

  it('is deterministic: the same replay twice gives the same bytes', () => {
    fc.assert(
      fc.property(caseArbitrary, ({ scenario, steps }) => {
        const strip = (results: IterationResult[]) => JSON.stringify(results.map(({ ledger: _ledger, ...rest }) => rest));
        expect(strip(replayIterations(scenario, steps, rlhflessSchedulers, linearCostModel(), 3))).toBe(strip(replayIterations(scenario, steps, rlhflessSchedulers, linearCostModel(), 3)));
      }),
      { seed: 12, numRuns: 5 },
    );
  });
});
