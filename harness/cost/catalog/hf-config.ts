import { basename, dirname } from 'node:path';
import { FieldReader, readJsonFile, type JsonDocument } from '../../util/json-input.js';
import type { MlaShape, ModelSpec, MoeShape } from '../types.js';

/**
 * Models from a Hugging Face `config.json`: dense and MoE decoders of the Llama / Mistral, Qwen2 /
 * Qwen2.5, Qwen3, Qwen3-MoE, Mixtral, DeepSeek-V2/V3 and Gemma-2 families, read by the fields their
 * transformers configuration classes define. `parseHfConfig` is pure (a parsed document in, a
 * ModelSpec out, every bad field an InputError with file, line, field and value); `loadHfConfig`
 * reads the file. Unknown fields are ignored (config.json files carry many that do not change
 * the cost: rope scaling, token ids, dropout).
 *
 * Not modelled, and why: `torch_dtype` (the harness prices bf16 weights, 2 bytes per parameter, the
 * precision RLHF frameworks train and serve in; a float32 or FP8 checkpoint is cast), DeepSeek's
 * multi-token-prediction layers (`num_nextn_predict_layers`: not used by RL training or plain
 * decoding; the published 671 B of DeepSeek-V3 excludes them), Gemma-2's sliding window (the engines
 * of the recorded runs allocate full-length KV for every layer).
 */

export interface HfFamily {
  readonly name: string;
  readonly architectures: readonly string[];
  readonly modelTypes: readonly string[];
  /** transformers' default of tie_word_embeddings for this config class. */
  readonly tiedByDefault: boolean;
}

/** The families read, by the `architectures` / `model_type` values of their config.json. */
export const HF_FAMILIES: readonly HfFamily[] = [
  { name: 'llama', architectures: ['LlamaForCausalLM', 'MistralForCausalLM'], modelTypes: ['llama', 'mistral'], tiedByDefault: false },
  { name: 'qwen2', architectures: ['Qwen2ForCausalLM'], modelTypes: ['qwen2'], tiedByDefault: false },
  { name: 'qwen3', architectures: ['Qwen3ForCausalLM'], modelTypes: ['qwen3'], tiedByDefault: false },
  { name: 'qwen3_moe', architectures: ['Qwen3MoeForCausalLM'], modelTypes: ['qwen3_moe'], tiedByDefault: false },
  { name: 'mixtral', architectures: ['MixtralForCausalLM'], modelTypes: ['mixtral'], tiedByDefault: false },
  { name: 'deepseek_v2', architectures: ['DeepseekV2ForCausalLM'], modelTypes: ['deepseek_v2'], tiedByDefault: false },
  { name: 'deepseek_v3', architectures: ['DeepseekV3ForCausalLM'], modelTypes: ['deepseek_v3'], tiedByDefault: false },
  { name: 'gemma2', architectures: ['Gemma2ForCausalLM'], modelTypes: ['gemma2'], tiedByDefault: true },
];

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

export interface HfConfigOptions {
  /** Model id (default: from `_name_or_path`, else 'hf-model'). */
  readonly id?: string;
  readonly name?: string;
  /** Bytes per parameter the weights are priced at (default 2, bf16). */
  readonly bytesPerParameter?: number;
}

/** A model id from a path or repo name: 'Qwen/Qwen3-30B-A3B' → 'qwen3-30b-a3b'. */
export function modelIdFromName(name: string): string {
  const last = name.replace(/\/+$/, '').split('/').pop() ?? name;
  const id = last
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '');
  return ID_PATTERN.test(id) ? id : 'hf-model';
}

/** Whether a parsed JSON object looks like a Hugging Face config.json (it names an architecture or a model type). */
export function isHfConfigObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && ('architectures' in value || 'model_type' in value);
}

export async function loadHfConfig(path: string, options: HfConfigOptions = {}): Promise<ModelSpec> {
  const doc = await readJsonFile(path, 'Hugging Face config.json');
  // The folder a config.json sits in is usually the model's name (a snapshot of Qwen/Qwen3-30B-A3B).
  const folder = basename(dirname(path));
  return parseHfConfig(doc, { ...options, id: options.id ?? (basename(path) === 'config.json' && folder !== '.' ? modelIdFromName(folder) : undefined) });
}

/** A config.json present or null is 'absent' the way transformers treats it (e.g. DeepSeek-V2-Lite's q_lora_rank: null). */
function present(fields: FieldReader, key: string): boolean {
  return fields.has(key) && fields.get(key) !== null;
}

function familyOf(fields: FieldReader): HfFamily | undefined {
  const architectures = fields.get('architectures');
  const modelType = fields.get('model_type');
  const known = (f: HfFamily) => (Array.isArray(architectures) && architectures.some((a) => f.architectures.includes(String(a)))) || (typeof modelType === 'string' && f.modelTypes.includes(modelType));
  return HF_FAMILIES.find(known);
}

export function parseHfConfig(doc: JsonDocument, options: HfConfigOptions = {}): ModelSpec {
  const fields = FieldReader.root(doc, 'Hugging Face config.json');
  const family = familyOf(fields);
  if (!family) {
    const shown = fields.has('architectures') ? fields.get('architectures') : fields.get('model_type');
    fields.problem(fields.has('architectures') ? 'architectures' : 'model_type', shown, `is not a supported decoder (supported: ${HF_FAMILIES.flatMap((f) => f.architectures).join(', ')})`);
    fields.throwIfAny();
  }
  const f = family!;
  const count = (key: string, optional = false, min = 1) =>
    present(fields, key) || !optional ? fields.number(key, { integer: true, min, max: 100_000_000 }) : undefined;
  const hidden = count('hidden_size');
  const layers = count('num_hidden_layers');
  const heads = count('num_attention_heads');
  const kvHeads = count('num_key_value_heads', true) ?? heads;
  const ffn = count('intermediate_size');
  const vocab = count('vocab_size');
  const headDimGiven = count('head_dim', true);
  const tied = present(fields, 'tie_word_embeddings') ? fields.boolean('tie_word_embeddings') : f.tiedByDefault;
  const attentionBias = present(fields, 'attention_bias') ? fields.boolean('attention_bias') : false;

  if (heads !== undefined && kvHeads !== undefined && (kvHeads > heads || heads % kvHeads !== 0)) {
    fields.problem('num_key_value_heads', kvHeads, `must divide num_attention_heads (${heads})`);
  }
  let headDim = headDimGiven;
  if (headDim === undefined && hidden !== undefined && heads !== undefined) {
    if (hidden % heads !== 0) fields.problem('head_dim', undefined, `is needed: hidden_size (${hidden}) is not a multiple of num_attention_heads (${heads})`);
    else headDim = hidden / heads;
  }

  let moe: MoeShape | undefined;
  let mla: MlaShape | undefined;
  const facts: string[] = [];
  if (f.name === 'qwen3_moe') moe = qwen3Moe(fields, layers, facts);
  if (f.name === 'mixtral') moe = mixtralMoe(fields, ffn, facts);
  if (f.name === 'deepseek_v2' || f.name === 'deepseek_v3') {
    moe = deepseekMoe(fields, layers, f.name === 'deepseek_v3', facts);
    mla = deepseekMla(fields, facts);
  }
  fields.throwIfAny();

  const fromPath = typeof fields.get('_name_or_path') === 'string' ? modelIdFromName(fields.get('_name_or_path') as string) : undefined;
  const id = options.id ?? fromPath ?? 'hf-model';
  const shape = `hidden_size ${hidden}, num_hidden_layers ${layers}, num_attention_heads ${heads}, num_key_value_heads ${kvHeads}, head_dim ${headDim}, intermediate_size ${ffn}, vocab_size ${vocab}, tie_word_embeddings ${tied}`;
  return {
    id,
    name: options.name ?? id,
    layers: layers!,
    hidden: hidden!,
    heads: heads!,
    kvHeads: mla ? heads! : kvHeads!,
    // MLA has no single head dim: query/key heads are nope + rope wide (what head-count-based code, e.g. Ulysses all-to-all, reads).
    headDim: mla ? mla.qkNopeHeadDim + mla.qkRopeHeadDim : headDim!,
    ffn: ffn!,
    vocab: vocab!,
    tiedEmbeddings: tied!,
    // Qwen2 / Qwen2.5 always have Q, K, V biases (transformers Qwen2Attention); the others only with attention_bias.
    qkvBias: f.name === 'qwen2' || attentionBias === true,
    gatedMlp: true,
    ...(f.name === 'qwen3' || f.name === 'qwen3_moe' ? { qkNorm: true } : {}),
    // Gemma-2: input, post-attention, pre-feedforward and post-feedforward norms.
    ...(f.name === 'gemma2' ? { normsPerLayer: 4 } : {}),
    bytesPerParameter: options.bytesPerParameter ?? 2,
    ...(moe ? { moe } : {}),
    ...(mla ? { mla } : {}),
    sources: [`${doc.file}: Hugging Face config.json (${f.architectures[0]}): ${[shape, ...facts].join(', ')}`],
  };
}

function denseLayerList(layers: number | undefined, isMoe: (layer: number) => boolean): number[] {
  const dense: number[] = [];
  for (let layer = 0; layer < (layers ?? 0); layer++) if (!isMoe(layer)) dense.push(layer);
  return dense;
}

function positive(fields: FieldReader, key: string, min = 1): number | undefined {
  return fields.number(key, { integer: true, min, max: 100_000_000 });
}

function checkTopK(fields: FieldReader, experts: number | undefined, perToken: number | undefined): void {
  if (experts !== undefined && perToken !== undefined && perToken > experts) fields.problem('num_experts_per_tok', perToken, `must be at most the number of experts (${experts})`);
}

/** transformers Qwen3MoeDecoderLayer: an MoE MLP unless the layer is in mlp_only_layers or (layer + 1) % decoder_sparse_step ≠ 0. */
function qwen3Moe(fields: FieldReader, layers: number | undefined, facts: string[]): MoeShape | undefined {
  const experts = positive(fields, 'num_experts');
  const perToken = positive(fields, 'num_experts_per_tok');
  const expertFfn = positive(fields, 'moe_intermediate_size');
  const step = present(fields, 'decoder_sparse_step') ? positive(fields, 'decoder_sparse_step') : 1;
  const mlpOnly = present(fields, 'mlp_only_layers') ? fields.get('mlp_only_layers') : [];
  if (!Array.isArray(mlpOnly) || mlpOnly.some((l) => !Number.isInteger(l) || (l as number) < 0 || (layers !== undefined && (l as number) >= layers))) {
    fields.problem('mlp_only_layers', mlpOnly, `must be a list of layer indices below num_hidden_layers (${layers})`);
  }
  checkTopK(fields, experts, perToken);
  if (experts === undefined || perToken === undefined || expertFfn === undefined || step === undefined || !Array.isArray(mlpOnly)) return undefined;
  facts.push(`num_experts ${experts}, num_experts_per_tok ${perToken}, moe_intermediate_size ${expertFfn}, decoder_sparse_step ${step}, mlp_only_layers [${mlpOnly.join(', ')}]`);
  if (present(fields, 'norm_topk_prob')) facts.push(`norm_topk_prob ${String(fields.get('norm_topk_prob'))} (routing weights only, no cost)`);
  const only = new Set(mlpOnly as number[]);
  return { experts, expertsPerToken: perToken, expertFfn, sharedExpertFfn: 0, denseLayers: denseLayerList(layers, (l) => !only.has(l) && (l + 1) % step === 0) };
}

/** transformers MixtralSparseMoeBlock: every layer MoE, the experts intermediate_size wide. */
function mixtralMoe(fields: FieldReader, ffn: number | undefined, facts: string[]): MoeShape | undefined {
  const experts = positive(fields, 'num_local_experts');
  const perToken = positive(fields, 'num_experts_per_tok');
  checkTopK(fields, experts, perToken);
  if (experts === undefined || perToken === undefined || ffn === undefined) return undefined;
  facts.push(`num_local_experts ${experts}, num_experts_per_tok ${perToken} (experts intermediate_size wide)`);
  return { experts, expertsPerToken: perToken, expertFfn: ffn, sharedExpertFfn: 0, denseLayers: [] };
}

/**
 * DeepSeek-V2/V3 (transformers DeepseekV3DecoderLayer): an MoE MLP when layer ≥ first_k_dense_replace
 * and layer % moe_layer_freq = 0, with n_shared_experts shared experts of moe_intermediate_size;
 * V3's noaux_tc router adds a per-expert bias (e_score_correction_bias).
 */
function deepseekMoe(fields: FieldReader, layers: number | undefined, v3: boolean, facts: string[]): MoeShape | undefined {
  const experts = positive(fields, 'n_routed_experts');
  const perToken = positive(fields, 'num_experts_per_tok');
  const expertFfn = positive(fields, 'moe_intermediate_size');
  const shared = present(fields, 'n_shared_experts') ? positive(fields, 'n_shared_experts', 0) : 0;
  const firstDense = present(fields, 'first_k_dense_replace') ? positive(fields, 'first_k_dense_replace', 0) : 0;
  const frequency = present(fields, 'moe_layer_freq') ? positive(fields, 'moe_layer_freq') : 1;
  checkTopK(fields, experts, perToken);
  if (experts === undefined || perToken === undefined || expertFfn === undefined || shared === undefined || firstDense === undefined || frequency === undefined) return undefined;
  const topkMethod = fields.get('topk_method');
  const routerBias = topkMethod === 'noaux_tc' || (topkMethod === undefined && v3);
  facts.push(`n_routed_experts ${experts}, n_shared_experts ${shared}, num_experts_per_tok ${perToken}, moe_intermediate_size ${expertFfn}, first_k_dense_replace ${firstDense}, moe_layer_freq ${frequency}${routerBias ? ', router bias (noaux_tc)' : ''}`);
  return {
    experts,
    expertsPerToken: perToken,
    expertFfn,
    sharedExpertFfn: shared * expertFfn,
    denseLayers: denseLayerList(layers, (l) => l >= firstDense && l % frequency === 0),
    ...(routerBias ? { routerBias: true } : {}),
  };
}

function deepseekMla(fields: FieldReader, facts: string[]): MlaShape | undefined {
  const qLoraRank = present(fields, 'q_lora_rank') ? positive(fields, 'q_lora_rank', 0) : 0;
  const kvLoraRank = positive(fields, 'kv_lora_rank');
  const qkNopeHeadDim = positive(fields, 'qk_nope_head_dim');
  const qkRopeHeadDim = positive(fields, 'qk_rope_head_dim');
  const vHeadDim = positive(fields, 'v_head_dim');
  if (qLoraRank === undefined || kvLoraRank === undefined || qkNopeHeadDim === undefined || qkRopeHeadDim === undefined || vHeadDim === undefined) return undefined;
  facts.push(`MLA q_lora_rank ${qLoraRank}, kv_lora_rank ${kvLoraRank}, qk_nope_head_dim ${qkNopeHeadDim}, qk_rope_head_dim ${qkRopeHeadDim}, v_head_dim ${vHeadDim}`);
  return { qLoraRank, kvLoraRank, qkNopeHeadDim, qkRopeHeadDim, vHeadDim };
}
