import type { GpuSpec } from './types.js';

/**
 * Collectives and point-to-point transfers (reference §4 "Transfers"):
 * - ring all-reduce of S bytes over n GPUs: latency + latencyPerHop·(n−1) + 2(n−1)/n · S / bandwidth;
 * - send/recv: latency + S / bandwidth.
 * Inside a node the bandwidth is the GPU↔GPU link per direction; across nodes it is the NIC share
 * of the GPUs of one node taking part (each DGX GPU has its own NIC), times a fitted efficiency.
 */

export const COLLECTIVE_KINDS = ['all_reduce', 'send_recv'] as const;
export type CollectiveKind = (typeof COLLECTIVE_KINDS)[number];
export const LINK_SCOPES = ['intra-node', 'inter-node'] as const;
export type LinkScope = (typeof LINK_SCOPES)[number];
/** Key of a collective's parameters, e.g. 'all_reduce/intra-node'. */
export type CollectiveKey = `${CollectiveKind}/${LinkScope}`;
export const COLLECTIVE_KEYS: readonly CollectiveKey[] = COLLECTIVE_KINDS.flatMap((kind) => LINK_SCOPES.map((scope) => `${kind}/${scope}` as CollectiveKey));

export interface LinkParameters {
  readonly latencyS: number;
  readonly latencyPerHopS: number;
  /** Achieved fraction of the link's bytes/s. */
  readonly bandwidthEfficiency: number;
}

export type CollectiveParameters = Readonly<Record<CollectiveKey, LinkParameters>>;

/** NIC bytes/s available to one GPU: the node's network shared evenly by its GPUs. */
export function nicBytesPerSPerGpu(gpu: GpuSpec): number {
  return gpu.interNodeBytesPerSPerNode / gpu.gpusPerNode;
}

/**
 * GPUs of one node taking part in a cross-node collective of `workers` GPUs when the caller does
 * not say: full nodes when there are enough workers, else an even split over two nodes (how
 * Vidur's cross-node profiles were taken).
 */
export function defaultGpusPerNodeInCollective(gpu: GpuSpec, workers: number): number {
  if (workers >= 2 * gpu.gpusPerNode) return gpu.gpusPerNode;
  return Math.max(1, Math.floor(workers / 2));
}

export function linkBytesPerS(gpu: GpuSpec, scope: LinkScope, gpusPerNodeInCollective: number): number {
  return scope === 'intra-node' ? gpu.intraNodeLink.bytesPerSPerDirection : nicBytesPerSPerGpu(gpu) * gpusPerNodeInCollective;
}

export function allReduceTimeS(bytes: number, workers: number, bandwidthBytesPerS: number, link: LinkParameters): number {
  if (workers <= 1 || bytes <= 0) return 0;
  const steps = workers - 1;
  return link.latencyS + link.latencyPerHopS * steps + ((2 * steps) / workers) * (bytes / (bandwidthBytesPerS * link.bandwidthEfficiency));
}

export function sendRecvTimeS(bytes: number, bandwidthBytesPerS: number, link: LinkParameters): number {
  if (bytes <= 0) return 0;
  return link.latencyS + link.latencyPerHopS + bytes / (bandwidthBytesPerS * link.bandwidthEfficiency);
}
