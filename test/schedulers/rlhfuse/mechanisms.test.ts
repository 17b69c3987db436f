import { describe, expect, it } from 'vitest';
import { dapoIterations, defaultTraceIterations, generationInferenceS, run, testbed, trainingS, withLayouts, withParameters } from './fixtures/testbed.js';

/**
 * The mechanism checks of DESIGN.md and issue 5, on the shipped RLHFuse testbed (65B actor, 33B
 * critic, 256 H800s) and cost model. Each compares an RLHFuse ablation with RLHFuse-Base on the
 * same iteration; each has a positive control, so a fusion that silently did nothing would fail.
 */
const gain = (base: number, fused: number) => base / fused - 1;

describe('inter-stage fusion (generation ⊕ inference)', async () => {
  const { scenario, cost } = await testbed();
  const [iteration] = await defaultTraceIterations(scenario);

  it('gains under 3 % when every response has the same length, and more on the long-tailed trace', () => {
    const equal = { ...iteration!, groups: iteration!.groups.map((g) => ({ ...g, responseTokens: g.responseTokens.map(() => 552), truncated: g.responseTokens.map(() => false) })) };
    const equalGain = gain(run('rlhfuse-base', scenario, equal, cost).iterationTimeS, run('rlhfuse-inter', scenario, equal, cost).iterationTimeS);
    expect(equalGain).toBeLessThan(0.03);
    expect(equalGain).toBeGreaterThan(-0.03);
    const tailGain = gain(run('rlhfuse-base', scenario, iteration!, cost).iterationTimeS, run('rlhfuse-inter', scenario, iteration!, cost).iterationTimeS);
    expect(tailGain).toBeGreaterThan(0.03);
  });

  it('has a U-shaped migration-threshold curve on the long-tailed trace (optimum strictly inside, ends at least 3 % slower)', () => {
    const thresholds = [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5];
    const times = thresholds.map((t) => run('rlhfuse-inter', withParameters(scenario, 'rlhfuse-inter', { 'migration-threshold': t }), iteration!, cost).iterationTimeS);
    const best = Math.min(...times);
    const at = times.indexOf(best);
    // Measured on this testbed: the optimum lands near 7.5–10 % of the batch still unfinished (not tuned towards the paper's ≈ 20 %).
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(thresholds.length - 1);
    expect(times[0]!).toBeGreaterThan(best * 1.03);
    expect(times.at(-1)!).toBeGreaterThan(best * 1.03);
  });

  it('gains more the longer the generation cap, on same-family traces (the DAPO fit, 512 prompts × 8, caps 512 / 1024 / 2048)', async () => {
    const caps = [512, 1024, 2048];
    const gains: number[] = [];
    const savedS: number[] = [];
    for (const cap of caps) {
      const bed = await testbed(cap === 2048 ? 'rlhfuse-65b-33b' : `rlhfuse-65b-33b-gen${cap}`);
      let relative = 0;
      let saved = 0;
      for (const seed of [3, 4]) {
        // Two iterations: the second runs with the threshold tuned on the first, as RLHFuse does.
        const [first, second] = dapoIterations({ cap, prompts: 512, samples: 8, iterations: 2, seed });
        const base = generationInferenceS(run('rlhfuse-base', bed.scenario, second!, bed.cost));
        const fused = generationInferenceS(run('rlhfuse-inter', bed.scenario, second!, bed.cost, [first!]));
        relative += gain(base, fused) / 2;
        saved += (base - fused) / 2;
      }
      gains.push(relative);
      savedS.push(saved);
    }
    // Measured: ≈ 4 %, 4.7 %, 11 % of generation + inference (1.9 s, 3.3 s, 11 s hidden). With one
    // sample per prompt the trend reverses on this testbed (inference is ≈ 3 % of generation +
    // inference at the 2048 cap, the most fusion can hide); see the report.
    expect(gains[1]!).toBeGreaterThan(gains[0]!);
    expect(gains[2]!).toBeGreaterThan(gains[1]!);
    expect(savedS[1]!).toBeGreaterThan(savedS[0]!);
    expect(savedS[2]!).toBeGreaterThan(savedS[1]!);
  });
});

describe('intra-stage fusion (actor ‖ critic training)', async () => {
  const { scenario, cost } = await testbed();
  const [iteration] = dapoIterations({ cap: 2048, prompts: 512, samples: 1, iterations: 1 });

  it('gains under 1 % with one pipeline stage (no bubbles to fill), and more with the testbed’s PP 8 / PP 4', () => {
    const onePipelineStage = withLayouts(scenario, { actorTrain: { tp: 8, pp: 1, dp: 32, microBatchSamples: 2 }, criticTrain: { tp: 8, pp: 1, dp: 32, microBatchSamples: 1 } });
    const flat = gain(run('rlhfuse-base', onePipelineStage, iteration!, cost).iterationTimeS, run('rlhfuse-intra', onePipelineStage, iteration!, cost).iterationTimeS);
    expect(Math.abs(flat)).toBeLessThan(0.01);
    const base = run('rlhfuse-base', scenario, iteration!, cost);
    const fused = run('rlhfuse-intra', scenario, iteration!, cost);
    expect(gain(trainingS(base), trainingS(fused))).toBeGreaterThan(0.1);
  });
});
