import { describe, expect, it } from 'vitest';
import { findScheduler } from '../../../harness/schedulers/index.js';
import { rlhflessSchedulers, rlhflessSettings } from '../../../harness/schedulers/rlhfless/registry.js';
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

  it('fixes what defines each variant: each ablation switches off exactly its technique', () => {
    const scenario = rlhflessScenario();
    const techniques = (name: string) => rlhflessSettings(name, scenario).techniques;
    const all = { deduplicatedPrefill: true, lengthPrediction: true, promptAssignment: true, cutAndMigrate: true, actorScaling: true };
    expect(techniques('rlhfless')).toEqual(all);
    expect(techniques('rlhfless-no-dedup')).toEqual({ ...all, deduplicatedPrefill: false });
    expect(techniques('rlhfless-no-predict')).toEqual({ ...all, lengthPrediction: false });
    expect(techniques('rlhfless-no-assign')).toEqual({ ...all, promptAssignment: false });
    expect(techniques('rlhfless-no-cut')).toEqual({ ...all, cutAndMigrate: false });
    expect(techniques('rlhfless-no-scale')).toEqual({ ...all, actorScaling: false });
    expect(Object.values(techniques('rlhfless-naive')).every((on) => !on)).toBe(true);
    expect(rlhflessSettings('rlhfless', scenario).predictor).toEqual({ kind: 'ewma' });
    expect(rlhflessSettings('rlhfless-no-predict', scenario).predictor).toEqual({ kind: 'none' });
    expect(rlhflessSettings('oracle', scenario).predictor).toEqual({ kind: 'oracle' });
    expect(rlhflessSettings('rlhfless-weak-predictor', scenario).predictor).toEqual({ kind: 'noisy', accuracy: 0.44 });
    expect(rlhflessSettings('rlhfuse-global-migrate', scenario).migrationScope).toBe('global-one');
  });

  it('lists and accepts only the parameters a variant reads', () => {
    const names = (scheduler: string) => findScheduler(scheduler)!.assumptions.map((a) => a.name);
    const all = names('rlhfless');
    expect(all).toHaveLength(24);
    const without = (...gone: string[]) => all.filter((name) => !gone.includes(name));
    const cut = ['tau', 'migrationMode', 'migrationDestination', 'migrationScope', 'slotCapacity', 'cascade'];
    expect(names('rlhfless-no-cut')).toEqual(without('cutAndMigrate', ...cut));
    expect(names('rlhfless-no-scale')).toEqual(without('actorScaling', 'lambda', 'minActors', 'maxActors'));
    expect(names('rlhfless-no-dedup')).toEqual(without('deduplicatedPrefill', 'prefillBatchCapacity'));
    expect(names('rlhfless-no-assign')).toEqual(without('promptAssignment'));
    // Without prediction every prompt gets the batch mean of the EWMA predictions: the EWMA is still read.
    expect(names('rlhfless-no-predict')).toEqual(without('lengthPrediction', 'predictor'));
    expect(names('oracle')).toEqual(without('lengthPrediction', 'predictor', 'ewmaWindow', 'ewmaAlpha'));
    expect(names('rlhfless-weak-predictor')).toEqual(names('oracle'));
    const naive = without('deduplicatedPrefill', 'lengthPrediction', 'promptAssignment', 'cutAndMigrate', 'actorScaling', 'predictor', 'prefillBatchCapacity', ...cut, 'lambda', 'minActors', 'maxActors');
    expect(names('rlhfless-naive')).toEqual(naive);
    // RLHFuse's global cut: tau and how the responses move, no destination choice, no cascade.
    expect(names('rlhfuse-global-migrate')).toEqual(without('deduplicatedPrefill', 'lengthPrediction', 'promptAssignment', 'cutAndMigrate', 'actorScaling', 'predictor', 'prefillBatchCapacity', 'migrationDestination', 'migrationScope', 'slotCapacity', 'cascade', 'lambda', 'minActors', 'maxActors'));

    const problem = (scheduler: string, parameters: Record<string, number | string | boolean>) => {
      try {
        rlhflessSettings(scheduler, rlhflessScenario({ [scheduler]: parameters }));
      } catch (error) {
        return (error as InputError).problems;
      }
      throw new Error('accepted');
    };
    expect(problem('rlhfless-no-cut', { tau: 0.5 })).toEqual([
      { file: '(scenario)', field: 'schedulerParameters.rlhfless-no-cut.tau', value: 0.5, message: `is not a parameter of rlhfless-no-cut (known: ${names('rlhfless-no-cut').join(', ')})` },
    ]);
    expect(problem('oracle', { predictor: 'ewma' })[0]).toMatchObject({ field: 'schedulerParameters.oracle.predictor' });
    expect(problem('rlhfless-no-scale', { actorScaling: true })[0]).toMatchObject({ field: 'schedulerParameters.rlhfless-no-scale.actorScaling', message: expect.stringMatching(/^is not a parameter of rlhfless-no-scale/) });
    expect(problem('rlhfuse-global-migrate', { cascade: false })[0]).toMatchObject({ field: 'schedulerParameters.rlhfuse-global-migrate.cascade' });
  });

  it('exposes tau, lambda, ewmaWindow and the serverless overheads as named, ranged parameters', () => {
    const byName = Object.fromEntries(findScheduler('rlhfless')!.assumptions.map((a) => [a.name, a]));
    expect(byName['tau']).toMatchObject({ value: 0.7, range: [0.05, 1] });
    expect(byName['lambda']).toMatchObject({ value: 0.7, range: [0, 1] });
    expect(byName['ewmaWindow']).toMatchObject({ value: 1, range: [1, 16], integer: true });
    expect(byName['admissionWatermark']).toMatchObject({ value: 0.01, range: [0, 0.2] });
    for (const name of ['coldStartS', 'modelLoadS', 'prewarmBufferS']) expect(byName[name]?.range).toBeDefined();
  });

  it('refuses bad parameter values with the scenario field named', () => {
    const settings = (parameters: Record<string, number | string | boolean>) => () => rlhflessSettings('rlhfless', rlhflessScenario({ rlhfless: parameters }));
    expect(settings({ tau: 0 })).toThrow(InputError);
    expect(settings({ ewmaWindow: 1.5 })).toThrow(/whole number/);
    expect(settings({ predictor: 'noisy:x' })).toThrow("field 'schedulerParameters.rlhfless.predictor' value 'noisy:x': must be 'ewma', 'oracle', 'none' or 'noisy:<accuracy in [0, 1]>'");
    expect(settings({ minActors: 4, maxActors: 2 })).toThrow("field 'schedulerParameters.rlhfless.maxActors' value '2': must be 0 or at least minActors (4)");
    expect(settings({ minActors: 4, maxActors: 0 })).not.toThrow();
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
