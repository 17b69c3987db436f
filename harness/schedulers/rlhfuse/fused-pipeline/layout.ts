import { InputError, type InputProblem } from '../../../util/input-error.js';
import type { PipelineProblem, PipelineSpec } from '../../pipeline/types.js';

/** Per-stage values, or one value for every stage. */
export type PerStage = number | readonly number[];

export interface FusedModelSpec {
  /** Model name in timelines and charts, e.g. 'actor'. */
  readonly name: string;
  /** Forward time of one micro-batch on each stage (seconds, or the artifact's units). */
  readonly forward: PerStage;
  /** Backward time per stage; defaults to 2 × forward, the artifact's ratio (§3.1). */
  readonly backward?: PerStage;
  /** Activation memory one in-flight micro-batch holds on a stage. */
  readonly activationPerMicroBatch: PerStage;
}

/**
 * A fused bidirectional pipeline (RLHFuse §3.2, FlexFusion layout): N = ppLarge nodes; the large
 * model has one pipeline running downward (stage i on node i); the small model has N / ppSmall
 * pipelines, each on a contiguous block of ppSmall nodes running upward (its stage 0 on the
 * block's last node).
 */
export interface FusedPipelineSpec {
  readonly ppLarge: number;
  readonly ppSmall: number;
  readonly microBatchesLarge: number;
  /** Micro-batches per small pipeline; defaults to microBatchesLarge × ppSmall / ppLarge, so both models train on the same samples. */
  readonly microBatchesSmall?: number;
  readonly large: FusedModelSpec;
  readonly small: FusedModelSpec;
  readonly sendDuration?: number;
  readonly memoryLimit?: number;
}

export interface FusedLayout {
  readonly problem: PipelineProblem;
  /** Index of the large model's pipeline in `problem.pipelines` (always 0). */
  readonly largePipeline: number;
  /** Indices of the small model's pipelines. */
  readonly smallPipelines: readonly number[];
}

const SPEC_SOURCE = 'fused pipeline spec';

export function defaultSmallMicroBatches(spec: Pick<FusedPipelineSpec, 'ppLarge' | 'ppSmall' | 'microBatchesLarge'>): number {
  return (spec.microBatchesLarge * spec.ppSmall) / spec.ppLarge;
}

function expand(value: PerStage, stages: number, field: string, errors: InputProblem[]): number[] {
  const values = typeof value === 'number' ? new Array<number>(stages).fill(value) : [...value];
  if (values.length !== stages) errors.push({ file: SPEC_SOURCE, field, value: values.length, message: `needs one value per stage (${stages})` });
  values.forEach((v, s) => {
    if (!Number.isFinite(v) || v < 0) errors.push({ file: SPEC_SOURCE, field: `${field}[${s}]`, value: v, message: 'must be a finite number >= 0' });
  });
  return values;
}

function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}

/** Builds the pipeline problem of a fused layout; throws InputError naming every bad field. */
export function fusedLayout(spec: FusedPipelineSpec): FusedLayout {
  const errors: InputProblem[] = [];
  const fail = (field: string, value: unknown, message: string) => errors.push({ file: SPEC_SOURCE, field, value, message });
  if (!isPositiveInteger(spec.ppLarge)) fail('ppLarge', spec.ppLarge, 'must be a positive integer');
  if (!isPositiveInteger(spec.ppSmall)) fail('ppSmall', spec.ppSmall, 'must be a positive integer');
  if (!isPositiveInteger(spec.microBatchesLarge)) fail('microBatchesLarge', spec.microBatchesLarge, 'must be a positive integer');
  if (errors.length === 0 && spec.ppLarge % spec.ppSmall !== 0) fail('ppSmall', spec.ppSmall, `must divide ppLarge (${spec.ppLarge}): the small pipelines tile the large one's nodes`);
  const microBatchesSmall = spec.microBatchesSmall ?? defaultSmallMicroBatches(spec);
  if (errors.length === 0 && !isPositiveInteger(microBatchesSmall)) {
    fail('microBatchesSmall', microBatchesSmall, spec.microBatchesSmall === undefined ? 'microBatchesLarge × ppSmall / ppLarge is not a positive integer; give it explicitly' : 'must be a positive integer');
  }
  if (spec.sendDuration !== undefined && !(Number.isFinite(spec.sendDuration) && spec.sendDuration >= 0)) fail('sendDuration', spec.sendDuration, 'must be a finite number >= 0');
  if (spec.memoryLimit !== undefined && !(spec.memoryLimit > 0)) fail('memoryLimit', spec.memoryLimit, 'must be > 0');
  if (spec.large.name === spec.small.name) fail('small.name', spec.small.name, 'must differ from the large model name');
  if (errors.length > 0) throw new InputError(errors);

  const model = (m: FusedModelSpec, which: 'large' | 'small', stages: number) => {
    const forward = expand(m.forward, stages, `${which}.forward`, errors);
    const backward = m.backward === undefined ? forward.map((f) => 2 * f) : expand(m.backward, stages, `${which}.backward`, errors);
    const activation = expand(m.activationPerMicroBatch, stages, `${which}.activationPerMicroBatch`, errors);
    return { forward, backward, activation };
  };
  const large = model(spec.large, 'large', spec.ppLarge);
  const small = model(spec.small, 'small', spec.ppSmall);
  if (errors.length > 0) throw new InputError(errors);

  const pipelines: PipelineSpec[] = [
    {
      model: spec.large.name,
      replica: 0,
      microBatches: spec.microBatchesLarge,
      stageNodes: Array.from({ length: spec.ppLarge }, (_, s) => s),
      forwardDurations: large.forward,
      backwardDurations: large.backward,
      activationPerMicroBatch: large.activation,
    },
  ];
  const smallPipelineCount = spec.ppLarge / spec.ppSmall;
  for (let replica = 0; replica < smallPipelineCount; replica++) {
    const lastNode = (replica + 1) * spec.ppSmall - 1;
    pipelines.push({
      model: spec.small.name,
      replica,
      microBatches: microBatchesSmall,
      stageNodes: Array.from({ length: spec.ppSmall }, (_, s) => lastNode - s),
      forwardDurations: small.forward,
      backwardDurations: small.backward,
      activationPerMicroBatch: small.activation,
    });
  }
  const problem: PipelineProblem = {
    nodeCount: spec.ppLarge,
    pipelines,
    ...(spec.sendDuration !== undefined ? { sendDuration: spec.sendDuration } : {}),
    ...(spec.memoryLimit !== undefined ? { memoryLimit: spec.memoryLimit } : {}),
  };
  return { problem, largePipeline: 0, smallPipelines: Array.from({ length: smallPipelineCount }, (_, i) => i + 1) };
}
