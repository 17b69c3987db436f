import type { ReplicaCost } from '../../cost/types.js';
import { forwardBatchS, type ForwardBatching } from './forward.js';

export interface StreamedBatch {
  /** Index into the replicas' ready times. */
  readonly replica: number;
  readonly startS: number;
  readonly endS: number;
  readonly sampleIds: readonly number[];
}

export interface StreamedForwards {
  readonly batches: readonly StreamedBatch[];
  /** Per replica, when it finished its last batch (its ready time when it ran none). */
  readonly freeS: readonly number[];
}

/**
 * Replicas of one model serving forwards for samples that arrive over time (a fusion scheduler
 * streaming finished generations into ref / reward / critic inference), from one shared queue:
 * whenever a replica is free (the earliest free first, ties by index) it takes every sample
 * already arrived, up to the batch limits, in arrival order; when none has arrived it waits for
 * the next. `readyS[r]` is when replica r can start; `arrivals` must be sorted by readyS.
 */
export function streamForwards(
  replica: Pick<ReplicaCost, 'forwardS'>,
  readyS: readonly number[],
  arrivals: readonly { readonly sampleId: number; readonly readyS: number }[],
  sequenceTokens: ArrayLike<number>,
  batching: ForwardBatching,
): StreamedForwards {
  const freeS = [...readyS];
  const batches: StreamedBatch[] = [];
  if (freeS.length === 0) {
    if (arrivals.length > 0) throw new Error('streamForwards: samples to serve but no replica');
    return { batches, freeS };
  }
  let next = 0;
  while (next < arrivals.length) {
    let r = 0;
    for (let i = 1; i < freeS.length; i++) if (freeS[i]! < freeS[r]!) r = i;
    const clock = Math.max(freeS[r]!, arrivals[next]!.readyS);
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
    batches.push({ replica: r, startS: clock, endS, sampleIds: ids });
    freeS[r] = endS;
  }
  return { batches, freeS };
}
