import type { SampleLedgerView } from './types.js';

interface PhaseRecord {
  readonly count: Uint16Array;
  readonly startS: Float64Array;
  readonly endS: Float64Array;
}

/**
 * Per-sample record of when each phase (generate, ref, reward, update_actor, …) ran, in typed
 * arrays so a million samples cost a few MB. Invariant checks read it: every sample generated,
 * inferred and trained exactly once, and no phase starting before its inputs exist.
 */
export class SampleLedger implements SampleLedgerView {
  private readonly records = new Map<string, PhaseRecord>();
  private readonly order: string[] = [];

  constructor(readonly samples: number) {}

  private record(phase: string): PhaseRecord {
    let record = this.records.get(phase);
    if (!record) {
      record = {
        count: new Uint16Array(this.samples),
        startS: new Float64Array(this.samples).fill(Number.NaN),
        endS: new Float64Array(this.samples).fill(Number.NaN),
      };
      this.records.set(phase, record);
      this.order.push(phase);
    }
    return record;
  }

  /** Sample `id` went through `phase` from startS to endS (for batched phases, the batch's interval). */
  mark(phase: string, id: number, startS: number, endS: number): void {
    const record = this.record(phase);
    record.count[id] = record.count[id]! + 1;
    record.startS[id] = startS;
    record.endS[id] = endS;
  }

  /** Marks every sample in `ids` with one interval (a batch, a mini-batch). */
  markMany(phase: string, ids: ArrayLike<number>, startS: number, endS: number): void {
    const record = this.record(phase);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      record.count[id] = record.count[id]! + 1;
      record.startS[id] = startS;
      record.endS[id] = endS;
    }
  }

  /** Marks all samples 0..samples-1 with one interval. */
  markAll(phase: string, startS: number, endS: number): void {
    const record = this.record(phase);
    for (let id = 0; id < this.samples; id++) {
      record.count[id] = record.count[id]! + 1;
      record.startS[id] = startS;
      record.endS[id] = endS;
    }
  }

  phases(): readonly string[] {
    return this.order;
  }

  count(phase: string, id: number): number {
    return this.records.get(phase)?.count[id] ?? 0;
  }

  startS(phase: string, id: number): number {
    return this.records.get(phase)?.startS[id] ?? Number.NaN;
  }

  endS(phase: string, id: number): number {
    return this.records.get(phase)?.endS[id] ?? Number.NaN;
  }
}
