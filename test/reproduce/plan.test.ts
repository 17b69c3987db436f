import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isValidCaseId } from '../../harness/jobs/cases.js';
import { planHash } from '../../harness/jobs/plan.js';
import { RUN_KIND, type RunCase } from '../../harness/reproduce/cases/run.js';
import { buildReproducePlan, type ReproducePlan } from '../../harness/reproduce/plan.js';
import { findScheduler } from '../../harness/schedulers/index.js';
import { hasSharedData } from '../../harness/util/shared-data.js';

let noShared: Readonly<Record<string, string>>;
let quick: ReproducePlan;

beforeAll(async () => {
  noShared = { RLHF_REPLAY_SHARED: await mkdtemp(join(tmpdir(), 'no-shared-')) };
  quick = await buildReproducePlan({ papers: ['rlhfuse', 'rlhfless'], seeds: 2, quick: true }, noShared);
});

const runs = (plan: ReproducePlan, role: RunCase['role']) => plan.cases.filter((c): c is RunCase => c.kind === RUN_KIND && c.role === role);

describe('the reproduce plan', () => {
  it('is deterministic, with unique, well-formed case ids', async () => {
    const again = await buildReproducePlan({ papers: ['rlhfuse', 'rlhfless'], seeds: 2, quick: true }, noShared);
    expect(planHash(again)).toBe(planHash(quick));
    const ids = quick.cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every(isValidCaseId)).toBe(true);
  });

  it('runs every configuration once per seed; the threshold curve once per grid value and seed', () => {
    const main = runs(quick, 'main');
    const configs = [...new Set(main.map((c) => c.config.id))];
    expect(main).toHaveLength(configs.length * 2);
    expect(configs).toEqual(expect.arrayContaining(['rlhfuse/13b-33b/gen512', 'rlhfuse/65b-33b/gen2048', 'rlhfless/grid/3b-grpo-gsm8k', 'rlhfless/kv/3b-grpo-gsm8k-shared', 'rlhfless/dedup/3b-grpo-n3-gsm8k', 'rlhfless/sim/8k-20n']));
    expect(runs(quick, 'curve')).toHaveLength(5 * 2);
    expect(quick.cases.filter((c) => c.kind === 'reproduce-pipeline')).toHaveLength(6);
  });

  it('without the shared folder every trace is generated from its fit, and says why', () => {
    for (const testCase of runs(quick, 'main')) {
      expect(testCase.config.trace.mode).toBe('generated');
      expect(testCase.config.trace.path).toMatch(/^traces\/fitted\//);
      expect(testCase.config.trace.why).toContain('not in the shared folder');
    }
    expect(quick.config.traces.every((t) => !t.recorded)).toBe(true);
  });

  it.skipIf(!hasSharedData('polytrace'))('with the shared folder it replays a recording when it is large enough, else the fit', async () => {
    const plan = await buildReproducePlan({ papers: ['rlhfless'], seeds: 1, quick: false });
    const byId = new Map(runs(plan, 'main').map((c) => [c.config.id, c.config.trace]));
    expect(byId.get('rlhfless/grid/3b-ppo-gsm8k')).toMatchObject({ mode: 'recorded', path: 'research/data/polytrace/verl/profile/packed_length_log/20260614_023133' });
    expect(byId.get('rlhfless/grid/3b-ppo-gsm8k')!.files.length).toBeGreaterThan(1);
    // 80 recorded prompt groups of DeepCoder cannot fill 2 batches of 1024 prompts.
    expect(byId.get('rlhfless/grid/3b-ppo-livecodebench')).toMatchObject({ mode: 'generated' });
    expect(byId.get('rlhfless/grid/3b-ppo-livecodebench')!.why).toContain('fewer than');
  });

  it('moves each scheduler assumption only in the schedulers that declare it with the same default', () => {
    const probes = runs(quick, 'probe');
    expect(probes.filter((c) => c.variant === 'baseline').length).toBeGreaterThan(3);
    for (const probe of probes) {
      const perturbation = probe.perturbation;
      if (perturbation?.kind !== 'scheduler') continue;
      const defaults = probe.schedulers.map((name) => findScheduler(name)!.assumptions.find((a) => a.name === perturbation.assumption)?.value);
      expect(defaults.every((d) => d !== undefined), probe.id).toBe(true);
      expect(new Set(defaults.map((d) => JSON.stringify(d))).size, probe.id).toBe(1);
      expect(defaults[0]).not.toEqual(perturbation.value);
    }
    // The variant-defining switches are never moved.
    expect(probes.some((c) => c.perturbation?.kind === 'scheduler' && ['predictor', 'cutAndMigrate', 'migrationScope'].includes(c.perturbation.assumption))).toBe(false);
    // quick: one value per assumption and configuration.
    const perConfigAndVariant = new Map<string, number>();
    for (const probe of probes) perConfigAndVariant.set(`${probe.config.id}|${probe.variant}`, (perConfigAndVariant.get(`${probe.config.id}|${probe.variant}`) ?? 0) + 1);
    expect(Math.max(...perConfigAndVariant.values())).toBe(1);
  });

  it('restricts to one paper', async () => {
    const plan = await buildReproducePlan({ papers: ['rlhfless'], seeds: 1, quick: true }, noShared);
    expect(plan.cases.some((c) => c.id.includes('rlhfuse/'))).toBe(false);
    expect(plan.config.papers).toEqual(['rlhfless']);
  });
});
