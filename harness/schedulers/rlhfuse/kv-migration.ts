import type { CostModel, Placement } from '../../cost/types.js';
import type { SequenceState } from '../generation/types.js';

/**
 * The cost of moving unfinished sequences with their KV cache from released instances to the
 * survivors (papers/rlhfuse.md §2.5; named assumption `kv-transfer`). Every GPU of an instance
 * holds its TP shard of each sequence's KV and sends it over its own link (one NIC per GPU with
 * GPUDirect RDMA between nodes, NVLink inside a node). All transfers start when the source
 * stops; a transfer ends when the busier of its two ends — everything the source sends, or
 * everything the destination receives — has moved its bytes.
 */
export interface KvTransfer {
  readonly source: number;
  readonly destination: number;
  readonly states: readonly SequenceState[];
  /** Whole-model KV bytes moved (prompt + generated tokens of resident sequences). */
  readonly bytes: number;
  /** When the source stopped (its step boundary at or after the trigger). */
  readonly startS: number;
}

export interface KvTransferTiming extends KvTransfer {
  /** When the sequences are on the destination and can decode there. */
  readonly arrivalS: number;
}

export interface KvMigrationInput {
  readonly cost: Pick<CostModel, 'transferS'>;
  /** Whole-model KV bytes per token and the share one GPU of an instance holds (kvBytesPerTokenPerGpu / kvBytesPerToken). */
  readonly kvBytesPerToken: number;
  readonly gpuShare: number;
  /** Where two instances are relative to each other. */
  readonly placement: (source: number, destination: number) => Placement;
}

/** KV bytes a set of sequences carries: resident ones move prompt + generated tokens; waiting ones move nothing (they recompute). */
export function kvBytesOf(states: readonly SequenceState[], kvBytesPerToken: number): number {
  let tokens = 0;
  for (const state of states) if (state.kvResident) tokens += state.promptTokens + state.generatedTokens;
  return tokens * kvBytesPerToken;
}

export interface KvMigrationTiming {
  readonly transfers: readonly KvTransferTiming[];
  /** Per source: how long its GPUs are busy sending (from its startS). */
  readonly sendS: ReadonlyMap<number, number>;
}

export function timeKvMigration(transfers: readonly KvTransfer[], input: KvMigrationInput): KvMigrationTiming {
  const pairS = transfers.map((t) => (t.bytes > 0 ? input.cost.transferS(t.bytes * input.gpuShare, input.placement(t.source, t.destination)) : 0));
  const sendS = new Map<number, number>();
  const receiveS = new Map<number, number>();
  transfers.forEach((t, k) => {
    sendS.set(t.source, (sendS.get(t.source) ?? 0) + pairS[k]!);
    receiveS.set(t.destination, (receiveS.get(t.destination) ?? 0) + pairS[k]!);
  });
  const timed = transfers.map((t) => ({ ...t, arrivalS: t.startS + Math.max(sendS.get(t.source)!, receiveS.get(t.destination)!) }));
  return { transfers: timed, sendS };
}
