import { describe, expect, it } from 'vitest';
import { schedulerParameters } from '../../harness/schedulers/parameters/index.js';
import { historyAfter, ReplayHistories } from '../../harness/schedulers/history.js';
import { findScheduler } from '../../harness/schedulers/index.js';
import { interStageParameters, rlhfuseBaseParameters } from '../../harness/schedulers/rlhfuse/parameters.js';
import { interStageSettings } from '../../harness/schedulers/rlhfuse/plan.js';
import { simulateInterStageS } from '../../harness/schedulers/rlhfuse/threshold-tuning.js';
import type { HistoryFold, SchedulerEntry } from '../../harness/schedulers/types.js';
import { createRng } from '../../harness/util/rng.js';
import { iterationOf, testScenario } from './fixtures/scenario.js';
import { dapoIterations, testbed } from './rlhfuse/fixtures/testbed.js';

const counting = (scope: 'replay' | 'scheduler'): HistoryFold<number[]> => ({ name: `count-${scope}`, scope, initial: () => [], add: (state, iteration, result) => [...state, scope === 'replay' ? iteration.iteration : (result?.iteration ?? -1)] });
const entry = (name: string, history: HistoryFold<number[]>[]): SchedulerEntry => ({ ...findScheduler('verl')!, name, history });

describe('ReplayHistories', () => {
  const scenario = testScenario();
  const shared = counting('replay');
  const own = counting('scheduler');
  const a = entry('a', [shared, own]);
  const b = entry('b', [shared]);

  it('folds each iteration into a replay fold once for all schedulers, and into a scheduler fold with that scheduler’s own result', () => {
    const histories = new ReplayHistories(scenario, [a, b]);
    const it0 = iterationOf([{ prompt: 1, responses: [1] }], 0);
    const it1 = iterationOf([{ prompt: 1, responses: [1] }], 1);
    const resultOf = (it: number) => ({ iteration: it * 10 }) as never;
    histories.add(it0, new Map([['a', resultOf(0)]]));
    histories.add(it1, new Map([['a', resultOf(1)]]));
    expect(histories.of('a').replayed).toBe(2);
    expect(histories.of('a').state(shared)).toEqual([0, 1]);
    expect(histories.of('b').state(shared)).toBe(histories.of('a').state(shared));
    expect(histories.of('a').state(own)).toEqual([0, 10]);
  });

  it('refuses a fold the scheduler did not declare', () => {
    const histories = new ReplayHistories(scenario, [a, b]);
    expect(() => histories.of('b').state(own)).toThrow("scheduler 'b' does not declare the fold 'count-scheduler'");
  });

  it('historyAfter folds a list of earlier iterations as a replay would', () => {
    const iterations = [0, 1, 2].map((i) => iterationOf([{ prompt: 1, responses: [1] }], i));
    expect(historyAfter(a, scenario, iterations).state(shared)).toEqual([0, 1, 2]);
  });
});

describe('the RLHFuse tuning curve kept in the history', () => {
  it('is the same whatever random stream computes it: the inter-stage simulation draws no random numbers', async () => {
    const { scenario, cost } = await testbed();
    const [iteration] = dapoIterations({ cap: 2048, prompts: 64, samples: 1, iterations: 1 });
    const p = schedulerParameters('rlhfuse', { ...rlhfuseBaseParameters, ...interStageParameters }).resolve(scenario);
    const settings = interStageSettings(p, p);
    for (const threshold of [0, 0.2, 0.6]) {
      expect(simulateInterStageS(scenario, iteration!, cost, createRng(1), settings, threshold)).toBe(simulateInterStageS(scenario, iteration!, cost, createRng('other'), settings, threshold));
    }
  });
});
