import type { ReplicaCost, ShardLayout } from '../../cost/types.js';

/**
 * Training forward / backward time and activation memory of each pipeline stage of one model,
 * from its layer split (papers/rlhfuse.md §3, "cost-model stage times from the models' layer
 * splits"): stage s holds its share of the layers (Megatron's even split, the remainder on the
 * first stages), the first stage also the embedding, the last the LM head.
 *
 * The cost contract gives only the busiest stage (`trainStageForwardS`: its layers plus the LM
 * head, plus the embedding when PP = 1), so per-layer, head and embedding times are recovered
 * from the same model at PP = 2, PP = L (one layer a stage) and PP = 1 — exact for any cost model
 * whose stage time is layers × per-layer + head (+ embedding), as the roofline model's is. A
 * model of fewer than 3 layers is taken as layers only.
 */
export interface StageTimes {
  readonly stages: number;
  /** Layers on each stage. */
  readonly layers: readonly number[];
  forwardS(stage: number, tokens: number, sequences: number): number;
  backwardS(stage: number, tokens: number, sequences: number): number;
  /** Activation bytes one in-flight micro-batch holds on a GPU of the stage. */
  activationBytes(stage: number, tokens: number, sequences: number): number;
}

export function layerSplit(layers: number, stages: number): number[] {
  const base = Math.floor(layers / stages);
  const extra = layers % stages;
  return Array.from({ length: stages }, (_, s) => base + (s < extra ? 1 : 0));
}

export function stageTimes(replicaAt: (layout: ShardLayout) => ReplicaCost, tp: number, pp: number): StageTimes {
  const busiest = replicaAt({ tp, pp });
  const totalLayers = busiest.model.layers;
  const layers = layerSplit(totalLayers, pp);
  const busiestLayers = Math.ceil(totalLayers / pp);
  const whole = pp === 1 ? busiest : replicaAt({ tp, pp: 1 });
  const halves = totalLayers >= 3 ? replicaAt({ tp, pp: 2 }) : undefined;
  const single = totalLayers >= 3 ? replicaAt({ tp, pp: totalLayers }) : undefined;

  /** Per-layer, LM-head and embedding forward times at this micro-batch size. */
  const parts = (tokens: number, sequences: number) => {
    const full = whole.trainStageForwardS(tokens, sequences);
    if (!halves || !single) return { layer: full / totalLayers, head: 0, embedding: 0 };
    const half = halves.trainStageForwardS(tokens, sequences);
    const one = single.trainStageForwardS(tokens, sequences);
    const layer = Math.max(0, (half - one) / (Math.ceil(totalLayers / 2) - 1));
    const head = Math.max(0, one - layer);
    const embedding = Math.max(0, full - totalLayers * layer - head);
    return { layer, head, embedding };
  };
  const forwardS = (stage: number, tokens: number, sequences: number): number => {
    if (pp === 1) return whole.trainStageForwardS(tokens, sequences);
    const { layer, head, embedding } = parts(tokens, sequences);
    return layers[stage]! * layer + (stage === 0 ? embedding : 0) + (stage === pp - 1 ? head : 0);
  };
  return {
    stages: pp,
    layers,
    forwardS,
    backwardS: (stage, tokens, sequences) => {
      // The cost model's backward-to-forward ratio (recomputation included), read on the busiest stage.
      const f = busiest.trainStageForwardS(tokens, sequences);
      const ratio = f > 0 ? busiest.trainStageBackwardS(tokens, sequences) / f : 2;
      return ratio * forwardS(stage, tokens, sequences);
    },
    activationBytes: (stage, tokens, sequences) => (busiest.activationBytesPerStage(tokens, sequences) * layers[stage]!) / busiestLayers,
  };
}
