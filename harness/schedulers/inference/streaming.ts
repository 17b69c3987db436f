import type { ReplicaCost } from '../../cost/types.js';
import { forwardBatchS, type ForwardBatching } from './forward.js';

export interface StreamedBatch {
  readonly startS: number;
  readonly endS: number;
  readonly sampleIds: readonly number[];
}

export interface StreamingForwardResult {
  readonly batches: readonly StreamedBatch[];
  /** When the last batch ended (or `startS` when nothing ran). */
  readonly endS: number;
  /** Per sample, when its forward finished (NaN for samples not in the arrivals). */
  readonly doneS: Map<number, number>;
}

/**
 * One replica serving forwards for samples that arrive over time (a fusion scheduler streaming
 * finished generations into ref / reward / critic inference). Whenever the replica is free it
 * takes every sample already arrived, up to the batch limits, in arrival order; when none has
 * arrived it waits for the next. `arrivals` must be sorted by readyS.
 */
export function streamForwards(
  replica: ReplicaCost,
  arrivals: readonly { readonly sampleId: number; readonly readyS: number }[],
  sequenceTokens: ArrayLike<number>,
  batching: ForwardBatching,
  startS: number,
): StreamingForwardResult {
  const batches: StreamedBatch[] = [];
  const doneS = new Map<number, number>();
  let clock = startS;
  let next = 0;
  while (next < arrivals.length) {
    if (arrivals[next]!.readyS > clock) clock = arrivals[next]!.readyS;
    const ids: number[] = [];
    let tokens = 0;
    while (next < arrivals.length && arrivals[next]!.readyS <= clock) {
      const id = arrivals[next]!.sampleId;
      const t = sequenceTokens[id]!;
      if (ids.length > 0 && (ids.length >= batching.maxSequences || tokens + t > batching.maxTokens)) break;
      ids.push(id);
      tokens += t;
      next++;
    }
    const endS = clock + forwardBatchS(replica, ids, sequenceTokens);
    batches.push({ startS: clock, endS, sampleIds: ids });
    for (const id of ids) doneS.set(id, endS);
    clock = endS;
  }
  return { batches, endS: batches.length > 0 ? clock : startS, doneS };
}
