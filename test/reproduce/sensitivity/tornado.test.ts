import { describe, expect, it } from 'vitest';
import type { RunCase, RunResult } from '../../../harness/reproduce/cases/run.js';
import type { ExperimentConfig } from '../../../harness/reproduce/experiments/types.js';
import type { FigureComputation } from '../../../harness/reproduce/figures/types.js';
import { schedulerVariations, type VariedAssumption } from '../../../harness/reproduce/sensitivity/catalog.js';
import { DEPENDS_ON_THRESHOLD, figureSensitivity, type ProbeRun } from '../../../harness/reproduce/sensitivity/tornado.js';
import type { SchedulerEntry } from '../../../harness/schedulers/types.js';

const config = { id: 'c', paper: 'rlhfuse', group: 'g', label: 'C', dims: {}, scenario: 's', dataset: 'hh-rlhf', samplesPerPrompt: 1, shape: { kind: 'batches', batchPrompts: 1, warmup: 0, measured: 1 }, schedulers: ['base', 'new'] } as unknown as ExperimentConfig;

/** The figure: speedup of 'new' over 'base' on iteration time. */
const figure: FigureComputation = {
  id: 'rlhfuse.x',
  paper: 'rlhfuse',
  headline: true,
  scope: 'system',
  how: '',
  probe: { configs: ['c'], schedulers: ['base', 'new'] },
  compute: (book) => {
    const estimate = book.speedup({ config: 'c', scheduler: 'base' }, { config: 'c', scheduler: 'new' }, 'iterationTimeS');
    return estimate.n > 0 ? { ok: true, estimate, perConfig: [] } : { ok: false, reason: 'none' };
  },
};

function run(variant: string, schedulers: string[], times: Record<string, number>, perturbation?: RunCase['perturbation'], infeasible?: string): ProbeRun {
  const testCase = { id: `probe/${variant}`, kind: 'reproduce-run', role: 'probe', config, seed: 1, schedulers, variant, ...(perturbation ? { perturbation } : {}) } as RunCase;
  const result: RunResult = {
    costModel: '',
    totalGpus: 8,
    iterations: infeasible ? [] : schedulers.map((scheduler) => ({ scheduler, seed: 1, iteration: 0, metrics: { iterationTimeS: times[scheduler]! } as never })),
    timelines: [],
    samplesPerIteration: 1,
    notes: [],
    costModelOutOfRangeShare: 0,
    ...(infeasible ? { infeasible } : {}),
  };
  return { testCase, result };
}

const varied: VariedAssumption[] = [
  { id: 'scheduler:a', kind: 'scheduler', name: 'a', defaultValue: 1, values: [0.5, 2], unit: 's', why: '' },
  { id: 'cost:b', kind: 'cost', name: 'b', defaultValue: true, values: [false], unit: 'on/off', why: '' },
  { id: 'scheduler:c', kind: 'scheduler', name: 'c', defaultValue: 'x', values: ['y'], unit: '', why: '' },
  { id: 'scheduler:d', kind: 'scheduler', name: 'd', defaultValue: 0, values: [1], unit: '', why: '' },
];

describe('figureSensitivity', () => {
  const probes = [
    run('baseline', ['base', 'new'], { base: 100, new: 50 }),
    // 'a' touches only 'new': the figure is recomputed with base's unmoved run.
    run('scheduler:a', ['new'], { new: 40 }, { kind: 'scheduler', assumption: 'a', value: 0.5 }),
    run('scheduler:a', ['new'], { new: 80 }, { kind: 'scheduler', assumption: 'a', value: 2 }),
    run('cost:b', ['base', 'new'], { base: 90, new: 50 }, { kind: 'cost', assumption: 'b', value: false }),
    run('scheduler:c', ['new'], { new: 50.2 }, { kind: 'scheduler', assumption: 'c', value: 'y' }),
    run('scheduler:d', ['new'], {}, { kind: 'scheduler', assumption: 'd', value: 1 }, 'no KV cache left'),
  ];
  const result = figureSensitivity(figure, probes, varied, []);

  it('recomputes the figure with the moved runs substituted, per value', () => {
    expect(result.baseline).toBe(2);
    const a = result.entries.find((e) => e.assumption === 'scheduler:a')!;
    expect(a.values.map((v) => [v.value, v.figure])).toEqual([
      [0.5, 2.5],
      [2, 1.25],
    ]);
    // Settings read in the assumption's unit.
    expect([a.low, a.high, a.lowSetting, a.highSetting, a.movement]).toEqual([1.25, 2.5, '2 s', '0.5 s', 0.75]);
    expect([a.unit, a.defaultValue]).toEqual(['s', 1]);
    const b = result.entries.find((e) => e.assumption === 'cost:b')!;
    expect(b.values).toEqual([{ value: false, figure: 1.8 }]);
    // The default's end sits on the baseline and is not labelled.
    expect([b.low, b.high, b.lowSetting, b.highSetting]).toEqual([1.8, 2, 'off', '']);
  });

  it('sorts by movement and lists in dependsOn only what moves the figure by more than 1 %', () => {
    expect(result.entries.map((e) => e.assumption)).toEqual(['scheduler:a', 'cost:b', 'scheduler:c']);
    // c moves it by 2 − 50/50.2 ≈ 0.008 < 1 % of 2.
    expect(DEPENDS_ON_THRESHOLD).toBe(0.01);
    expect(result.dependsOn).toEqual(['scheduler:a', 'cost:b']);
  });

  it('leaves out variations the scenario cannot run, and says so', () => {
    expect(result.entries.some((e) => e.assumption === 'scheduler:d')).toBe(false);
    expect(result.infeasible).toEqual([{ assumption: 'scheduler:d', value: 1, why: 'no KV cache left' }]);
  });

  it('a figure without probes has no analysis, with the reason', () => {
    const none = figureSensitivity({ ...figure, probe: { configs: [], schedulers: [] }, noSensitivity: 'deterministic' }, probes, varied, []);
    expect(none).toMatchObject({ entries: [], dependsOn: [], none: 'deterministic' });
  });
});

describe('schedulerVariations', () => {
  const entry = (assumptions: SchedulerEntry['assumptions']): SchedulerEntry => ({ name: 'x', description: '', sources: [], assumptions, run: () => undefined as never });

  it('flips booleans, tries other choices, moves numbers only over a given plausible range, skips exclusions', () => {
    const list = schedulerVariations([
      entry([
        { name: 'flag', value: false, unit: 'boolean', why: '' },
        { name: 'policy', value: 'a', unit: '', why: '', choices: ['a', 'b', 'c'] },
        { name: 'survivor-work-proxy', value: 'resident-kv-tokens', unit: '', why: '', choices: ['resident-kv-tokens', 'unfinished-samples', 'oracle-remaining-tokens'] },
        { name: 'tau', value: 0.7, unit: '', why: '', range: [0.05, 1] },
        { name: 'unranged', value: 3, unit: '', why: '', range: [0, 100] },
        { name: 'predictor', value: 'ewma', unit: '', why: '' },
      ]),
    ]);
    expect(list.map((v) => [v.id, v.values])).toEqual([
      ['scheduler:flag', [true]],
      ['scheduler:policy', ['b', 'c']],
      ['scheduler:survivor-work-proxy', ['unfinished-samples']],
      ['scheduler:tau', [0.3, 0.9]],
    ]);
  });
});
