import { readFile } from 'node:fs/promises';
import { generateWorkload } from '../../traces/generate/generate-workload.js';
import { parseLengthModel } from '../../traces/generate/length-model.js';
import { readWorkload } from '../../traces/read.js';
import type { Workload } from '../../traces/types.js';
import { InputError } from '../../util/input-error.js';
import { createRng } from '../../util/rng.js';
import type { TraceUse } from '../experiments/types.js';
import { portableToAbsolute, verifyHashedFiles } from './resolve.js';
import { promptsNeeded, shapeWorkload, type ShapedWorkload, type WorkloadShape } from './shape.js';

/**
 * Reads (or generates) the trace a plan names, after checking its bytes are the plan's. The
 * seed of a generated trace and of every selection derives from the experiment seed and the
 * trace alone, never from the case: configurations compared pairwise (veRL with and without
 * shared prompt KV, a probe and its variations) replay exactly the same prompts.
 */
export async function readTraceSource(use: TraceUse, samplesPerPrompt: number, shape: WorkloadShape, seed: number, env: Readonly<Record<string, string | undefined>> = process.env): Promise<Workload> {
  const mismatch = await verifyHashedFiles(use.files, env);
  if (mismatch) throw new InputError({ file: use.path, message: `trace of the plan: ${mismatch}; re-run the shards from one checkout with the same shared data` });
  const absolute = portableToAbsolute(use.path, env);
  if (use.mode === 'recorded') return readWorkload(absolute);
  const model = parseLengthModel(await readFile(absolute, 'utf8'), absolute);
  return generateWorkload(model, {
    seed: traceRng(use, seed).fork('generate').int(0x100000000),
    iterations: 1,
    promptsPerIteration: promptsNeeded(shape),
    samplesPerPrompt,
    parametersName: use.path,
    description: `generated from ${use.path} (seed derived from experiment seed ${seed})`,
  });
}

export function traceRng(use: Pick<TraceUse, 'source' | 'mode'>, seed: number) {
  return createRng(seed).fork(`trace/${use.source}/${use.mode}`);
}

type Shaped = ShapedWorkload & { readonly workload: Workload };

/**
 * A pure function's memo: the shaped trace is a function of the key alone (the trace's files are
 * named with their sha256 and checked on the first load; the seeds are in the key), so a hit
 * returns exactly what a fresh load would. It saves re-reading one trace for the many sensitivity
 * runs of a configuration on one worker. Bounded; the result is never mutated (readonly types).
 */
const MEMO_ENTRIES = 16;
const memo = new Map<string, Promise<Shaped>>();

export function loadShapedTrace(use: TraceUse, samplesPerPrompt: number, shape: WorkloadShape, seed: number, env: Readonly<Record<string, string | undefined>> = process.env): Promise<Shaped> {
  const key = JSON.stringify([use, samplesPerPrompt, shape, seed]);
  const hit = memo.get(key);
  if (hit) return hit;
  const loading = (async () => {
    const workload = await readTraceSource(use, samplesPerPrompt, shape, seed, env);
    const shaped = shapeWorkload(workload, samplesPerPrompt, shape, traceRng(use, seed).fork(`shape/${samplesPerPrompt}/${JSON.stringify(shape)}`));
    return { ...shaped, workload };
  })();
  // A failed load is not remembered: the next case reports its own error.
  loading.catch(() => memo.delete(key));
  if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value!);
  memo.set(key, loading);
  return loading;
}
