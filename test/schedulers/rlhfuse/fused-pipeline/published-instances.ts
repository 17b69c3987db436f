/**
 * Figures the FlexFusion artifact published for its experiments 0–5 (RLHFuse reference §3.9,
 * `results/trace_expK.txt`): what the tests compare the harness against. Inputs are in
 * harness/schedulers/rlhfuse/fused-pipeline/flexfusion-instances.ts.
 */
export interface PublishedFigures {
  readonly exp: number;
  readonly lowerBound: number;
  readonly bounds: readonly [b0: number, b1: number, b2: number, b3: number];
  readonly greedyLatency: number;
  readonly greedyMemory: number;
  readonly saLatency: number;
  /** After the memory pass (exp 0: the lower of its two published figures). */
  readonly saMemory: number;
  readonly serial: number;
}

export const publishedFigures: readonly PublishedFigures[] = [
  { exp: 0, lowerBound: 708, bounds: [585, 672, 672, 708], greedyLatency: 741, greedyMemory: 42.9, saLatency: 708, saMemory: 19.7, serial: 813 },
  { exp: 1, lowerBound: 372, bounds: [345, 336, 336, 372], greedyLatency: 425, greedyMemory: 33.3, saLatency: 372, saMemory: 15.75, serial: 477 },
  { exp: 2, lowerBound: 225, bounds: [225, 168, 168, 204], greedyLatency: 239, greedyMemory: 23.6, saLatency: 225, saMemory: 15.6, serial: 309 },
  { exp: 3, lowerBound: 702, bounds: [585, 672, 672, 702], greedyLatency: 755, greedyMemory: 42.9, saLatency: 702, saMemory: 20.5, serial: 819 },
  { exp: 4, lowerBound: 366, bounds: [345, 336, 336, 366], greedyLatency: 419, greedyMemory: 31.25, saLatency: 366, saMemory: 18.55, serial: 483 },
  { exp: 5, lowerBound: 225, bounds: [225, 168, 168, 198], greedyLatency: 225, greedyMemory: 23.6, saLatency: 225, saMemory: 15.6, serial: 315 },
];
