import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exposedCommunicationS, parameterAllGatherS, ulyssesAllToAllSPerToken } from '../../../harness/schedulers/training/collectives.js';
import { linearCostModel, testModel } from '../../sim/fixtures/linear-cost.js';

describe('communication of sharded and sequence-parallel training', () => {
  it('exposes at least the collectives not hidden, and never less than what the compute cannot hide', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (comm, compute, overlap) => {
        const exposed = exposedCommunicationS(comm, compute, overlap);
        expect(exposed).toBeGreaterThanOrEqual((1 - overlap) * comm - 1e-12);
        expect(exposed).toBeGreaterThanOrEqual(comm - compute - 1e-12);
        expect(exposed).toBeLessThanOrEqual(comm + 1e-12);
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('all-gathers half an all-reduce of the weights, nothing within one GPU', () => {
    const cost = linearCostModel();
    expect(parameterAllGatherS(cost, 2e9, 4, false)).toBeCloseTo(0.5 * ((2 * 3 * 2e9) / 4 / 1e9), 12);
    expect(parameterAllGatherS(cost, 2e9, 1, false)).toBe(0);
  });

  it('sends (sp − 1)/sp of each GPU’s slice of Q, K, V and O per layer; K and V heads repeated up to sp', () => {
    const cost = linearCostModel();
    // test model: 8 layers, 8 heads (8 KV heads), head dim 64, bf16; sp 4: (16 + 16)·64·2 / 4 × 3/4 B per layer
    expect(ulyssesAllToAllSPerToken(cost, testModel('m'), 4, 'same-node')).toBeCloseTo((8 * ((32 * 64 * 2) / 4) * 0.75) / 1e9, 15);
    const gqa = { ...testModel('gqa'), kvHeads: 2 };
    expect(ulyssesAllToAllSPerToken(cost, gqa, 4, 'same-node')).toBeCloseTo((8 * (((16 + 8) * 64 * 2) / 4) * 0.75) / 1e9, 15);
    expect(ulyssesAllToAllSPerToken(cost, testModel('m'), 1, 'same-node')).toBe(0);
  });
});
