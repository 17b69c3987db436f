import { beforeAll, describe, expect, it } from 'vitest';
import { gpuById, modelById } from '../../../harness/cost/catalog/index.js';
import { loadDefaultCalibration } from '../../../harness/cost/index.js';
import { createRooflineCostModel } from '../../../harness/cost/roofline/model.js';
import type { Calibration } from '../../../harness/cost/calibration/types.js';
import type { GpuProfile } from '../../../harness/traces/types.js';
import { sharedProfiles } from './shared-profiles.js';

/**
 * Units at the boundary where profiles are read: Vidur and SplitwiseSim write milliseconds and
 * bytes; calibration must see seconds and bytes. Checked against values read off the CSVs by
 * hand, then end to end: the calibrated model predicts the files' own figures in seconds.
 */

let profiles: readonly GpuProfile[] = [];
let calibration: Calibration;
beforeAll(async () => {
  profiles = (await sharedProfiles()).profiles;
  calibration = await loadDefaultCalibration();
});

const rowOf = (fileEnd: string, line: number, op: string) => {
  const profile = profiles.find((p) => p.sources[0]!.endsWith(fileEnd))!;
  return profile.rows.find((r) => r.line === line && r.op === op)!;
};

describe('profile units at the reading boundary', () => {
  it('Vidur mlp.csv milliseconds become seconds (H100 Llama-2-7B line 2: emb median 0.119 ms, 4,096 tokens)', () => {
    const row = rowOf('h100/meta-llama/Llama-2-7b-hf/mlp.csv', 2, 'emb');
    expect(row.timeS).toBeCloseTo(0.119e-3, 12);
    expect(row.tokens).toBe(4096);
  });

  it('Vidur collective sizes stay bytes and times become seconds (A100 all_reduce line 2: 2,048 bytes, 0.043 ms)', () => {
    const row = rowOf('a100_dgx/all_reduce.csv', 2, 'all_reduce');
    expect(row.bytes).toBe(2048);
    expect(row.timeS).toBeCloseTo(0.043e-3, 12);
  });

  it('SplitwiseSim prompt_time and token_time milliseconds become seconds (line 2: 196.25 ms prefill, 54.88 ms per token)', () => {
    expect(rowOf('splitwise-sim/perf_model.csv', 2, 'prefill').timeS).toBeCloseTo(0.1962532191537321, 12);
    expect(rowOf('splitwise-sim/perf_model.csv', 2, 'decode_token').timeS).toBeCloseTo(0.05487951193752838, 12);
  });

  it('the calibrated model answers in seconds: Llama-2-70B at TP 8 on H100 decodes in ≈ 30 ms per token, as measured', () => {
    const replica = createRooflineCostModel(gpuById('h100-sxm'), calibration).replica(modelById('llama-2-70b'), { tp: 8, pp: 1 });
    const perToken = replica.decodeStepsS(1, 512, 128) / 128;
    expect(perToken).toBeGreaterThan(0.025);
    expect(perToken).toBeLessThan(0.035);
  });

  it('the measured vLLM decode speed (reference §5.1: Llama-3-8B, TP 1, 10 prompts) lies between the kernels-only and the fitted-engine predictions', () => {
    for (const [gpu, measuredS] of [['a100-80gb', 12.0e-3], ['h100-sxm', 7.6e-3]] as const) {
      const step = (engineOverheadScale: number) =>
        createRooflineCostModel(gpuById(gpu), calibration, { assumptions: { engineOverheadScale } }).replica(modelById('llama-3-8b'), { tp: 1, pp: 1 }).decodeStepS(10, 10 * 600);
      expect(step(0)).toBeLessThan(measuredS);
      expect(step(1)).toBeGreaterThan(measuredS);
    }
  });
});
