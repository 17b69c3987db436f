import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CostModel, Placement } from '../../../harness/cost/types.js';
import {
  contextParallelExchangeS,
  distributedOptimizerSyncS,
  expertAllToAllBytesPerGpu,
  expertAllToAllS,
  exposedCommunicationS,
  parameterAllGatherS,
  ulyssesAllToAllSPerToken,
} from '../../../harness/schedulers/training/collectives.js';
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

/** Links of round numbers: 400 GB/s inside a node, 50 GB/s per GPU across nodes; all-reduce as a ring at 100 GB/s. */
const LINKS = { sameNode: 400e9, otherNode: 50e9 };
const links = {
  ...linearCostModel(),
  transferS: (bytes: number, placement: Placement) => (placement === 'same-gpu' ? 0 : bytes / (placement === 'other-node' ? LINKS.otherNode : LINKS.sameNode)),
  allReduceS: (bytes: number, workers: number) => (workers > 1 ? (2 * (workers - 1) * bytes) / workers / 100e9 : 0),
} satisfies CostModel;

describe('expert-parallel all-to-all (dispatch / combine of one MoE layer)', () => {
  it('sends tokens × k × hidden × bytes × (EP − 1)/EP from every GPU', () => {
    expect(expertAllToAllBytesPerGpu(4096, 8, 2048, 2, 8)).toBe((4096 * 8 * 2048 * 2 * 7) / 8);
    expect(expertAllToAllBytesPerGpu(4096, 8, 2048, 2, 1)).toBe(0);
  });

  it('grows with the tokens and with the EP degree inside a node', () => {
    const time = (tokens: number, ep: number) => expertAllToAllS(links, expertAllToAllBytesPerGpu(tokens, 8, 2048, 2, ep), ep, 8);
    expect(time(8192, 8) / time(4096, 8)).toBeCloseTo(2, 12);
    expect(time(4096, 2)).toBeCloseTo((4096 * 8 * 2048 * 2 * 0.5) / 400e9, 15);
    expect(time(4096, 4)).toBeGreaterThan(time(4096, 2));
    expect(time(4096, 8)).toBeGreaterThan(time(4096, 4));
  });

  it('crosses to the network beyond a node: EP 16 over nodes of 8 sends 8 of its 15 peers\' share at the NIC rate', () => {
    const bytes = expertAllToAllBytesPerGpu(4096, 8, 2048, 2, 16);
    const expected = Math.max((bytes * 7) / 15 / 400e9, (bytes * 8) / 15 / 50e9);
    expect(expertAllToAllS(links, bytes, 16, 8)).toBeCloseTo(expected, 15);
    const inNode = expertAllToAllS(links, expertAllToAllBytesPerGpu(4096, 8, 2048, 2, 8), 8, 8);
    expect(expertAllToAllS(links, bytes, 16, 8) / inNode).toBeGreaterThan(4);
  });
});

describe('context parallelism and the distributed optimizer', () => {
  it('ring attention passes each GPU\'s K/V chunk on cp − 1 times per layer', () => {
    expect(contextParallelExchangeS(links, 2048, 1024, 4, false)).toBeCloseTo((3 * 2048 * 1024) / 400e9, 15);
    expect(contextParallelExchangeS(links, 2048, 1024, 4, true)).toBeCloseTo((3 * 2048 * 1024) / 50e9, 15);
    expect(contextParallelExchangeS(links, 2048, 1024, 1, false)).toBe(0);
  });

  it('reduce-scatters fp32 gradients and all-gathers bf16 parameters: half an all-reduce of each', () => {
    const p = 1e9;
    expect(distributedOptimizerSyncS(links, p, 8, false, 2)).toBeCloseTo(0.5 * ((2 * 7 * 4 * p) / 8 / 100e9) + 0.5 * ((2 * 7 * 2 * p) / 8 / 100e9), 12);
    expect(distributedOptimizerSyncS(links, p, 1, false, 2)).toBe(0);
  });
});
