import type { Scenario, TaskLayout } from '../../scenario/scenario.js';
import type { PoolRef } from '../../sim/types.js';
import { InputError } from '../../util/input-error.js';

/**
 * The two pools of a disaggregated (asynchronous) RL run: the rollouter's generation servers on
 * the first GPUs, the trainer's workers on the next ones (veRL places them in separate Ray
 * resource pools: `rollout.nnodes × rollout.n_gpus_per_node`, `trainer.nnodes ×
 * trainer.n_gpus_per_node`). The scenario's generation TP and training layout are kept; the
 * number of rollout servers and the trainer's data-parallel degree follow from the split.
 */
export interface AsyncPools {
  readonly rollout: PoolRef;
  readonly trainer: PoolRef;
  /** Rollout servers (vLLM engines of generation.tp GPUs). */
  readonly servers: number;
  /** The scenario's training layout re-sized to the trainer's GPUs (DP = GPUs / (TP × PP × CP)). */
  readonly actorTrain: TaskLayout;
  readonly actorInference: TaskLayout;
  readonly ref: TaskLayout;
  /** PPO: the critic's layouts on the trainer's GPUs. */
  readonly criticTrain?: TaskLayout;
  readonly criticInference?: TaskLayout;
}

export interface PoolRequest {
  /** 0: half the cluster. */
  readonly rolloutGpus: number;
  /** 0: the rest. */
  readonly trainerGpus: number;
}

function resized(layout: TaskLayout, gpus: number): { layout: TaskLayout } | { problem: string } {
  const perReplica = layout.tp * layout.pp * (layout.cp ?? 1);
  if (gpus % perReplica !== 0) return { problem: `${gpus} trainer GPUs do not split into replicas of TP ${layout.tp} × PP ${layout.pp}${layout.cp ? ` × CP ${layout.cp}` : ''}` };
  return { layout: { ...layout, dp: gpus / perReplica } };
}

/** The pools, or an InputError naming the parameter (`field` is the scenario path of a parameter, by property name). */
export function asyncPools(scenario: Scenario, request: PoolRequest, field: (key: 'rolloutGpus' | 'trainerGpus') => string): AsyncPools {
  const total = scenario.cluster.nodes * scenario.cluster.gpusPerNode;
  const tp = scenario.generation.tp;
  const file = scenario.file ?? '(scenario)';
  const problem = (key: 'rolloutGpus' | 'trainerGpus', value: number, message: string) => new InputError({ file, field: field(key), value, message });
  let rollout = request.rolloutGpus > 0 ? request.rolloutGpus : request.trainerGpus > 0 ? total - request.trainerGpus : Math.floor(total / 2 / tp) * tp;
  const trainer = request.trainerGpus > 0 ? request.trainerGpus : total - rollout;
  if (request.rolloutGpus === 0 && request.trainerGpus === 0 && rollout === 0) rollout = tp;
  if (rollout <= 0) throw problem('trainerGpus', request.trainerGpus, `leaves no GPU of the ${total}-GPU cluster to the rollouter`);
  if (rollout % tp !== 0) throw problem('rolloutGpus', rollout, `is not a multiple of generation.tp ${tp}: every rollout server holds ${tp} GPUs`);
  if (trainer <= 0) throw problem('rolloutGpus', rollout, `leaves no GPU of the ${total}-GPU cluster to the trainer`);
  if (rollout + trainer > total) throw problem('trainerGpus', trainer, `with ${rollout} rollout GPUs needs ${rollout + trainer} GPUs; the cluster has ${total}`);
  const layouts = scenario.layout;
  if (!layouts) throw new InputError({ file, field: 'layout', value: undefined, message: 'an asynchronous scheduler trains, so the scenario needs a training layout (scope "iteration")' });
  const sized = (layout: TaskLayout, key: string) => {
    const r = resized(layout, trainer);
    if ('problem' in r) throw new InputError({ file, field: `layout.${key}`, value: `${layout.tp}×${layout.pp}×${layout.dp}`, message: `${r.problem} (${field('trainerGpus')})` });
    return r.layout;
  };
  const actorTrain = sized(layouts.actorTrain, 'actorTrain');
  return {
    rollout: { name: 'rollouter', firstGpu: 0, gpus: rollout },
    trainer: { name: 'trainer', firstGpu: rollout, gpus: trainer },
    servers: rollout / tp,
    actorTrain,
    actorInference: sized(layouts.actorInference ?? layouts.actorTrain, 'actorInference'),
    ref: sized(layouts.ref, 'ref'),
    ...(layouts.criticTrain ? { criticTrain: sized(layouts.criticTrain, 'criticTrain') } : {}),
    ...(layouts.criticInference ? { criticInference: sized(layouts.criticInference, 'criticInference') } : {}),
  };
}
