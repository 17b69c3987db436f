import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioCostModel } from '../../../harness/scenario/cost-model.js';
import { loadScenario } from '../../../harness/scenario/loader.js';
import { findScheduler } from '../../../harness/schedulers/index.js';
import { checkExactlyOnce, checkSpans, checkSpansInsideAllocations } from '../../../harness/sim/invariants.js';
import { generateWorkload } from '../../../harness/traces/generate/generate-workload.js';
import { parseLengthModel } from '../../../harness/traces/generate/length-model.js';
import { createRng } from '../../../harness/util/rng.js';
import { projectRoot } from '../../../harness/util/shared-data.js';

describe('the 20-node H100 simulation setting (Llama-2-70B, batch 512, 2 GPUs per actor, generation only)', () => {
  it('runs: plans among 1..80 actors, generates every sample once, and has no serverless start-up in a generation-only scope', async () => {
    const scenario = await loadScenario(join(projectRoot, 'harness', 'scenario', 'scenarios', 'rlhfless-sim-70b.json'));
    const cost = await scenarioCostModel(scenario);
    const path = join(projectRoot, 'traces', 'fitted', 'polytrace-dapo-32b.json');
    const model = parseLengthModel(await readFile(path, 'utf8'), path);
    const [iteration] = generateWorkload(model, { seed: 3, iterations: 1, promptsPerIteration: 512, samplesPerPrompt: 1, maxResponseTokens: 8192, parametersName: 'polytrace-dapo-32b' }).iterations;
    const result = findScheduler('rlhfless')!.run(scenario, iteration!, cost, createRng(1));
    expect(result.samples).toBe(512);
    expect(result.counters['actor_candidates']).toBe(80);
    expect(result.counters['decode_actors']).toBeGreaterThanOrEqual(1);
    expect(result.counters['decode_actors']).toBeLessThanOrEqual(80);
    expect(result.counters['cold_starts'] ?? 0).toBe(0);
    expect(Object.keys(result.stagesS).filter((s) => s !== 'generation' && s !== 'kv-migration')).toEqual([]);
    expect(checkSpans(result.spans, 160)).toEqual([]);
    expect(checkSpansInsideAllocations(result.spans, result.allocations)).toEqual([]);
    expect(checkExactlyOnce(result.ledger!, ['generate'])).toEqual([]);
  });
});
