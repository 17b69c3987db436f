import { SERVING_ENGINES } from '../cost/engine-eras.js';
import type { InputProblem } from '../util/input-error.js';

/**
 * The scenario file format as data: one table drives validation (every problem with its field
 * path and value) and the JSON Schema shipped beside the scenarios for editors
 * (harness/scenario/scenarios/scenario.schema.json, checked against this table by a test).
 */
export type FieldSpec =
  | { readonly type: 'string'; readonly description: string; readonly enum?: readonly string[]; readonly optional?: boolean }
  | {
      readonly type: 'integer' | 'number';
      readonly description: string;
      readonly minimum?: number;
      readonly exclusiveMinimum?: number;
      readonly maximum?: number;
      readonly optional?: boolean;
    }
  | { readonly type: 'boolean'; readonly description: string; readonly optional?: boolean }
  | { readonly type: 'scalar'; readonly description: string; readonly optional?: boolean }
  | { readonly type: 'object'; readonly description: string; readonly properties: Readonly<Record<string, FieldSpec>>; readonly optional?: boolean }
  | { readonly type: 'map'; readonly description: string; readonly values: FieldSpec; readonly optional?: boolean };

const positiveInteger = (description: string, optional = false): FieldSpec => ({ type: 'integer', description, minimum: 1, ...(optional ? { optional } : {}) });

const taskLayout = (description: string, optional = false): FieldSpec => ({
  type: 'object',
  description,
  ...(optional ? { optional } : {}),
  properties: {
    tp: positiveInteger('Tensor-parallel degree (GPUs per pipeline stage).'),
    pp: positiveInteger('Pipeline-parallel degree (stages per replica).'),
    dp: positiveInteger('Data-parallel replicas.'),
    microBatchSamples: positiveInteger('Training: sequences per micro-batch. Inference: most sequences per forward batch.'),
    ep: positiveInteger('Expert-parallel degree (MoE models; default 1): the experts split over the tp × cp × dp GPUs of a pipeline stage (Megatron, expert TP 1).', true),
    cp: positiveInteger('Context-parallel degree (default 1): every sequence split over cp GPUs with ring attention; a replica has tp × pp × cp GPUs.', true),
    vpp: positiveInteger('Virtual pipeline chunks per PP stage (default 1): interleaved 1F1B.', true),
  },
});

export const SCENARIO_SPEC: FieldSpec = {
  type: 'object',
  description: 'An rlhf-replay scenario: the setup one replay runs under.',
  properties: {
    $schema: { type: 'string', description: 'Path to this JSON Schema, for editors.', optional: true },
    extends: {
      type: 'string',
      description: 'A scenario file (relative to this one) whose fields this one overrides (JSON Merge Patch: objects merge, null removes a field).',
      optional: true,
    },
    name: { type: 'string', description: 'Short unique name.' },
    description: { type: 'string', description: 'What the scenario reproduces, in a sentence.' },
    cluster: {
      type: 'object',
      description: 'The GPUs.',
      properties: {
        gpu: { type: 'string', description: "Catalog GPU id ('a100-80gb', 'a800', 'h100-sxm', 'h800', 'h20', 'l40s', 'mi300x', 'h200', 'gb200')." },
        nodes: positiveInteger('Nodes.'),
        gpusPerNode: positiveInteger('GPUs per node.'),
        priceUsdPerGpuHour: { type: 'number', description: 'Price per GPU-hour, USD (for cost).', minimum: 0 },
      },
    },
    models: {
      type: 'object',
      description: "Each model: a catalog model id (e.g. 'qwen3-30b-a3b'), or a path to a Hugging Face config.json (ending in .json, relative to this scenario file).",
      properties: {
        actor: { type: 'string', description: 'Policy model: catalog id or config.json path.' },
        critic: { type: 'string', description: 'Value model (PPO only): catalog id or config.json path.', optional: true },
        ref: { type: 'string', description: 'Frozen reference model: catalog id or config.json path.' },
        reward: { type: 'string', description: 'Reward model (catalog id or config.json path); leave out for a rule-based reward.', optional: true },
      },
    },
    algorithm: {
      type: 'object',
      description: 'The RL algorithm.',
      properties: {
        kind: { type: 'string', description: 'ppo (with critic) or grpo (no critic).', enum: ['ppo', 'grpo'] },
        samplesPerPrompt: positiveInteger('Responses sampled per prompt (GRPO n).'),
        ppoEpochs: positiveInteger('Passes over the batch per iteration.'),
      },
    },
    batch: {
      type: 'object',
      description: 'Batch sizes, in prompts.',
      properties: {
        prompts: positiveInteger('Prompts per iteration (global batch).'),
        miniBatchPrompts: positiveInteger('Prompts per mini-batch (one optimizer step).'),
      },
    },
    lengths: {
      type: 'object',
      description: 'Length caps, tokens.',
      properties: {
        maxPromptTokens: positiveInteger('Longest prompt.'),
        maxResponseTokens: positiveInteger('Longest response (generation stops here).'),
      },
    },
    generation: {
      type: 'object',
      description: 'The generation engine (vLLM-style).',
      properties: {
        tp: positiveInteger('TP degree of one instance.'),
        instances: positiveInteger('Generation instances.'),
        maxConcurrentSequences: positiveInteger('vLLM max_num_seqs.'),
        gpuMemoryUtilization: { type: 'number', description: 'vLLM gpu_memory_utilization.', exclusiveMinimum: 0, maximum: 1 },
        maxBatchedTokens: positiveInteger('vLLM max_num_batched_tokens.'),
        promptSharing: { type: 'boolean', description: "A group's samples prefill their prompt once and share its KV (vLLM n-sampling)." },
        prefixCaching: {
          type: 'boolean',
          description:
            "The engine caches prompt prefixes across requests (vLLM enable_prefix_caching, SGLang's radix cache): a group's samples submitted one by one share their prompt's prefill and KV. Default: the engine profile's (costModel.engine).",
          optional: true,
        },
      },
    },
    layout: {
      type: 'object',
      description: "Parallel layout per task (required when scope is 'iteration').",
      optional: true,
      properties: {
        actorTrain: taskLayout('Actor (policy) training.'),
        criticTrain: taskLayout('Critic training (PPO).', true),
        actorInference: taskLayout('Old log-prob recomputation by the actor.', true),
        ref: taskLayout('Reference log-prob forwards.'),
        reward: taskLayout('Reward model forwards.', true),
        criticInference: taskLayout('Critic value forwards (PPO).', true),
      },
    },
    costModel: {
      type: 'object',
      description: 'Which cost model prices kernels and transfers.',
      properties: {
        kind: { type: 'string', description: 'roofline (calibrated when a calibration is given).', enum: ['roofline'] },
        calibration: {
          type: 'string',
          description: "Calibration file: a path relative to the file that writes it, or 'package:<path>' relative to the rlhf-replay package (e.g. 'package:harness/cost/calibrations/public-profiles.json').",
          optional: true,
        },
        engine: {
          type: 'string',
          description:
            "Serving-engine profile generation runs on (harness/cost/engine-eras.ts): 'splitwise-2023' (the calibration's fitted engine, the default), 'vllm-2024' (vLLM V0 >= 0.6 with CUDA graphs), 'vllm-2024-eager' (V0 with enforce_eager), 'vllm-v1', 'vllm-v1-eager', 'sglang', 'hf-generate' (static padded batches, eager PyTorch), 'kernels-only'.",
          enum: SERVING_ENGINES,
          optional: true,
        },
        framework: {
          type: 'string',
          description:
            "Framework calibration fitted on recorded RL runs (`rlhf-replay calibrate --runs`): a path written like 'calibration', or 'none' for kernels and named assumptions only. Default: 'package:harness/cost/calibrations/rl-step-logs.json'.",
          optional: true,
        },
        assumptions: {
          type: 'map',
          description: 'Named cost assumptions this run fixes (harness/cost/assumptions.ts), e.g. { "activationRecomputation": false } for a run without gradient checkpointing.',
          values: { type: 'scalar', description: 'The assumption’s value, of its type.' },
          optional: true,
        },
      },
    },
    scope: { type: 'string', description: "'iteration' (whole RLHF step) or 'generation' (generation stage only).", enum: ['iteration', 'generation'] },
    schedulerParameters: {
      type: 'map',
      description: "Per scheduler, values for its named assumptions, e.g. { \"deepspeed-chat\": { \"mini-batch-prompts\": 256 } }.",
      values: { type: 'map', description: 'Assumption name → value.', values: { type: 'scalar', description: 'A number, string or boolean.' } },
    },
    provenance: {
      type: 'map',
      description: 'Field path → "fact: <source>", "fitted: <how>" or "assumption: <why>". Every field needs one (its own or a parent path\'s).',
      values: { type: 'string', description: 'Provenance text.' },
    },
  },
};

/** Where a field path is in the file, for error messages. */
export type Locate = (path: readonly string[]) => { line?: number; column?: number };

function describeType(spec: FieldSpec): string {
  switch (spec.type) {
    case 'integer':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'string':
      return spec.enum ? `one of ${spec.enum.join(', ')}` : 'a string';
    case 'scalar':
      return 'a number, string or boolean';
    default:
      return 'an object';
  }
}

/** Checks a parsed value against a spec; pushes one problem per bad, missing or unknown field. */
export function validateAgainstSpec(value: unknown, spec: FieldSpec, path: string[], file: string, locate: Locate, problems: InputProblem[]): void {
  const field = path.join('.');
  const fail = (message: string, at: readonly string[] = path, shown: unknown = value): void => {
    problems.push({ file, ...locate(at), field: at.join('.') || '(root)', value: shown, message });
  };
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string' || value.trim() === '') return fail(`must be ${spec.enum ? describeType(spec) : 'a non-empty string'}`);
      if (spec.enum && !spec.enum.includes(value)) return fail(`must be ${describeType(spec)}`);
      return;
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`must be ${describeType(spec)}`);
      if (spec.type === 'integer' && !Number.isInteger(value)) return fail('must be an integer');
      if (spec.minimum !== undefined && value < spec.minimum) return fail(`must be at least ${spec.minimum}`);
      if (spec.exclusiveMinimum !== undefined && value <= spec.exclusiveMinimum) return fail(`must be greater than ${spec.exclusiveMinimum}`);
      if (spec.maximum !== undefined && value > spec.maximum) return fail(`must be at most ${spec.maximum}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail('must be true or false');
      return;
    case 'scalar':
      if (!(typeof value === 'boolean' || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))) fail(`must be ${describeType(spec)}`);
      return;
    case 'object':
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('must be an object');
      const record = value as Record<string, unknown>;
      if (spec.type === 'map') {
        for (const key of Object.keys(record).sort()) validateAgainstSpec(record[key], spec.values, [...path, key], file, locate, problems);
        return;
      }
      for (const [key, child] of Object.entries(spec.properties)) {
        if (!Object.hasOwn(record, key)) {
          if (!child.optional) problems.push({ file, ...locate(path), field: [...path, key].join('.'), message: `is missing (expected ${describeType(child)}: ${child.description})` });
          continue;
        }
        validateAgainstSpec(record[key], child, [...path, key], file, locate, problems);
      }
      for (const key of Object.keys(record).sort()) {
        if (!Object.hasOwn(spec.properties, key)) {
          fail(`is not a known field${field ? ` of ${field}` : ''} (known: ${Object.keys(spec.properties).join(', ')})`, [...path, key], record[key]);
        }
      }
      return;
    }
  }
}

/** Every leaf field path present in a parsed scenario (the paths provenance must explain). */
export function leafPaths(value: unknown, spec: FieldSpec, path: string[] = []): string[] {
  if (spec.type === 'object' && typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return Object.keys(spec.properties).flatMap((key) => (Object.hasOwn(record, key) ? leafPaths(record[key], spec.properties[key]!, [...path, key]) : []));
  }
  if (spec.type === 'map' && typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return Object.keys(record)
      .sort()
      .flatMap((key) => leafPaths(record[key], spec.values, [...path, key]));
  }
  return [path.join('.')];
}

/**
 * The spec as a JSON Schema (draft 2020-12) document. A file with `extends` is a patch (every
 * field optional, null removes one); any other file must be complete.
 */
export function scenarioJsonSchema(): unknown {
  const convert = (spec: FieldSpec, full: boolean): Record<string, unknown> => {
    const nullable = (type: string | string[]) => (full ? type : [...(Array.isArray(type) ? type : [type]), 'null']);
    switch (spec.type) {
      case 'string':
        return { type: nullable('string'), description: spec.description, ...(spec.enum ? { enum: [...spec.enum, ...(full ? [] : [null])] } : { minLength: 1 }) };
      case 'integer':
      case 'number':
        return {
          type: nullable(spec.type),
          description: spec.description,
          ...(spec.minimum !== undefined ? { minimum: spec.minimum } : {}),
          ...(spec.exclusiveMinimum !== undefined ? { exclusiveMinimum: spec.exclusiveMinimum } : {}),
          ...(spec.maximum !== undefined ? { maximum: spec.maximum } : {}),
        };
      case 'boolean':
        return { type: nullable('boolean'), description: spec.description };
      case 'scalar':
        return { type: nullable(['number', 'string', 'boolean']), description: spec.description };
      case 'map':
        return { type: nullable('object'), description: spec.description, additionalProperties: convert(spec.values, full) };
      case 'object':
        return {
          type: nullable('object'),
          description: spec.description,
          properties: Object.fromEntries(Object.entries(spec.properties).map(([key, child]) => [key, convert(child, full)])),
          ...(full
            ? {
                required: Object.entries(spec.properties)
                  .filter(([, child]) => !child.optional)
                  .map(([key]) => key),
              }
            : {}),
          additionalProperties: false,
        };
    }
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'rlhf-replay/scenario.schema.json',
    title: 'rlhf-replay scenario',
    description: SCENARIO_SPEC.description,
    if: { required: ['extends'] },
    then: { $ref: '#/$defs/patch' },
    else: { $ref: '#/$defs/full' },
    $defs: { full: convert(SCENARIO_SPEC, true), patch: convert(SCENARIO_SPEC, false) },
  };
}
