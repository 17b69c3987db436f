import { describe, expect, it } from 'vitest';
import { configKey, configLabel, configParameters, gridConfigs, type AsyncGrid } from '../../../harness/whatif/async/grid.js';

const grid: AsyncGrid = { schedulers: ['one-step-off', 'fully-async'], staleness: [0, 0.5], requireBatches: [1, 2], trigger: [4], partialRollout: [true] };

describe('gridConfigs', () => {
  it('is one-step-off, then fully-async over every combination, staleness outermost', () => {
    expect(gridConfigs(grid).map(configKey)).toEqual([
      'one-step-off',
      'fully-async/staleness=0/require=1/trigger=4/partial=true',
      'fully-async/staleness=0/require=2/trigger=4/partial=true',
      'fully-async/staleness=0.5/require=1/trigger=4/partial=true',
      'fully-async/staleness=0.5/require=2/trigger=4/partial=true',
    ]);
  });

  it('leaves out a scheduler not asked for', () => {
    expect(gridConfigs({ ...grid, schedulers: ['fully-async'] })).toHaveLength(4);
    expect(gridConfigs({ ...grid, schedulers: ['one-step-off'] })).toEqual([{ scheduler: 'one-step-off' }]);
  });
});

describe('configParameters and configLabel', () => {
  it('set the fully-async parameters under their scenario names, none for one-step-off', () => {
    const [osa, fa] = gridConfigs(grid);
    expect(configParameters(osa!)).toEqual({});
    expect(configParameters(fa!)).toEqual({ 'staleness-threshold': 0, 'require-batches': 1, 'trigger-parameter-sync-step': 4, 'partial-rollout': true });
  });

  it('name only what the grid varies besides staleness', () => {
    const configs = gridConfigs({ ...grid, partialRollout: [true, false] });
    expect(configs.map((c) => configLabel(c, { ...grid, partialRollout: [true, false] })).slice(0, 3)).toEqual([
      'one-step-off',
      'fully-async, staleness 0, require 1, partial rollout',
      'fully-async, staleness 0, require 1, no partial rollout',
    ]);
    expect(configLabel(gridConfigs(grid)[1]!, { ...grid, requireBatches: [1] })).toBe('fully-async, staleness 0');
  });
});
