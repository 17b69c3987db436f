import { describe, expect, it } from 'vitest';
import { createRooflineCostModel, gpuById, loadDefaultCalibration, modelById } from '../../../harness/cost/index.js';
import { layerSplit, stageTimes } from '../../../harness/schedulers/rlhfuse/stage-times.js';
import { linearCostModel, testModel } from '../../sim/fixtures/linear-cost.js';

describe('layerSplit', () => {
  it("splits layers evenly, the remainder on the first stages (Megatron's uniform split)", () => {
    expect(layerSplit(80, 8)).toEqual(new Array(8).fill(10));
    expect(layerSplit(60, 8)).toEqual([8, 8, 8, 8, 7, 7, 7, 7]);
    expect(layerSplit(3, 4)).toEqual([1, 1, 1, 0]);
  });
});

describe('stageTimes on the roofline model', async () => {
  const cost = createRooflineCostModel(gpuById('h800'), await loadDefaultCalibration());
  const model = modelById('llama-65b');
  const at = (layout: { tp: number; pp: number }) => cost.replica(model, layout);
  const times = stageTimes(at, 8, 8);
  const tokens = 4096;

  it('adds up, over the stages, to the whole model on one stage (layers + embedding + head)', () => {
    let sum = 0;
    for (let s = 0; s < 8; s++) sum += times.forwardS(s, tokens, 2);
    expect(sum).toBeCloseTo(at({ tp: 8, pp: 1 }).trainStageForwardS(tokens, 2), 9);
  });

  it("gives the last stage the cost model's busiest stage (its layers plus the LM head) and the middle ones less", () => {
    expect(times.forwardS(7, tokens, 2)).toBeCloseTo(at({ tp: 8, pp: 8 }).trainStageForwardS(tokens, 2), 12);
    expect(times.forwardS(3, tokens, 2)).toBeLessThan(times.forwardS(7, tokens, 2));
    expect(times.forwardS(0, tokens, 2)).toBeGreaterThan(times.forwardS(3, tokens, 2));
  });

  it("keeps the cost model's backward-to-forward ratio on every stage and scales activations by layers", () => {
    const replica = at({ tp: 8, pp: 8 });
    const ratio = replica.trainStageBackwardS(tokens, 2) / replica.trainStageForwardS(tokens, 2);
    for (const s of [0, 4, 7]) expect(times.backwardS(s, tokens, 2) / times.forwardS(s, tokens, 2)).toBeCloseTo(ratio, 12);
    expect(times.activationBytes(2, tokens, 2)).toBe(replica.activationBytesPerStage(tokens, 2));
    const critic = stageTimes((l) => cost.replica(modelById('llama-33b'), l), 8, 8); // 60 layers: 8 on the first four stages, 7 on the rest
    expect(critic.activationBytes(7, tokens, 2) / critic.activationBytes(0, tokens, 2)).toBeCloseTo(7 / 8, 12);
  });
});

describe('stageTimes on a cost model with no embedding or head cost', () => {
  it('gives every stage its share of the layers', () => {
    const cost = linearCostModel();
    const times = stageTimes((l) => cost.replica(testModel('m'), l), 1, 4); // 8 layers, 2 per stage
    // Linear double: stage forward = 0.002 · tokens / (tp · pp) with pp the stage count: 0.002 · 1000 / 4 = 0.5.
    for (let s = 0; s < 4; s++) expect(times.forwardS(s, 1000, 1)).toBeCloseTo(0.5, 12);
    expect(times.backwardS(2, 1000, 1)).toBeCloseTo(1, 12);
  });
});
