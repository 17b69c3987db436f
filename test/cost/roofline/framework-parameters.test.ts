import { describe, expect, it } from 'vitest';
import type { CostAssumptions } from '../../../harness/cost/assumptions.js';
import { gpuById, modelById } from '../../../harness/cost/catalog/index.js';
import { createRooflineCostModel } from '../../../harness/cost/roofline/model.js';

/**
 * The cost-model parameters a framework calibration fits (harness/cost/framework/): each moves
 * the times it describes, in the direction and by the amount its definition says, and nothing else.
 */
const model = modelById('qwen2.5-7b');
const gpu = gpuById('a100-80gb');
const replica = (assumptions: Partial<CostAssumptions>, layout: { tp: number; pp: number; trainingEngine?: 'fsdp' | 'megatron' } = { tp: 1, pp: 1 }) =>
  createRooflineCostModel(gpu, undefined, { assumptions }).replica(model, layout);

describe('framework parameters in the roofline replica', () => {
  const base = replica({});

  it('an FSDP kernel scale multiplies the kernels of forwards and training on FSDP replicas, not generation', () => {
    const scaled = replica({ fsdpKernelScale: 2 });
    // forwardS is kernels only at tp = pp = 1 (no TP communication, no stage sends): exactly doubled
    expect(scaled.forwardS(4096, 8)).toBeCloseTo(2 * base.forwardS(4096, 8), 9);
    expect(scaled.trainStageBackwardS(4096, 8)).toBeCloseTo(2 * base.trainStageBackwardS(4096, 8), 9);
    expect(scaled.decodeStepS(64, 64 * 500)).toBe(base.decodeStepS(64, 64 * 500));
    expect(scaled.prefillS(4096, 8)).toBe(base.prefillS(4096, 8));
  });

  it('the Megatron kernel scale acts on Megatron replicas only (TP or PP > 1, or named)', () => {
    expect(replica({ megatronKernelScale: 3 }).forwardS(4096, 8)).toBe(base.forwardS(4096, 8));
    const megatron = replica({}, { tp: 1, pp: 1, trainingEngine: 'megatron' });
    expect(replica({ megatronKernelScale: 3 }, { tp: 1, pp: 1, trainingEngine: 'megatron' }).forwardS(4096, 8)).toBeCloseTo(3 * megatron.forwardS(4096, 8), 9);
  });

  it('a pass overhead is paid once per forward pass of a micro-batch, and in proportion by the backward (with recompute: 2 + 1)', () => {
    const withOverhead = replica({ fsdpPassOverheadS: 0.05 });
    expect(withOverhead.forwardS(4096, 8) - base.forwardS(4096, 8)).toBeCloseTo(0.05, 12);
    expect(withOverhead.trainStageForwardS(4096, 8) - base.trainStageForwardS(4096, 8)).toBeCloseTo(0.05, 12);
    expect(withOverhead.trainStageBackwardS(4096, 8) - base.trainStageBackwardS(4096, 8)).toBeCloseTo(3 * 0.05, 12);
    // 8,192 tokens in 8 micro-batches pay the overhead 8 times; in 2, twice
    const added = (microBatches: number) => microBatches * (withOverhead.forwardS(8192 / microBatches, 1) - base.forwardS(8192 / microBatches, 1));
    expect(added(8)).toBeCloseTo(8 * 0.05, 12);
    expect(added(2)).toBeCloseTo(2 * 0.05, 12);
  });

  it('a Megatron pass overhead is paid per pipeline stage in a whole-model forward', () => {
    const pp2 = replica({}, { tp: 1, pp: 2 });
    expect(replica({ megatronPassOverheadS: 0.04 }, { tp: 1, pp: 2 }).forwardS(4096, 8) - pp2.forwardS(4096, 8)).toBeCloseTo(2 * 0.04, 12);
  });

  it('a decode sequence overhead adds batch × seconds to every decode step, nothing to forwards', () => {
    const withHost = replica({ decodeSequenceOverheadS: 1e-4 });
    expect(withHost.decodeStepS(64, 64 * 500) - base.decodeStepS(64, 64 * 500)).toBeCloseTo(64e-4, 12);
    expect(withHost.decodeStepsS(64, 64 * 500, 10) - base.decodeStepsS(64, 64 * 500, 10)).toBeCloseTo(10 * 64e-4, 9);
    expect(withHost.forwardS(4096, 8)).toBe(base.forwardS(4096, 8));
  });

  it('a TP sync overhead costs nothing at TP 1 and layers × (TP − 1) × seconds per decode step beyond', () => {
    expect(replica({ decodeTpSyncOverheadS: 1e-4 }).decodeStepS(8, 8 * 500)).toBe(base.decodeStepS(8, 8 * 500));
    const tp4 = replica({}, { tp: 4, pp: 1 });
    const synced = replica({ decodeTpSyncOverheadS: 1e-4 }, { tp: 4, pp: 1 });
    expect(synced.decodeStepS(8, 8 * 500) - tp4.decodeStepS(8, 8 * 500)).toBeCloseTo(model.layers * 3 * 1e-4, 12);
  });

  it('a GPU kernel scale multiplies every kernel time (decode weights read and training alike)', () => {
    const slow = replica({ gpuKernelScale: 2, servingEngine: 'kernels-only' });
    const kernelsOnly = replica({ servingEngine: 'kernels-only' });
    expect(slow.decodeStepS(1, 100) / kernelsOnly.decodeStepS(1, 100)).toBeCloseTo(2, 6);
    expect(slow.forwardS(4096, 8) / kernelsOnly.forwardS(4096, 8)).toBeCloseTo(2, 6);
  });
});
