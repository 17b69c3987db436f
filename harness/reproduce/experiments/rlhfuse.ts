import type { WorkloadShape } from '../traces/shape.js';
import type { TraceSourceId } from '../traces/sources.js';
import type { ExperimentConfig, TraceUse } from './types.js';

/**
 * RLHFuse's evaluation (papers/rlhfuse.md §5–§7): 256 Hopper GPUs, PPO with batch 512, the
 * actor/critic pairs from 13B/33B to 65B/33B (the two recovered ends) and max generation lengths
 * 512, 1024, 2048; DeepSpeed-Chat, ReaLHF and RLHFuse-Base against RLHFuse and its two
 * single-fusion ablations. Throughput is averaged over iterations after a warm-up, as the paper
 * measures it (20 iterations after warm-up; here `measured` per seed, more with --seeds).
 */
export const RLHFUSE_SCHEDULERS = ['deepspeed-chat', 'realhf', 'rlhfuse-base', 'rlhfuse', 'rlhfuse-inter', 'rlhfuse-intra'] as const;

export const RLHFUSE_PAIRS = [
  { id: '13b-33b', label: '13B/33B', scenarioStem: 'rlhfuse-13b-33b' },
  { id: '65b-33b', label: '65B/33B', scenarioStem: 'rlhfuse-65b-33b' },
] as const;

export const RLHFUSE_GENERATION_CAPS = [512, 1024, 2048] as const;

/** The configuration the threshold curve and the sensitivity analysis use: the largest pair at the longest generation (the paper's gains grow with both). */
export const RLHFUSE_PROBE_CONFIG = 'rlhfuse/65b-33b/gen2048';

/**
 * Migration thresholds of the reproduced U-curve (share of the batch still unfinished): the whole
 * domain the scheduler's own offline tuner searches (0 … 1, harness/schedulers/rlhfuse/
 * threshold-tuning.ts), so the curve's argmin can be the optimum the mechanism would choose.
 */
export const THRESHOLD_GRID: readonly number[] = Array.from({ length: 21 }, (_, k) => Math.round(k * 5) / 100);
export const QUICK_THRESHOLD_GRID: readonly number[] = [0, 0.25, 0.5, 0.75, 1];

export interface RlhfuseSizes {
  readonly warmup: number;
  readonly measured: number;
  readonly quick: boolean;
  /** Iterations per seed of the threshold curve (all measured: a fixed threshold needs no tuning history). */
  readonly curveIterations: number;
}

function scenarioPath(stem: string, cap: number): string {
  return `harness/scenario/scenarios/${stem}${cap === 2048 ? '' : `-gen${cap}`}.json`;
}

export const RLHFUSE_BATCH_PROMPTS = 512;

/** The group of the throughput grid (the figures read it). */
export const RLHFUSE_MAIN_GROUP = 'rlhfuse-main';

export function rlhfuseShape(sizes: Pick<RlhfuseSizes, 'warmup' | 'measured'>): WorkloadShape {
  return { kind: 'batches', batchPrompts: RLHFUSE_BATCH_PROMPTS, warmup: sizes.warmup, measured: sizes.measured };
}

/** The throughput grid: every pair × generation cap (quick: the two corners). */
export function rlhfuseConfigs(trace: TraceUse, sizes: RlhfuseSizes): ExperimentConfig[] {
  const configs: ExperimentConfig[] = [];
  for (const pair of RLHFUSE_PAIRS) {
    for (const cap of RLHFUSE_GENERATION_CAPS) {
      const id = `rlhfuse/${pair.id}/gen${cap}`;
      if (sizes.quick && id !== 'rlhfuse/13b-33b/gen512' && id !== RLHFUSE_PROBE_CONFIG) continue;
      configs.push({
        id,
        paper: 'rlhfuse',
        group: RLHFUSE_MAIN_GROUP,
        label: `${pair.label}, max generation ${cap}`,
        dims: { pair: pair.label, maxGenerationTokens: cap },
        scenario: scenarioPath(pair.scenarioStem, cap),
        dataset: 'hh-rlhf',
        trace,
        samplesPerPrompt: 1,
        shape: rlhfuseShape(sizes),
        schedulers: [...RLHFUSE_SCHEDULERS],
        ...(id === RLHFUSE_PROBE_CONFIG ? { timeline: ['rlhfuse-base', 'rlhfuse'] } : {}),
      });
    }
  }
  return configs;
}

export function thresholdCurveShape(sizes: Pick<RlhfuseSizes, 'curveIterations'>): WorkloadShape {
  return rlhfuseShape({ warmup: 0, measured: sizes.curveIterations });
}

/** The migration-threshold curve: RLHFuse with inter-stage fusion only, the threshold fixed per run (no tuning), on the probe configuration. */
export function thresholdCurveConfig(trace: TraceUse, sizes: RlhfuseSizes): ExperimentConfig {
  return {
    id: 'rlhfuse/threshold/65b-33b/gen2048',
    paper: 'rlhfuse',
    group: 'rlhfuse-threshold',
    label: '65B/33B, max generation 2048: migration-threshold curve',
    dims: { pair: '65B/33B', maxGenerationTokens: 2048 },
    scenario: scenarioPath('rlhfuse-65b-33b', 2048),
    dataset: 'hh-rlhf',
    trace,
    samplesPerPrompt: 1,
    // A fixed threshold needs no tuning history: every iteration counts.
    shape: thresholdCurveShape(sizes),
    schedulers: ['rlhfuse-inter'],
  };
}

export function thresholdGrid(quick: boolean): readonly number[] {
  return quick ? QUICK_THRESHOLD_GRID : THRESHOLD_GRID;
}

/** The group of the grid replayed on another trace in place of HH-RLHF's stand-in. */
export function standInGroup(source: TraceSourceId): string {
  return `rlhfuse-standin/${source}`;
}

/**
 * The throughput grid replayed on another trace (a chat-like one) in place of the default
 * HH-RLHF stand-in: the same configurations and schedulers, in their own group, each naming the
 * main configuration it stands beside. Figures are recomputed on them as on the main grid.
 */
export function rlhfuseStandInConfigs(source: TraceSourceId, trace: TraceUse, sizes: RlhfuseSizes): ExperimentConfig[] {
  return rlhfuseConfigs(trace, sizes).map(({ timeline: _timeline, ...config }) => ({
    ...config,
    id: config.id.replace(/^rlhfuse\//, `rlhfuse-standin/${source}/`),
    group: standInGroup(source),
    label: `${config.label} (${source} lengths)`,
    standIn: { replaces: config.id, source },
  }));
}
