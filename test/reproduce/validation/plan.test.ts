import { describe, expect, it } from 'vitest';
import { isValidCaseId } from '../../../harness/jobs/cases.js';
import { loadScenario } from '../../../harness/scenario/loader.js';
import { DAPO_GPU_COUNTS, RLHFLESS_TESTBED_SCENARIO, VALIDATION_SCENARIO, validationCases } from '../../../harness/reproduce/validation/plan.js';
import { projectRoot } from '../../../harness/util/shared-data.js';
import { join } from 'node:path';

describe('validation cases in the plan', () => {
  it('one cost-query case, one veRL DAPO replay per measured GPU count and one case per published asynchronous configuration, deterministic, with valid ids', async () => {
    const a = await validationCases();
    const b = await validationCases();
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.map((c) => c.id)).toEqual([
      'validation/cost-queries',
      ...DAPO_GPU_COUNTS.map((g) => `validation/verl-dapo-h20/g${g}`),
      ...['split-g32', 'split-g64', 'split-g128', 'staleness-0', 'staleness-0.1', 'staleness-0.3', 'require-1', 'require-2', 'one-step-off-g16'].map((x) => `validation/verl-async/${x}`),
    ]);
    expect(a.every((c) => isValidCaseId(c.id))).toBe(true);
  });

  it('replays 16 samples per prompt from the fitted DAPO generator (the recording has groups of 8), with its hash', async () => {
    const replay = (await validationCases()).find((c) => c.kind === 'reproduce-validation-replay')!;
    expect(replay).toMatchObject({ samplesPerPrompt: 16, batchPrompts: 512, trace: { source: 'polytrace-dapo', mode: 'generated', path: 'traces/fitted/polytrace-dapo-32b.json' } });
    if (replay.kind === 'reproduce-validation-replay') expect(replay.trace.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes the RLHFless testbed checks’ engine era from the testbed scenario; the validation scenario loads and names its own', async () => {
    const cost = (await validationCases()).find((c) => c.kind === 'reproduce-validation-cost')!;
    const testbed = await loadScenario(join(projectRoot, RLHFLESS_TESTBED_SCENARIO));
    if (cost.kind === 'reproduce-validation-cost') expect(cost.engines.rlhflessTestbed).toBe(testbed.costModel.engine);
    const dapo = await loadScenario(join(projectRoot, VALIDATION_SCENARIO));
    expect(dapo.costModel.engine).toBe('vllm-2024');
    expect(dapo.generation).toMatchObject({ tp: 4, maxBatchedTokens: 30720, gpuMemoryUtilization: 0.8 });
  });
});
