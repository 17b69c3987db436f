import { EventQueue } from '../../sim/event-queue.js';
import type { GenerationInstance } from './instance.js';
import type { GenerationRequest, SampleFinish, SequenceState } from './types.js';

/**
 * Drives several generation instances on one clock. Each instance has one planned segment (a
 * prefill step or a run of decode steps); the cluster pops the earliest segment end across
 * instances (ties: first scheduled first), commits it, and re-plans that instance.
 *
 * Callers stop it at a global condition (`runUntil(stop)`, checked after every event, so the
 * first moment a condition holds is exact), then act on instances — take unfinished sequences,
 * add sequences with existing KV elsewhere, release instances — through the cluster's methods,
 * which keep the event queue consistent. Per-sample finish times are recorded as they happen.
 */
export class GenerationCluster {
  private readonly queue = new EventQueue<number>();
  /** Sequence number of each instance's live queue entry; older entries are stale. */
  private readonly liveEntry: number[];
  private readonly pending: SampleFinish[] = [];
  private now = 0;
  private finishedTotal = 0;
  private assignedTotal = 0;
  /** Finish time per sample id (NaN while unfinished). */
  readonly finishTimeS: Float64Array;
  /** Instance that finished each sample (-1 while unfinished). */
  readonly finishInstance: Int32Array;
  /** Sample ids in the order their finishes were recorded (time order within each instance). */
  readonly finishOrder: number[] = [];

  constructor(
    readonly instances: readonly GenerationInstance[],
    sampleCount: number,
    private readonly onFinish?: (finish: SampleFinish) => void,
  ) {
    this.finishTimeS = new Float64Array(sampleCount).fill(Number.NaN);
    this.finishInstance = new Int32Array(sampleCount).fill(-1);
    this.liveEntry = instances.map(() => -1);
    for (const instance of instances) {
      this.assignedTotal += instance.assigned;
      this.finishedTotal += instance.finished;
      this.reschedule(instance.index);
    }
    instances.forEach((instance, i) => {
      if (instance.index !== i) throw new Error(`GenerationCluster: instance at position ${i} has index ${instance.index}`);
    });
  }

  /** Time of the last event processed (the cluster's clock). */
  get nowS(): number {
    return this.now;
  }
  get unfinishedCount(): number {
    return this.assignedTotal - this.finishedTotal;
  }
  get finishedCount(): number {
    return this.finishedTotal;
  }
  /** Time of the next event, Infinity when every instance is idle. */
  get nextEventS(): number {
    this.dropStale();
    return this.queue.peekTimeS();
  }

  /**
   * Processes events in time order until `stop` returns true (checked after each event, and once
   * before the first), no event is left, or the next event is after `untilS`. Returns true when
   * `stop` fired.
   */
  runUntil(stop?: (cluster: GenerationCluster) => boolean, untilS = Infinity): boolean {
    if (stop?.(this)) return true;
    for (;;) {
      this.dropStale();
      const next = this.queue.peekTimeS();
      if (next === Infinity || next > untilS) return false;
      const event = this.queue.pop()!;
      const instance = this.instances[event.item]!;
      this.now = Math.max(this.now, event.timeS);
      instance.commit(this.pending);
      this.flush();
      this.reschedule(instance.index);
      if (stop?.(this)) return true;
    }
  }

  /** Runs every instance until all are idle. */
  drain(): void {
    this.runUntil();
  }

  /** Brings one instance to its first step boundary at or after `tS`; returns its clock. */
  sync(index: number, tS: number): number {
    const instance = this.instances[index]!;
    instance.advanceTo(tS, this.pending);
    this.flush();
    this.reschedule(index);
    return instance.clockS;
  }

  /** Queues fresh requests on an instance at `atS` (after syncing it); returns the time they were queued. */
  enqueue(index: number, requests: readonly GenerationRequest[], atS: number): number {
    const clock = this.sync(index, atS);
    const instance = this.instances[index]!;
    const before = instance.assigned;
    instance.enqueue(requests);
    this.assignedTotal += instance.assigned - before;
    this.reschedule(index);
    return clock;
  }

  /**
   * Takes every unfinished sequence off an instance at its first step boundary at or after `atS`.
   * Returns them (running ones with kvResident: true and their generated tokens) and that time.
   */
  takeUnfinished(index: number, atS: number): { states: SequenceState[]; atS: number } {
    const clock = this.sync(index, atS);
    const states = this.instances[index]!.takeUnfinished();
    this.assignedTotal -= states.length;
    this.reschedule(index);
    return { states, atS: clock };
  }

  /**
   * Adds sequences with their progress to an instance at `atS` (e.g. when their migrated KV
   * arrives). Those with KV and room join the running batch with no prefill.
   */
  addSequences(index: number, states: readonly SequenceState[], atS: number, options: { readonly sharePrompts?: boolean } = {}): { running: number; queued: number; atS: number } {
    const clock = this.sync(index, atS);
    const result = this.instances[index]!.addSequences(states, options);
    this.assignedTotal += states.length;
    this.reschedule(index);
    return { ...result, atS: clock };
  }

  /** Releases an instance at `atS` (synced first); it must hold no unfinished sequences. Returns the release time. */
  release(index: number, atS: number): number {
    const clock = this.sync(index, atS);
    this.instances[index]!.release();
    this.reschedule(index);
    return clock;
  }

  private reschedule(index: number): void {
    const endS = this.instances[index]!.nextEventS;
    this.liveEntry[index] = endS === Infinity ? -1 : this.queue.push(endS, index);
  }

  private dropStale(): void {
    while (this.queue.size > 0 && this.liveEntry[this.queue.peek()!] !== this.queue.peekSeq()) this.queue.pop();
  }

  private flush(): void {
    for (const finish of this.pending) {
      this.finishTimeS[finish.sampleId] = finish.timeS;
      this.finishInstance[finish.sampleId] = finish.instance;
      this.finishOrder.push(finish.sampleId);
      this.finishedTotal++;
      this.onFinish?.(finish);
    }
    this.pending.length = 0;
  }
}
