import fc from 'fast-check';
import type { PipelineProblem, PipelineSpec, TaskRef } from '../../../harness/schedulers/pipeline/types.js';
import { createRng } from '../../../harness/util/rng.js';

/** Small random problems: 1–4 nodes, 1–3 pipelines on random distinct nodes, integer durations, maybe a send time. */
export const arbitraryProblem: fc.Arbitrary<PipelineProblem> = fc
  .record({ nodeCount: fc.integer({ min: 1, max: 4 }), pipelineCount: fc.integer({ min: 1, max: 3 }), seed: fc.integer({ min: 0, max: 1 << 30 }), send: fc.constantFrom(0, 0, 1) })
  .map(({ nodeCount, pipelineCount, seed, send }) => {
    const rng = createRng(seed);
    const pipelines: PipelineSpec[] = [];
    for (let p = 0; p < pipelineCount; p++) {
      const stages = 1 + rng.int(nodeCount);
      const nodes = Array.from({ length: nodeCount }, (_, i) => i);
      for (let i = nodes.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [nodes[i], nodes[j]] = [nodes[j]!, nodes[i]!];
      }
      pipelines.push({
        model: `m${p}`,
        replica: 0,
        microBatches: 1 + rng.int(4),
        stageNodes: nodes.slice(0, stages),
        forwardDurations: Array.from({ length: stages }, () => 1 + rng.int(5)),
        backwardDurations: Array.from({ length: stages }, () => 1 + rng.int(9)),
        activationPerMicroBatch: Array.from({ length: stages }, () => 0.5 + rng.int(4) / 2),
      });
    }
    return { nodeCount, pipelines, sendDuration: send };
  });

/**
 * Feasible orders built by a random list schedule: repeatedly pick a random task whose
 * predecessors (chain, and earlier micro-batches of the same kind on the node) have all run.
 */
export function randomFeasibleOrders(problem: PipelineProblem, seed: number): TaskRef[][] {
  const rng = createRng(seed);
  const orders: TaskRef[][] = Array.from({ length: problem.nodeCount }, () => []);
  // progress[p][mb] = chain positions done
  const progress = problem.pipelines.map((p) => new Array<number>(p.microBatches).fill(0));
  const nextOfKind = problem.pipelines.map((p) => p.stageNodes.map(() => ({ F: 0, B: 0 })));
  for (;;) {
    const ready: { p: number; stage: number; kind: 'F' | 'B' }[] = [];
    problem.pipelines.forEach((pipeline, p) => {
      const stages = pipeline.stageNodes.length;
      pipeline.stageNodes.forEach((_, stage) => {
        for (const kind of ['F', 'B'] as const) {
          const mb = nextOfKind[p]![stage]![kind];
          if (mb >= pipeline.microBatches) continue;
          const chain = kind === 'F' ? stage : 2 * stages - 1 - stage;
          if (progress[p]![mb] === chain) ready.push({ p, stage, kind });
        }
      });
    });
    if (ready.length === 0) break;
    const pick = ready[rng.int(ready.length)]!;
    const pipeline = problem.pipelines[pick.p]!;
    const mb = nextOfKind[pick.p]![pick.stage]![pick.kind]++;
    progress[pick.p]![mb]!++;
    orders[pipeline.stageNodes[pick.stage]!]!.push({ pipeline: pick.p, kind: pick.kind });
  }
  return orders;
}

/** Orders with the right tasks on every node in a random order (usually deadlocked). */
export function randomShuffledOrders(problem: PipelineProblem, seed: number): TaskRef[][] {
  const rng = createRng(seed);
  const orders: TaskRef[][] = Array.from({ length: problem.nodeCount }, () => []);
  problem.pipelines.forEach((pipeline, p) => {
    for (const node of pipeline.stageNodes) {
      for (let i = 0; i < pipeline.microBatches; i++) orders[node]!.push({ pipeline: p, kind: 'F' }, { pipeline: p, kind: 'B' });
    }
  });
  for (const order of orders) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  }
  return orders;
}
