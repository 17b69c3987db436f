import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_ASSUMPTIONS } from '../../harness/cost/assumptions.js';
import { gpuById, modelById } from '../../harness/cost/catalog/index.js';
import { loadDefaultCalibration } from '../../harness/cost/index.js';
import { createRooflineCostModel } from '../../harness/cost/roofline/model.js';
import { runCases } from '../../harness/jobs/run.js';
import type { CaseOutcome } from '../../harness/jobs/cases.js';
import { updatedBaselines } from '../../harness/nightly/baseline.js';
import { NIGHTLY_KINDS_REF, nightlyCaseKinds } from '../../harness/nightly/kinds/index.js';
import { buildNightlyPlan, type NightlyPlan } from '../../harness/nightly/plan.js';
import { buildNightlyReport } from '../../harness/nightly/report.js';
import { loadSuite } from '../../harness/nightly/suite.js';
import type { NightlyCaseResult } from '../../harness/nightly/types.js';
import { PERTURBATION_FACTOR, PERTURBED_ASSUMPTION, PERTURBED_KINDS_REF, perturbedKinds } from './fixtures/perturbed-kinds.js';

const SUITE = fileURLToPath(new URL('./fixtures/small-suite.json', import.meta.url));

function report(plan: NightlyPlan, outcomes: readonly CaseOutcome[]) {
  return buildNightlyReport({ plan, outcomes: outcomes as CaseOutcome<NightlyCaseResult>[], acknowledgements: [], today: '2025-01-01', history: [], run: 'r', commit: null, baselineUpdated: false }).json;
}

describe('a seeded perturbation of the cost model', async () => {
  const suite = await loadSuite(SUITE);
  const empty = { golden: {}, timings: {} };
  const recordPlan = buildNightlyPlan(suite, empty);
  const recorded = await runCases(recordPlan.cases, { seed: recordPlan.seed, baseDir: suite.dir, jobs: 1, kinds: NIGHTLY_KINDS_REF, registry: nightlyCaseKinds });
  const figures = recorded.flatMap((o) => (o.status === 'ok' ? (o.result as NightlyCaseResult).figures : []));
  const plan = buildNightlyPlan(
    suite,
    updatedBaselines(
      empty,
      figures,
      [],
      recordPlan.cases.map((c) => c.id),
    ),
  );

  it('is a real perturbation (a few percent on one assumption)', () => {
    expect(['trainingKernelScale', 'backwardToForwardRatio']).toContain(PERTURBED_ASSUMPTION);
    expect(Math.abs(PERTURBATION_FACTOR - 1)).toBeGreaterThanOrEqual(0.03);
    expect(Math.abs(PERTURBATION_FACTOR - 1)).toBeLessThanOrEqual(0.1);
  });

  it('leaves an unperturbed re-run without regressions', async () => {
    const again = await runCases(plan.cases, { seed: plan.seed, baseDir: suite.dir, jobs: 1, kinds: NIGHTLY_KINDS_REF, registry: nightlyCaseKinds });
    const json = report(plan, again);
    expect(json.errors).toEqual([]);
    expect(json.regressions).toEqual([]);
    expect(json.unchanged).toBe(figures.length);
  });

  it('is caught as regressions in exactly the figures training time feeds, on the worker pool too', async () => {
    const perturbed = await runCases(plan.cases, { seed: plan.seed, baseDir: suite.dir, jobs: 2, kinds: PERTURBED_KINDS_REF, registry: perturbedKinds });
    const json = report(plan, perturbed);
    expect(json.ok).toBe(false);
    const ids = json.regressions.map((r) => r.id).sort();
    // Always touched: training backward time, and through it every scheduler's training stage and iteration time.
    for (const id of ['cost/h100-7b:train stage backward 8x1024', 'sim/gen512/realhf:iterationTimeS', 'sim/gen512/realhf:stages.training', 'sim/gen512/verl:iterationTimeS', 'sim/gen512/verl:stages.training']) expect(ids).toContain(id);
    // Never touched: decode, KV capacity, trace statistics, the abstract-unit pipeline search.
    const touchable = /^(sim\/gen512\/|cost\/h100-7b:train stage (forward|backward))/;
    expect(ids.filter((id) => !touchable.test(id))).toEqual([]);
    const backward = json.regressions.find((r) => r.id === 'cost/h100-7b:train stage backward 8x1024')!;
    // Its change, computed straight from the cost model with and without the perturbation.
    const calibration = await loadDefaultCalibration();
    const backwardS = (assumptions: Record<string, number>) =>
      createRooflineCostModel(gpuById('h100-sxm'), calibration, { assumptions }).replica(modelById('llama-2-7b'), { tp: 1, pp: 1 }).trainStageBackwardS(8192, 8);
    const before = backwardS({});
    const after = backwardS({ [PERTURBED_ASSUMPTION]: (DEFAULT_COST_ASSUMPTIONS[PERTURBED_ASSUMPTION] as number) * PERTURBATION_FACTOR });
    expect(backward.baseline).toBe(before);
    expect(backward.current).toBe(after);
    expect(backward.changePct).toBeCloseTo(100 * (after / before - 1), 9);
    expect(backward.diff).toContain('tolerance 1e-9 relative');
  });
});
