import { FinishHeap } from './finish-heap.js';
import type { EngineLimits, GenerationRequest, GenerationStepCost, InstanceCounters, SampleFinish, SequenceState } from './types.js';

const WAITING = 0;
const RUNNING = 1;
const DONE = 2;
const GONE = 3;

class Seq {
  /** Generated tokens; while running it is derived from finishStep (see generatedAt). */
  generated = 0;
  finishStep = 0;
  token = 0;
  state = WAITING;
  constructor(
    readonly sampleId: number,
    readonly groupIndex: number,
    readonly target: number,
    readonly req: Req,
  ) {}
}

class Req {
  readonly seqs: Seq[] = [];
  runningCount = 0;
  /** The prompt's KV is held (counted once per request, shared by its sequences). */
  resident = false;
  constructor(
    readonly groupIndex: number,
    readonly promptTokens: number,
  ) {}
}

const IDLE = 0;
const PREFILL = 1;
const DECODE = 2;

/**
 * The planned segment, one mutable record per instance (no allocation per event): a prefill
 * step admitting the first `admitted` waiting requests, or a run of `steps` decode steps.
 */
class Segment {
  kind = IDLE;
  endS = Infinity;
  /** Prefill: requests admitted from the head of the waiting queue, and their prefill tokens. */
  admitted = 0;
  tokens = 0;
  /** Decode: batch, total context at the start, steps. */
  batch = 0;
  contextTokens = 0;
  steps = 0;

  idle(): void {
    this.kind = IDLE;
    this.endS = Infinity;
  }
}

/**
 * One generation instance (a TP group running a vLLM-style engine), simulated per event.
 *
 * Rules, applied at every step boundary (vLLM V0's default scheduler, token-granular KV):
 * 1. Admission (FCFS from the head of the waiting queue, stopping at the first request that does
 *    not fit): a request is admitted when running sequences stay ≤ maxConcurrentSequences, the KV
 *    it will hold after prefill (prompt once + each sequence's generated tokens + 1) fits under
 *    capacity × (1 − watermark), and the step's prefill tokens stay within maxBatchedTokens (the
 *    first request of a step is always taken). If any request is admitted the step is a prefill
 *    step: prefillS(prompt + recompute tokens, requests); each admitted sequence emits one token;
 *    running sequences wait.
 * 2. Otherwise the running sequences decode one token each; the step costs
 *    decodeStepS(batch, Σ (prompt + generated)) and needs one free KV slot per sequence. When the
 *    cache cannot hold them, the most recently admitted request is preempted (its KV dropped; it
 *    goes to the head of the waiting queue and recomputes prompt + generated tokens on readmission)
 *    until the rest fit.
 * 3. A sequence leaves at the end of the step that produced its recorded length's last token
 *    (a recorded length of 0 is simulated as 1 token: the end-of-sequence token).
 *
 * Between events the batch is fixed and admission cannot succeed (KV only grows, nothing leaves),
 * so the instance jumps over runs of decode steps with decodeStepsS; the result equals applying the
 * rules step by step (test/schedulers/generation/naive-reference.ts checks this).
 *
 * Steppable from outside (through GenerationCluster, which keeps its event queue consistent):
 * advance to a step boundary at or after a time, take the unfinished sequences with their
 * progress, add sequences that already have KV (no re-prefill), release.
 */
export class GenerationInstance {
  private clock: number;
  /** Decode steps executed so far; a running sequence finishes when this reaches its finishStep. */
  private steps = 0;
  private runningSeqs = 0;
  private kvUsed = 0;
  private contextSum = 0;
  /** Waiting requests: `front` is a stack (preempted requests go to the head), `back` a queue. */
  private readonly front: Req[] = [];
  private readonly back: Req[] = [];
  private backHead = 0;
  /** Running requests in admission order (preemption takes from the end); may hold finished ones. */
  private running: Req[] = [];
  private readonly heap = new FinishHeap<Seq>();
  private nextToken = 1;
  private readonly segment = new Segment();
  private busySinceS = Number.NaN;
  private readonly busy: [number, number][] = [];
  private assignedCount = 0;
  private finishedCount = 0;
  private releasedAtS = Number.NaN;
  readonly counters: InstanceCounters = {
    prefillSteps: 0,
    decodeSteps: 0,
    prefillTokens: 0,
    preemptions: 0,
    recomputedTokens: 0,
    migratedWithoutRoom: 0,
  };

  constructor(
    readonly index: number,
    private readonly cost: GenerationStepCost,
    readonly limits: EngineLimits,
    startS = 0,
  ) {
    if (!(limits.maxConcurrentSequences >= 1)) throw new Error(`GenerationInstance: maxConcurrentSequences must be ≥ 1, got ${limits.maxConcurrentSequences}`);
    if (!(limits.kvCapacityTokens >= 1)) throw new Error(`GenerationInstance: kvCapacityTokens must be ≥ 1, got ${limits.kvCapacityTokens}`);
    this.clock = startS;
  }

  // ---------------------------------------------------------------- queries

  /** The instance's own clock: the step boundary it is at. */
  get clockS(): number {
    return this.clock;
  }
  /** When its planned segment (prefill step, run of decode steps) ends; Infinity when idle or released. */
  get nextEventS(): number {
    return this.segment.endS;
  }
  get released(): boolean {
    return !Number.isNaN(this.releasedAtS);
  }
  get releasedAtTimeS(): number {
    return this.releasedAtS;
  }
  /** Samples ever given to this instance (enqueued or added), minus those taken away. */
  get assigned(): number {
    return this.assignedCount;
  }
  get finished(): number {
    return this.finishedCount;
  }
  get unfinished(): number {
    return this.assignedCount - this.finishedCount;
  }
  get runningSequences(): number {
    return this.runningSeqs;
  }
  get waitingSequences(): number {
    return this.unfinished - this.runningSeqs;
  }
  get kvUsedTokens(): number {
    return this.kvUsed;
  }
  get freeKvTokens(): number {
    return this.limits.kvCapacityTokens - this.kvUsed;
  }
  /** Running-sequence slots free (max concurrent sequences minus running and waiting). */
  get freeSequenceSlots(): number {
    return Math.max(0, this.limits.maxConcurrentSequences - this.unfinished);
  }
  get idle(): boolean {
    return this.segment.kind === IDLE;
  }
  /** Closed busy periods [start, end), plus the open one up to the clock. */
  busyPeriods(): [number, number][] {
    const periods = this.busy.map(([a, b]) => [a, b] as [number, number]);
    if (!Number.isNaN(this.busySinceS) && this.clock > this.busySinceS) periods.push([this.busySinceS, this.clock]);
    return periods;
  }

  /** Tokens still to generate over unfinished sequences (RLHFuse's "remaining work" proxy). */
  remainingTokens(): number {
    let total = 0;
    this.forEachUnfinished((seq) => {
      total += seq.target - this.generatedOf(seq);
    });
    return total;
  }

  /** KV tokens of running sequences (prompt counted once per request): what a migration moves. */
  residentKvTokens(): number {
    return this.kvUsed;
  }

  /** Progress of every unfinished sequence, without removing them. */
  unfinishedStates(): SequenceState[] {
    const out: SequenceState[] = [];
    this.forEachUnfinished((seq) => out.push(this.stateOf(seq)));
    return out;
  }

  // ---------------------------------------------------------------- mutations (call at a boundary; GenerationCluster does)

  /** Queues fresh requests (prompts to prefill) at the back of the waiting queue. */
  enqueue(requests: readonly GenerationRequest[]): void {
    this.assertLive('enqueue');
    for (const request of requests) {
      const req = new Req(request.groupIndex, request.promptTokens);
      for (let i = 0; i < request.sampleIds.length; i++) {
        req.seqs.push(new Seq(request.sampleIds[i]!, request.groupIndex, Math.max(1, request.responseTokens[i]!), req));
      }
      this.assignedCount += req.seqs.length;
      this.back.push(req);
    }
    this.plan();
  }

  /**
   * Adds sequences with their progress. Those with a resident KV cache join the running batch
   * without prefill when slots and KV allow; the rest, and any that find no room, queue at the
   * head for recompute (prompt + generated). Each sequence becomes its own request holding its
   * prompt's KV, unless `sharePrompts`: then consecutive states of one group form one request
   * whose prompt KV is held once (a disaggregated prefill shipping one prompt's KV for n samples).
   * Returns how many joined running and how many were queued.
   */
  addSequences(states: readonly SequenceState[], options: { readonly sharePrompts?: boolean } = {}): { running: number; queued: number } {
    this.assertLive('addSequences');
    let joined = 0;
    let queuedCount = 0;
    const queued: Req[] = [];
    let i = 0;
    while (i < states.length) {
      const first = states[i]!;
      let end = i + 1;
      if (options.sharePrompts) {
        while (end < states.length && states[end]!.groupIndex === first.groupIndex && states[end]!.kvResident === first.kvResident) end++;
      }
      const req = new Req(first.groupIndex, first.promptTokens);
      let kvNeed = first.promptTokens;
      for (let k = i; k < end; k++) {
        const state = states[k]!;
        if (state.generatedTokens >= Math.max(1, state.responseTokens)) throw new Error(`addSequences: sample ${state.sampleId} has already finished`);
        const seq = new Seq(state.sampleId, state.groupIndex, Math.max(1, state.responseTokens), req);
        seq.generated = state.generatedTokens;
        req.seqs.push(seq);
        kvNeed += state.generatedTokens;
      }
      this.assignedCount += req.seqs.length;
      const fits = this.runningSeqs + req.seqs.length <= this.limits.maxConcurrentSequences && this.kvUsed + kvNeed <= this.limits.kvCapacityTokens;
      if (first.kvResident && fits) {
        this.kvUsed += req.promptTokens;
        req.resident = true;
        for (const seq of req.seqs) this.startRunning(seq);
        this.running.push(req);
        joined += req.seqs.length;
      } else {
        if (first.kvResident) this.counters.migratedWithoutRoom += req.seqs.length;
        queued.push(req);
        queuedCount += req.seqs.length;
      }
      i = end;
    }
    for (let k = queued.length - 1; k >= 0; k--) this.front.push(queued[k]!);
    this.heap.compact();
    this.plan();
    return { running: joined, queued: queuedCount };
  }

  /** Removes every unfinished sequence (running ones keep kvResident: true) and returns them. */
  takeUnfinished(): SequenceState[] {
    const out: SequenceState[] = [];
    this.forEachUnfinished((seq) => {
      out.push(this.stateOf(seq));
      seq.state = GONE;
      seq.token = 0;
    });
    this.assignedCount -= out.length;
    this.front.length = 0;
    this.back.length = 0;
    this.backHead = 0;
    this.running = [];
    this.runningSeqs = 0;
    this.kvUsed = 0;
    this.contextSum = 0;
    this.heap.compact();
    this.plan();
    return out;
  }

  /** Ends the instance at its clock; it must have no unfinished sequences. */
  release(): void {
    if (this.released) return;
    if (this.unfinished > 0) throw new Error(`GenerationInstance ${this.index}: release with ${this.unfinished} unfinished sequences; take them first`);
    this.closeBusy();
    this.releasedAtS = this.clock;
    this.segment.idle();
  }

  // ---------------------------------------------------------------- driving

  /** Applies the planned segment; appends finished samples to `out`. */
  commit(out: SampleFinish[]): void {
    const segment = this.segment;
    if (segment.kind === PREFILL) this.commitPrefill(out);
    else if (segment.kind === DECODE) this.commitDecode(segment.steps, segment.endS, out);
    else return;
    this.plan();
  }

  /**
   * Brings the instance to its first step boundary at or after `tS` (a step in flight is never
   * cut), committing whatever ends on the way. An idle instance's clock moves to `tS`.
   */
  advanceTo(tS: number, out: SampleFinish[]): void {
    for (;;) {
      if (this.clock >= tS) return;
      const segment = this.segment;
      if (segment.kind === IDLE) {
        if (!this.released) this.clock = tS;
        return;
      }
      if (segment.endS <= tS || segment.kind === PREFILL) {
        this.commit(out);
        continue;
      }
      // A run of decode steps passes tS: stop at the first boundary at or after it.
      const steps = this.stepsToReach(tS);
      if (steps >= segment.steps) {
        this.commit(out);
        continue;
      }
      const endS = this.clock + this.cost.decodeStepsS(segment.batch, segment.contextTokens, steps);
      this.commitDecode(steps, endS, out);
      this.plan();
      return;
    }
  }

  private stepsToReach(tS: number): number {
    const segment = this.segment;
    let lo = 1;
    let hi = segment.steps;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.clock + this.cost.decodeStepsS(segment.batch, segment.contextTokens, mid) >= tS) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  // ---------------------------------------------------------------- internals

  private assertLive(what: string): void {
    if (this.released) throw new Error(`GenerationInstance ${this.index}: ${what} after release`);
  }

  private generatedOf(seq: Seq): number {
    return seq.state === RUNNING ? seq.target - (seq.finishStep - this.steps) : seq.generated;
  }

  private stateOf(seq: Seq): SequenceState {
    return {
      sampleId: seq.sampleId,
      groupIndex: seq.groupIndex,
      promptTokens: seq.req.promptTokens,
      responseTokens: seq.target,
      generatedTokens: this.generatedOf(seq),
      kvResident: seq.state === RUNNING,
    };
  }

  /** Running sequences in admission order, then waiting ones in queue order. */
  private forEachUnfinished(visit: (seq: Seq) => void): void {
    for (const req of this.running) for (const seq of req.seqs) if (seq.state === RUNNING) visit(seq);
    for (let i = this.front.length - 1; i >= 0; i--) for (const seq of this.front[i]!.seqs) if (seq.state === WAITING) visit(seq);
    for (let i = this.backHead; i < this.back.length; i++) for (const seq of this.back[i]!.seqs) if (seq.state === WAITING) visit(seq);
  }

  private shiftWaiting(): void {
    if (this.front.length > 0) this.front.pop();
    else {
      this.backHead++;
      if (this.backHead > 1024 && this.backHead * 2 > this.back.length) {
        this.back.splice(0, this.backHead);
        this.backHead = 0;
      }
    }
  }

  private startRunning(seq: Seq): void {
    seq.state = RUNNING;
    seq.finishStep = this.steps + (seq.target - seq.generated);
    seq.token = this.nextToken++;
    this.kvUsed += seq.generated;
    this.contextSum += seq.req.promptTokens + seq.generated;
    this.runningSeqs++;
    seq.req.runningCount++;
    this.heap.push(seq);
  }

  private finish(seq: Seq, out: SampleFinish[]): void {
    const generated = this.generatedOf(seq);
    seq.state = DONE;
    seq.generated = generated;
    seq.token = 0;
    this.kvUsed -= generated;
    this.contextSum -= seq.req.promptTokens + generated;
    this.runningSeqs--;
    const req = seq.req;
    req.runningCount--;
    if (req.runningCount === 0 && req.resident) {
      req.resident = false;
      this.kvUsed -= req.promptTokens;
    }
    this.finishedCount++;
    out.push({ sampleId: seq.sampleId, instance: this.index, timeS: this.clock });
  }

  /** Plans the next segment at the current boundary (preempting first when the cache is full). */
  private plan(): void {
    const segment = this.segment;
    if (this.released) {
      segment.idle();
      return;
    }
    if (this.tryAdmit()) {
      this.openBusy();
      return;
    }
    if (this.runningSeqs === 0) {
      const head = this.waitingAt(0);
      if (head !== undefined) {
        throw new Error(
          `GenerationInstance ${this.index}: request of group ${head.groupIndex} (${head.seqs.length} sequences, prompt ${head.promptTokens} tokens) can never be admitted: ` +
            `KV capacity ${this.limits.kvCapacityTokens} tokens, max ${this.limits.maxConcurrentSequences} sequences`,
        );
      }
      segment.idle();
      this.closeBusy();
      return;
    }
    while (this.limits.kvCapacityTokens - this.kvUsed < this.runningSeqs) this.preemptLast();
    const batch = this.runningSeqs;
    const kvSteps = Math.floor((this.limits.kvCapacityTokens - this.kvUsed) / batch);
    const finishSteps = this.heap.minKey() - this.steps;
    const steps = Math.min(kvSteps, finishSteps);
    segment.kind = DECODE;
    segment.endS = this.clock + this.cost.decodeStepsS(batch, this.contextSum, steps);
    segment.batch = batch;
    segment.contextTokens = this.contextSum;
    segment.steps = steps;
    this.openBusy();
  }

  /** The k-th waiting request from the head (0 = head), or undefined. */
  private waitingAt(k: number): Req | undefined {
    if (k < this.front.length) return this.front[this.front.length - 1 - k];
    return this.back[this.backHead + k - this.front.length];
  }

  /** Plans a prefill step if the head of the waiting queue fits; the queue is only shifted when the step commits. */
  private tryAdmit(): boolean {
    let head = this.waitingAt(0);
    if (head === undefined) return false;
    const kvLimit = this.limits.kvCapacityTokens * (1 - this.limits.admissionWatermark);
    let seqs = this.runningSeqs;
    let kv = this.kvUsed;
    let tokens = 0;
    let admitted = 0;
    while (head !== undefined) {
      let needSeqs = 0;
      let recompute = 0;
      for (const seq of head.seqs) {
        if (seq.state !== WAITING) continue;
        needSeqs++;
        recompute += seq.generated;
      }
      const prefillTokens = head.promptTokens + recompute;
      const kvNeed = prefillTokens + needSeqs;
      if (seqs + needSeqs > this.limits.maxConcurrentSequences) break;
      if (kv + kvNeed > kvLimit) break;
      if (admitted > 0 && tokens + prefillTokens > this.limits.maxBatchedTokens) break;
      admitted++;
      seqs += needSeqs;
      kv += kvNeed;
      tokens += prefillTokens;
      head = this.waitingAt(admitted);
    }
    if (admitted === 0) return false;
    const segment = this.segment;
    segment.kind = PREFILL;
    segment.endS = this.clock + this.cost.prefillS(tokens, admitted);
    segment.admitted = admitted;
    segment.tokens = tokens;
    return true;
  }

  private commitPrefill(out: SampleFinish[]): void {
    const segment = this.segment;
    this.clock = segment.endS;
    this.counters.prefillSteps++;
    this.counters.prefillTokens += segment.tokens;
    for (let k = 0; k < segment.admitted; k++) {
      const req = this.waitingAt(0)!;
      this.shiftWaiting();
      req.resident = true;
      this.kvUsed += req.promptTokens;
      this.running.push(req);
      for (const seq of req.seqs) {
        if (seq.state !== WAITING) continue;
        this.counters.recomputedTokens += seq.generated;
        seq.generated += 1;
        this.startRunning(seq);
      }
      for (const seq of req.seqs) if (seq.state === RUNNING && seq.finishStep === this.steps) this.finish(seq, out);
    }
  }

  private commitDecode(steps: number, endS: number, out: SampleFinish[]): void {
    const batch = this.runningSeqs;
    this.clock = endS;
    this.steps += steps;
    this.counters.decodeSteps += steps;
    this.kvUsed += steps * batch;
    this.contextSum += steps * batch;
    while (this.heap.minKey() === this.steps) this.finish(this.heap.popTop(), out);
    if (this.running.length > 64 && this.runningSeqs * 2 < this.running.length) {
      this.running = this.running.filter((req) => req.runningCount > 0);
    }
  }

  /** vLLM recompute preemption: the most recently admitted running request loses its KV and waits at the head. */
  private preemptLast(): void {
    for (;;) {
      const req = this.running.pop();
      if (req === undefined) throw new Error(`GenerationInstance ${this.index}: KV cache full with nothing to preempt`);
      if (req.runningCount === 0) continue;
      if (this.running.length === 0 || this.runningSeqs === req.runningCount) {
        // Preempting the only running request cannot make room for it: it will never fit.
        const needed = this.kvUsed + this.runningSeqs;
        throw new Error(
          `GenerationInstance ${this.index}: one request (group ${req.groupIndex}) needs ${needed} KV tokens, more than the capacity of ${this.limits.kvCapacityTokens}`,
        );
      }
      for (const seq of req.seqs) {
        if (seq.state !== RUNNING) continue;
        const generated = this.generatedOf(seq);
        seq.generated = generated;
        seq.state = WAITING;
        seq.token = 0;
        this.kvUsed -= generated;
        this.contextSum -= req.promptTokens + generated;
        this.runningSeqs--;
      }
      req.runningCount = 0;
      req.resident = false;
      this.kvUsed -= req.promptTokens;
      this.front.push(req);
      this.counters.preemptions++;
      return;
    }
  }

  private openBusy(): void {
    if (Number.isNaN(this.busySinceS)) this.busySinceS = this.clock;
  }

  private closeBusy(): void {
    if (!Number.isNaN(this.busySinceS)) {
      if (this.clock > this.busySinceS) this.busy.push([this.busySinceS, this.clock]);
      this.busySinceS = Number.NaN;
    }
  }
}
