import type { AssumptionValue } from '../../schedulers/types.js';

/**
 * The asynchronous configurations an async what-if tries on every split: `one-step-off` (no
 * parameter beyond the split) and `fully-async` over every combination of its staleness
 * threshold, require-batches, trigger-parameter-sync-step and partial-rollout values
 * (schedulers/async/parameters.ts). Staleness varies outermost, so configurations differing only
 * in it sit together.
 */
export const ASYNC_SCHEDULERS = ['one-step-off', 'fully-async'] as const;
export type AsyncSchedulerName = (typeof ASYNC_SCHEDULERS)[number];

export interface AsyncGrid {
  readonly schedulers: readonly AsyncSchedulerName[];
  readonly staleness: readonly number[];
  readonly requireBatches: readonly number[];
  readonly trigger: readonly number[];
  readonly partialRollout: readonly boolean[];
}

export interface AsyncConfig {
  readonly scheduler: AsyncSchedulerName;
  /** fully-async only. */
  readonly stalenessThreshold?: number;
  readonly requireBatches?: number;
  readonly triggerParameterSyncStep?: number;
  readonly partialRollout?: boolean;
}

export function gridConfigs(grid: AsyncGrid): AsyncConfig[] {
  const configs: AsyncConfig[] = [];
  if (grid.schedulers.includes('one-step-off')) configs.push({ scheduler: 'one-step-off' });
  if (grid.schedulers.includes('fully-async')) {
    for (const stalenessThreshold of grid.staleness)
      for (const requireBatches of grid.requireBatches)
        for (const triggerParameterSyncStep of grid.trigger)
          for (const partialRollout of grid.partialRollout) configs.push({ scheduler: 'fully-async', stalenessThreshold, requireBatches, triggerParameterSyncStep, partialRollout });
  }
  return configs;
}

/** The scheduler parameters a configuration sets (the split's are added per point). */
export function configParameters(config: AsyncConfig): Record<string, AssumptionValue> {
  if (config.scheduler === 'one-step-off') return {};
  return {
    'staleness-threshold': config.stalenessThreshold!,
    'require-batches': config.requireBatches!,
    'trigger-parameter-sync-step': config.triggerParameterSyncStep!,
    'partial-rollout': config.partialRollout!,
  };
}

/** Part of a point id: 'one-step-off' or 'fully-async/staleness=0.1/require=1/trigger=4/partial=true'. */
export function configKey(config: AsyncConfig): string {
  if (config.scheduler === 'one-step-off') return 'one-step-off';
  return `fully-async/staleness=${config.stalenessThreshold}/require=${config.requireBatches}/trigger=${config.triggerParameterSyncStep}/partial=${config.partialRollout}`;
}

/**
 * A configuration as a person reads it, naming only what the grid varies beyond staleness
 * ('fully-async, staleness 0.1', 'fully-async, staleness 0.1, require 2, trigger 8').
 */
export function configLabel(config: AsyncConfig, grid: AsyncGrid): string {
  if (config.scheduler === 'one-step-off') return 'one-step-off';
  const parts = [`staleness ${config.stalenessThreshold}`];
  if (grid.requireBatches.length > 1) parts.push(`require ${config.requireBatches}`);
  if (grid.trigger.length > 1) parts.push(`trigger ${config.triggerParameterSyncStep}`);
  if (grid.partialRollout.length > 1) parts.push(config.partialRollout ? 'partial rollout' : 'no partial rollout');
  return `fully-async, ${parts.join(', ')}`;
}
