import { describe, expect, it } from 'vitest';
import { gpuById, modelById } from '../../../harness/cost/catalog/index.js';
import { createProfileCostModel } from '../../../harness/cost/profile/model.js';
import { createRooflineCostModel } from '../../../harness/cost/roofline/model.js';
import type { GpuProfile, GpuProfileRow } from '../../../harness/traces/types.js';

/** A small Splitwise-like profile: per-token decode time over batch (at prompt 512) and over prompt (at batch 1). */
function profile(): GpuProfile {
  const rows: GpuProfileRow[] = [];
  let line = 2;
  const decode = (batch: number, prompt: number, timeS: number) =>
    rows.push({ device: 'h100-sxm', model: 'llama-2-70b', op: 'decode_token', batch, contextTokens: prompt, outputTokens: 129, tp: 4, timeS, file: 'fixture.csv', line: line++ });
  const prefill = (batch: number, prompt: number, timeS: number) =>
    rows.push({ device: 'h100-sxm', model: 'llama-2-70b', op: 'prefill', batch, tokens: prompt, contextTokens: prompt, tp: 4, timeS, file: 'fixture.csv', line: line++ });
  // mean decode context of a run = prompt + (129 − 1)/2 = prompt + 64
  decode(1, 512, 0.03);
  decode(8, 512, 0.032);
  decode(32, 512, 0.04);
  decode(1, 128, 0.029);
  decode(1, 4096, 0.031);
  prefill(1, 512, 0.06);
  prefill(4, 512, 0.2);
  prefill(1, 2048, 0.2);
  rows.push({ device: 'h100-sxm', model: '', op: 'all_reduce', bytes: 1024, workers: 4, crossNode: false, tp: 1, timeS: 20e-6, file: 'fixture.csv', line: line++ });
  rows.push({ device: 'h100-sxm', model: '', op: 'all_reduce', bytes: 1024 * 1024, workers: 4, crossNode: false, tp: 1, timeS: 40e-6, file: 'fixture.csv', line: line++ });
  return { format: 'test', sources: ['fixture.csv'], provenance: [], rows, notes: [] };
}

describe('profile-interpolating cost model', () => {
  const gpu = gpuById('h100-sxm');
  const model = createProfileCostModel(gpu, profile());
  const replica = model.replica(modelById('llama-2-70b'), { tp: 4, pp: 1 });

  it('answers inside the measured grid by interpolation and counts the query in range', () => {
    // batch 8 at 576 context per sequence: the measured batch axis
    expect(replica.decodeStepS(8, 8 * 576)).toBeCloseTo(0.032, 12);
    // batch 1 at 2,000 context: between 576 (0.030) and 4,160 (0.031)
    expect(replica.decodeStepS(1, 2000)).toBeCloseTo(0.03 + (0.001 * (2000 - 576)) / (4160 - 576), 12);
    // batch 4 of 512-token prompts, and 1 of 1,280 tokens
    expect(replica.prefillS(2048, 4)).toBeCloseTo(0.2, 12);
    expect(replica.prefillS(1280, 1)).toBeCloseTo(0.06 + (0.14 * 768) / 1536, 12);
    expect(model.allReduceS(1024 * 512 + 512, 4, false)).toBeCloseTo(20e-6 + (20e-6 * (1024 * 511 + 512)) / (1024 * 1023), 15);
    expect(model.rangeCounter.outOfRange).toBe(0);
    expect(model.rangeCounter.queries).toBe(5);
  });

  it('sums a decode run over the grid in closed form, equal to stepping through it', () => {
    let loop = 0;
    for (let k = 0; k < 300; k++) loop += replica.decodeStepS(8, 8 * (300 + k));
    expect(replica.decodeStepsS(8, 8 * 300, 300)).toBeCloseTo(loop, 12);
  });

  it('falls back to the roofline outside the grid and counts it, by kind', () => {
    const fresh = createProfileCostModel(gpu, profile());
    const r = fresh.replica(modelById('llama-2-70b'), { tp: 4, pp: 1 });
    const roofline = createRooflineCostModel(gpu).replica(modelById('llama-2-70b'), { tp: 4, pp: 1 });
    expect(r.decodeStepS(64, 64 * 576)).toBe(roofline.decodeStepS(64, 64 * 576)); // batch 64 was not measured
    expect(r.decodeStepsS(1, 4000, 500)).toBe(roofline.decodeStepsS(1, 4000, 500)); // runs past 4,160 context
    expect(fresh.replica(modelById('llama-2-70b'), { tp: 2, pp: 1 }).prefillS(512, 1)).toBeGreaterThan(0); // TP 2 not measured
    expect(fresh.rangeCounter).toEqual({ queries: 3, outOfRange: 3, outOfRangeByKind: { decode_step: 2, prefill: 1 } });
  });
});
