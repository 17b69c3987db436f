import type { SampleTable } from '../samples.js';
import type { GenerationStepCost } from './types.js';

export interface StaticBatchOptions {
  /** Samples per generation batch. */
  readonly batchSequences: number;
  /** Left-pad every prompt of a batch to its longest (HF generate in DeepSpeed-Chat's hybrid engine). */
  readonly padPromptsToLongest: boolean;
}

export interface StaticBatch {
  readonly startS: number;
  readonly endS: number;
  readonly sampleIds: readonly number[];
  /** Decode steps run: the batch's longest response minus the token the prefill emits. */
  readonly decodeSteps: number;
}

export interface StaticBatchRun {
  readonly endS: number;
  readonly batches: readonly StaticBatch[];
}

/**
 * Static batching on one instance, as DeepSpeed-Chat's hybrid engine (HF `generate`) does it:
 * fixed batches run one after another; each prefills its prompts (padded to the longest when
 * asked), emits one token, then decodes every sequence — finished ones included, as padding —
 * until its longest response is done. Every sample of a batch leaves when the batch ends.
 * Finish times are written into `finishTimeS` (indexed by sample id).
 */
export function runStaticBatches(
  cost: GenerationStepCost,
  table: SampleTable,
  sampleIds: readonly number[],
  options: StaticBatchOptions,
  startS: number,
  finishTimeS?: Float64Array,
): StaticBatchRun {
  if (!(options.batchSequences >= 1)) throw new Error(`runStaticBatches: batchSequences must be ≥ 1, got ${options.batchSequences}`);
  const batches: StaticBatch[] = [];
  let clock = startS;
  for (let first = 0; first < sampleIds.length; first += options.batchSequences) {
    const ids = sampleIds.slice(first, first + options.batchSequences);
    const size = ids.length;
    let longestPrompt = 0;
    let promptSum = 0;
    let longestResponse = 1;
    for (const id of ids) {
      const prompt = table.promptTokens[id]!;
      promptSum += prompt;
      if (prompt > longestPrompt) longestPrompt = prompt;
      longestResponse = Math.max(longestResponse, table.responseTokens[id]!);
    }
    const promptTokens = options.padPromptsToLongest ? longestPrompt * size : promptSum;
    const decodeSteps = longestResponse - 1;
    const prefillS = cost.prefillS(promptTokens, size);
    const decodeS = decodeSteps > 0 ? cost.decodeStepsS(size, promptTokens + size, decodeSteps) : 0;
    const batchStart = clock;
    clock += prefillS + decodeS;
    batches.push({ startS: batchStart, endS: clock, sampleIds: ids, decodeSteps });
    if (finishTimeS) for (const id of ids) finishTimeS[id] = clock;
  }
  return { endS: clock, batches };
}

/** The largest batch whose worst case (every sequence at max prompt + max response) fits in the KV cache. */
export function staticBatchLimit(kvCapacityTokens: number, maxPromptTokens: number, maxResponseTokens: number): number {
  return Math.max(0, Math.floor(kvCapacityTokens / (maxPromptTokens + maxResponseTokens)));
}
