import type { SampleGroup, Workload, WorkloadIteration } from '../../traces/types.js';
import { synthesizeEpochs } from '../../traces/generate/synthesize-epochs.js';
import type { Rng } from '../../util/rng.js';

/**
 * Turning a trace into the iterations an experiment replays (pure; the randomness is the case's
 * seeded stream). Two named assumptions of the reproduction live here:
 *
 * - trace.group-size: a scenario sampling n responses per prompt replays a trace recorded with
 *   groups of g > n by splitting each recorded group into ⌊g/n⌋ prompts of n samples (the
 *   recorded siblings are exchangeable draws of one prompt); n = 1 (PPO) makes each recorded
 *   sample its own prompt, so nothing shares a prompt's KV cache across samples. A remainder
 *   (g mod n) is dropped. n > g replays the recorded groups as they are.
 * - trace.selection: each seed draws its own prompts: the regrouped prompts in a seeded random
 *   order, the first ones cut into batches of the scenario's size (RLHFuse: warm-up + measured
 *   iterations; RLHFless: one epoch's pool, then epochs synthesised over the same prompts).
 */
export type WorkloadShape =
  | { readonly kind: 'batches'; readonly batchPrompts: number; readonly warmup: number; readonly measured: number }
  | { readonly kind: 'epochs'; readonly batchPrompts: number; readonly iterationsPerEpoch: number; readonly epochs: number };

export function promptsNeeded(shape: WorkloadShape): number {
  return shape.kind === 'batches' ? shape.batchPrompts * (shape.warmup + shape.measured) : shape.batchPrompts * shape.iterationsPerEpoch;
}

export function iterationCount(shape: WorkloadShape): number {
  return shape.kind === 'batches' ? shape.warmup + shape.measured : shape.iterationsPerEpoch * shape.epochs;
}

/** Iterations whose results count (RLHFuse's warm-up does not, as in the paper's measurements). */
export function isMeasured(shape: WorkloadShape, iterationIndex: number): boolean {
  return shape.kind === 'batches' ? iterationIndex >= shape.warmup : true;
}

/** Prompt groups a recording of `groups` groups of `samplesPerGroup` gives at n samples per prompt. */
export function regroupedCount(groups: number, samplesPerGroup: number, samplesPerPrompt: number): number {
  if (samplesPerPrompt > samplesPerGroup) return groups;
  return groups * Math.floor(samplesPerGroup / samplesPerPrompt);
}

export interface Regrouped {
  readonly groups: readonly SampleGroup[];
  readonly note?: string;
}

/** Splits recorded groups into prompts of n samples (see trace.group-size above). */
export function regroup(groups: readonly SampleGroup[], samplesPerPrompt: number): Regrouped {
  const sizes = [...new Set(groups.map((g) => g.responseTokens.length))].sort((a, b) => a - b);
  if (sizes.length === 1 && sizes[0] === samplesPerPrompt) return { groups };
  let dropped = 0;
  let kept = 0;
  const out: SampleGroup[] = [];
  for (const group of groups) {
    const size = group.responseTokens.length;
    if (samplesPerPrompt >= size) {
      out.push(group);
      continue;
    }
    const parts = Math.floor(size / samplesPerPrompt);
    dropped += size - parts * samplesPerPrompt;
    for (let k = 0; k < parts; k++) {
      const from = k * samplesPerPrompt;
      const to = from + samplesPerPrompt;
      kept += samplesPerPrompt;
      const { turns, toolLatencyS, ...rest } = group;
      out.push({
        ...rest,
        groupId: `${group.groupId}#${k}`,
        promptId: `${group.promptId}#${k}`,
        responseTokens: group.responseTokens.slice(from, to),
        truncated: group.truncated.slice(from, to),
        ...(turns ? { turns: turns.slice(from, to) } : {}),
        ...(toolLatencyS ? { toolLatencyS: toolLatencyS.slice(from, to) } : {}),
      });
    }
  }
  const recorded = sizes.join('/');
  if (kept === 0) return { groups: out, note: `the trace's groups of ${recorded} samples are replayed as recorded (the scenario samples ${samplesPerPrompt} per prompt)` };
  const how = samplesPerPrompt === 1 ? 'each recorded sample is its own prompt' : `each recorded group is split into prompts of ${samplesPerPrompt} samples`;
  return {
    groups: out,
    note: `the trace records ${recorded} responses per prompt, the scenario samples ${samplesPerPrompt}: ${how} (trace.group-size)${dropped > 0 ? `; ${dropped} samples that do not fill a prompt are dropped` : ''}`,
  };
}

/** The first `count` groups in a seeded random order (Fisher–Yates). */
export function seededSelection<T>(items: readonly T[], count: number, rng: Rng): T[] {
  if (count > items.length) throw new RangeError(`selection: ${count} items wanted, ${items.length} available`);
  const order = items.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, count).map((i) => items[i]!);
}

/** Cuts groups into consecutive iterations of `batchPrompts` prompts, renumbered from 0 (group ids stay unique). */
export function cutIntoIterations(groups: readonly SampleGroup[], batchPrompts: number): WorkloadIteration[] {
  const iterations: WorkloadIteration[] = [];
  for (let i = 0; i * batchPrompts < groups.length; i++) {
    const slice = groups.slice(i * batchPrompts, (i + 1) * batchPrompts);
    iterations.push({ iteration: i, groups: slice.map((group) => ({ ...group, iteration: i })) });
  }
  return iterations;
}

export interface ShapedWorkload {
  readonly iterations: readonly WorkloadIteration[];
  readonly notes: readonly string[];
}

/**
 * The iterations of one experiment seed: regrouped to the scenario's samples per prompt, a seeded
 * selection of prompts, cut into batches, and (RLHFless) epochs synthesised over the same prompts
 * with the drift calibrated to RLHFless's length-stability figures.
 */
export function shapeWorkload(workload: Workload, samplesPerPrompt: number, shape: WorkloadShape, rng: Rng): ShapedWorkload {
  const notes: string[] = [];
  const all = workload.iterations.flatMap((iteration) => iteration.groups);
  const regrouped = regroup(all, samplesPerPrompt);
  if (regrouped.note) notes.push(regrouped.note);
  const wanted = promptsNeeded(shape);
  if (regrouped.groups.length < wanted) throw new RangeError(`trace: ${regrouped.groups.length} prompts after regrouping, ${wanted} needed`);
  const chosen = seededSelection(regrouped.groups, wanted, rng.fork('selection'));
  notes.push(`${wanted} of ${regrouped.groups.length} prompts drawn at random for this seed (trace.selection)`);
  const base = cutIntoIterations(chosen, shape.batchPrompts);
  if (shape.kind === 'batches') return { iterations: base, notes };
  const epochs = synthesizeEpochs({ meta: { ...workload.meta, notes: [] }, iterations: base }, { epochs: shape.epochs }, rng.fork('epochs'));
  notes.push(`${shape.epochs} epochs over the same ${wanted} prompts: epoch 0 as drawn, later epochs with per-prompt drift calibrated to RLHFless's length stability (trace.epochs)`);
  // Epoch e's iterations follow epoch e − 1's: 0 … k·E − 1 in order.
  return { iterations: epochs.iterations, notes };
}
