import type { EngineLimits, GenerationRequest, GenerationStepCost } from '../../../harness/schedulers/generation/types.js';

/**
 * The continuous-batching rules of GenerationInstance applied one step at a time, with every
 * quantity recomputed from scratch each step. Deliberately simple and slow: the event-jumping
 * instance must produce the same finish times.
 */
interface NaiveSeq {
  id: number;
  target: number;
  generated: number;
  running: boolean;
  done: boolean;
}
interface NaiveReq {
  prompt: number;
  seqs: NaiveSeq[];
}

export interface NaiveResult {
  finishTimeS: Map<number, number>;
  preemptions: number;
  endS: number;
}

export function naiveContinuousBatching(cost: GenerationStepCost, limits: EngineLimits, requests: readonly GenerationRequest[], startS = 0): NaiveResult {
  const waiting: NaiveReq[] = requests.map((r) => ({
    prompt: r.promptTokens,
    seqs: r.sampleIds.map((id, i) => ({ id, target: Math.max(1, r.responseTokens[i]!), generated: 0, running: false, done: false })),
  }));
  const running: NaiveReq[] = [];
  const finishTimeS = new Map<number, number>();
  let clock = startS;
  let preemptions = 0;
  const runningSeqs = () => running.reduce((n, r) => n + r.seqs.filter((s) => s.running).length, 0);
  const kvUsed = () =>
    running.reduce((n, r) => {
      const live = r.seqs.filter((s) => s.running);
      return live.length === 0 ? n : n + r.prompt + live.reduce((m, s) => m + s.generated, 0);
    }, 0);
  for (let guard = 0; guard < 10_000_000; guard++) {
    // Drop requests with nothing running.
    for (let i = running.length - 1; i >= 0; i--) if (!running[i]!.seqs.some((s) => s.running)) running.splice(i, 1);
    if (waiting.length === 0 && running.length === 0) return { finishTimeS, preemptions, endS: clock };
    // 1. Admission.
    const admitted: NaiveReq[] = [];
    let seqs = runningSeqs();
    let kv = kvUsed();
    let tokens = 0;
    while (waiting.length > 0) {
      const head = waiting[0]!;
      const pending = head.seqs.filter((s) => !s.done);
      const prefillTokens = head.prompt + pending.reduce((n, s) => n + s.generated, 0);
      const kvNeed = prefillTokens + pending.length;
      if (seqs + pending.length > limits.maxConcurrentSequences) break;
      if (kv + kvNeed > limits.kvCapacityTokens * (1 - limits.admissionWatermark)) break;
      if (admitted.length > 0 && tokens + prefillTokens > limits.maxBatchedTokens) break;
      admitted.push(waiting.shift()!);
      seqs += pending.length;
      kv += kvNeed;
      tokens += prefillTokens;
    }
    if (admitted.length > 0) {
      clock += cost.prefillS(tokens, admitted.length);
      for (const req of admitted) {
        running.push(req);
        for (const seq of req.seqs) {
          if (seq.done) continue;
          seq.generated += 1;
          seq.running = true;
        }
        for (const seq of req.seqs) {
          if (seq.running && seq.generated >= seq.target) {
            seq.running = false;
            seq.done = true;
            finishTimeS.set(seq.id, clock);
          }
        }
      }
      continue;
    }
    if (running.length === 0) throw new Error('naive: a request can never be admitted');
    // 2. Decode, preempting the latest admitted while the cache cannot take one token per sequence.
    while (limits.kvCapacityTokens - kvUsed() < runningSeqs()) {
      const victim = running.pop()!;
      if (running.length === 0) throw new Error('naive: one request exceeds the KV capacity');
      for (const seq of victim.seqs) seq.running = false;
      waiting.unshift(victim);
      preemptions++;
    }
    const batch = runningSeqs();
    let context = 0;
    for (const req of running) for (const seq of req.seqs) if (seq.running) context += req.prompt + seq.generated;
    clock += cost.decodeStepS(batch, context);
    for (const req of running) {
      for (const seq of req.seqs) {
        if (!seq.running) continue;
        seq.generated += 1;
        if (seq.generated >= seq.target) {
          seq.running = false;
          seq.done = true;
          finishTimeS.set(seq.id, clock);
        }
      }
    }
  }
  throw new Error('naive: did not finish');
}
