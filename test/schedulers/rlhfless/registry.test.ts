import { describe, expect, it } from 'vitest';
import { findScheduler } from '../../../harness/schedulers/index.js';
import { resolveSettings } from '../../../harness/schedulers/rlhfless/parameters.js';
import { rlhflessSchedulers } from '../../../harness/schedulers/rlhfless/registry.js';
import { InputError } from '../../../harness/util/input-error.js';
import { iteration, rlhflessScenario, run } from './fixtures.js';

describe('the RLHFless registry entries', () => {
  it('registers the system, its naive and oracle forms, one ablation per technique, the weak predictor and the RLHFuse model', () => {
    expect(rlhflessSchedulers.map((s) => s.name)).toEqual([
      'rlhfless',
      'rlhfless-naive',
      'oracle',
      'rlhfless-no-dedup',
      'rlhfless-no-predict',
      'rlhfless-no-assign',
      'rlhfless-no-cut',
      'rlhfless-no-scale',
      'rlhfless-weak-predictor',
      'rlhfuse-global-migrate',
    ]);
    for (const entry of rlhflessSchedulers) expect(findScheduler(entry.name)).toBe(entry);
  });

  it('differs only in defaults: each ablation switches off exactly its technique', () => {
    const scenario = rlhflessScenario();
    const techniques = (name: string) => resolveSettings(name, findScheduler(name)!.assumptions, scenario).techniques;
    const all = { deduplicatedPrefill: true, lengthPrediction: true, promptAssignment: true, cutAndMigrate: true, actorScaling: true };
    expect(techniques('rlhfless')).toEqual(all);
    expect(techniques('rlhfless-no-dedup')).toEqual({ ...all, deduplicatedPrefill: false });
    expect(techniques('rlhfless-no-predict')).toEqual({ ...all, lengthPrediction: false });
    expect(techniques('rlhfless-no-assign')).toEqual({ ...all, promptAssignment: false });
    expect(techniques('rlhfless-no-cut')).toEqual({ ...all, cutAndMigrate: false });
    expect(techniques('rlhfless-no-scale')).toEqual({ ...all, actorScaling: false });
    expect(Object.values(techniques('rlhfless-naive')).every((on) => !on)).toBe(true);
    expect(resolveSettings('oracle', findScheduler('oracle')!.assumptions, scenario).predictor).toEqual({ kind: 'oracle' });
    expect(resolveSettings('rlhfless-weak-predictor', findScheduler('rlhfless-weak-predictor')!.assumptions, scenario).predictor).toEqual({ kind: 'noisy', accuracy: 0.44 });
    expect(resolveSettings('rlhfuse-global-migrate', findScheduler('rlhfuse-global-migrate')!.assumptions, scenario).migrationScope).toBe('global-one');
  });

  it('exposes tau, lambda, ewmaWindow and the serverless overheads as named, ranged parameters', () => {
    const byName = Object.fromEntries(findScheduler('rlhfless')!.assumptions.map((a) => [a.name, a]));
    expect(byName['tau']).toMatchObject({ value: 0.7, range: [0.05, 1] });
    expect(byName['lambda']).toMatchObject({ value: 0.7, range: [0, 1] });
    expect(byName['ewmaWindow']).toMatchObject({ value: 1, range: [1, 16] });
    for (const name of ['coldStartS', 'modelLoadS', 'prewarmBufferS']) expect(byName[name]?.range).toBeDefined();
  });

  it('refuses bad parameter values with the scenario field named', () => {
    expect(() => resolveSettings('rlhfless', findScheduler('rlhfless')!.assumptions, rlhflessScenario({ rlhfless: { tau: 0 } }))).toThrow(InputError);
    expect(() => resolveSettings('rlhfless', findScheduler('rlhfless')!.assumptions, rlhflessScenario({ rlhfless: { ewmaWindow: 1.5 } }))).toThrow(/whole number/);
    expect(() => resolveSettings('rlhfless', findScheduler('rlhfless')!.assumptions, rlhflessScenario({ rlhfless: { predictor: 'noisy:x' } }))).toThrow(/schedulerParameters\.rlhfless\.predictor/);
    expect(() => resolveSettings('rlhfless', findScheduler('rlhfless')!.assumptions, rlhflessScenario({ rlhfless: { minActors: 4, maxActors: 2 } }))).toThrow(/maxActors/);
  });
});

describe("RLHFless's model of RLHFuse prompt handling", () => {
  it('at tau of all responses moves every unfinished response to ONE actor and releases the others', () => {
    const groups = [400, 12, 300, 8, 250, 20, 15, 30].map((r, i) => ({ prompt: 20 + i, responses: [r] }));
    const result = run('rlhfuse-global-migrate', rlhflessScenario({}, { instances: 3 }), iteration(groups));
    expect(result.counters['decode_actors']).toBe(3);
    // Trace order, 3 actors: {400, 12} {300, 8, 250} {20, 15, 30}; at 6 of 8 done, 400 and 300, 250 remain.
    expect(result.counters['cuts']).toBe(1);
    expect(result.counters['migrated_sequences']).toBe(1);
    const finishers = new Set(result.spans.filter((s) => s.task === 'generate').map((s) => s.pool));
    expect(finishers.size).toBe(3);
  });
});
