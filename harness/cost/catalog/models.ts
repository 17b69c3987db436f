import type { ModelSpec } from '../types.js';
import { parseHfConfig } from './hf-config.js';

/**
 * The model catalog: dense decoder-only transformers with the shapes of their published
 * config.json. Derived figures (parameters, weight bytes, KV bytes per token) are computed by
 * ../model-shape.ts and tested against the reference table, never typed in here.
 */

const REF = 'reference/hardware-and-models.md §3';

function llama(
  id: string,
  name: string,
  shape: { layers: number; hidden: number; heads: number; kvHeads: number; ffn: number; vocab: number },
  configSource: string,
): ModelSpec {
  return {
    id,
    name,
    ...shape,
    headDim: shape.hidden / shape.heads,
    tiedEmbeddings: false,
    qkvBias: false,
    bytesPerParameter: 2,
    sources: [`${REF}: layers, hidden, heads, KV heads, FFN, vocab (SwiGLU, RMSNorm, RoPE, head dim 128)`, configSource, 'bf16 weights: 2 bytes per parameter'],
  };
}

export const LLAMA_13B = llama('llama-13b', 'LLaMA-1 13B', { layers: 40, hidden: 5120, heads: 40, kvHeads: 40, ffn: 13824, vocab: 32000 }, 'LLaMA paper, arXiv 2302.13971');
export const LLAMA_33B = llama('llama-33b', 'LLaMA-1 33B ("30B")', { layers: 60, hidden: 6656, heads: 52, kvHeads: 52, ffn: 17920, vocab: 32000 }, 'LLaMA paper, arXiv 2302.13971');
export const LLAMA_65B = llama('llama-65b', 'LLaMA-1 65B', { layers: 80, hidden: 8192, heads: 64, kvHeads: 64, ffn: 22016, vocab: 32000 }, 'LLaMA paper, arXiv 2302.13971');
export const LLAMA_2_7B = llama('llama-2-7b', 'Llama-2 7B', { layers: 32, hidden: 4096, heads: 32, kvHeads: 32, ffn: 11008, vocab: 32000 }, 'Llama 2 paper, arXiv 2307.09288; meta-llama/Llama-2-7b-hf config.json');
export const LLAMA_2_13B = llama('llama-2-13b', 'Llama-2 13B', { layers: 40, hidden: 5120, heads: 40, kvHeads: 40, ffn: 13824, vocab: 32000 }, 'Llama 2 paper, arXiv 2307.09288; meta-llama/Llama-2-13b-hf config.json');
export const LLAMA_2_70B = llama('llama-2-70b', 'Llama-2 70B', { layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, vocab: 32000 }, 'Llama 2 paper, arXiv 2307.09288; meta-llama/Llama-2-70b-hf config.json');
export const LLAMA_3_8B = llama('llama-3-8b', 'Llama-3 8B', { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocab: 128256 }, 'meta-llama/Meta-Llama-3-8B config.json');
export const LLAMA_3_70B = llama(
  'llama-3-70b',
  'Llama-3 70B',
  { layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, vocab: 128256 },
  'meta-llama/Meta-Llama-3-70B config.json (not in the reference table; listed because Vidur names it)',
);

function qwen(
  id: string,
  name: string,
  shape: { layers: number; hidden: number; heads: number; kvHeads: number; ffn: number; vocab: number; tiedEmbeddings: boolean },
): ModelSpec {
  return {
    id,
    name,
    ...shape,
    headDim: 128,
    qkvBias: true,
    bytesPerParameter: 2,
    sources: [`${REF}: layers, hidden, heads, KV heads, FFN, vocab, tied embeddings (SwiGLU, RMSNorm, RoPE, head dim 128, QKV bias)`, `Qwen2.5 model card and config.json (Qwen/${name.replace(' ', '-')})`, 'bf16 weights: 2 bytes per parameter'],
  };
}

export const QWEN2_5_3B = qwen('qwen2.5-3b', 'Qwen2.5 3B', { layers: 36, hidden: 2048, heads: 16, kvHeads: 2, ffn: 11008, vocab: 151936, tiedEmbeddings: true });
export const QWEN2_5_7B = qwen('qwen2.5-7b', 'Qwen2.5 7B', { layers: 28, hidden: 3584, heads: 28, kvHeads: 4, ffn: 18944, vocab: 152064, tiedEmbeddings: false });
export const QWEN2_5_32B = qwen('qwen2.5-32b', 'Qwen2.5 32B', { layers: 64, hidden: 5120, heads: 40, kvHeads: 8, ffn: 27648, vocab: 152064, tiedEmbeddings: false });

/**
 * BLOOM-176B is not an RLHF model of the papers; it is here because SplitwiseSim measured it, and
 * a second model lets calibration test itself on a model it was not fitted on.
 */
export const BLOOM_176B: ModelSpec = {
  id: 'bloom-176b',
  name: 'BLOOM 176B',
  layers: 70,
  hidden: 14336,
  heads: 112,
  kvHeads: 112,
  headDim: 128,
  ffn: 4 * 14336,
  vocab: 250880,
  tiedEmbeddings: true,
  qkvBias: true,
  gatedMlp: false,
  bytesPerParameter: 2,
  sources: [
    'bigscience/bloom config.json: n_layer 70, hidden_size 14336, n_head 112, vocab_size 250880, tied word embeddings; GELU MLP with 4 × hidden; ALiBi positions (no RoPE)',
    'SplitwiseSim perf_model.csv rows (bloom-176b at TP 8)',
    'biases of the output and MLP projections are not counted (≈ 0.01 % of the parameters)',
  ],
};



// ---------------------------------------------------------------------------------------------
// Models of the MoE runs and of the recorded RL runs (../shared/research/data/rl-step-logs/
// runs.csv). Each is its Hugging Face config.json, cost-relevant fields verbatim, turned into a
// ModelSpec by the same parser a user's config.json goes through (hf-config.ts), so the catalog
// holds the published facts and nothing derived.
// ---------------------------------------------------------------------------------------------

function fromHfConfig(id: string, name: string, config: Record<string, unknown>, sources: readonly string[]): ModelSpec {
  const text = JSON.stringify(config);
  const parsed = parseHfConfig({ file: `(catalog) ${name} config.json`, text, value: config }, { id, name });
  return { ...parsed, sources: [...sources, ...parsed.sources, 'bf16 weights: 2 bytes per parameter'] };
}

const LOGS = '../shared/research/data/rl-step-logs/logs';

export const QWEN3_30B_A3B = fromHfConfig(
  'qwen3-30b-a3b',
  'Qwen3-30B-A3B',
  {
    architectures: ['Qwen3MoeForCausalLM'],
    model_type: 'qwen3_moe',
    hidden_size: 2048,
    num_hidden_layers: 48,
    num_attention_heads: 32,
    num_key_value_heads: 4,
    head_dim: 128,
    intermediate_size: 6144,
    moe_intermediate_size: 768,
    num_experts: 128,
    num_experts_per_tok: 8,
    decoder_sparse_step: 1,
    mlp_only_layers: [],
    norm_topk_prob: true,
    attention_bias: false,
    tie_word_embeddings: false,
    vocab_size: 151936,
  },
  [
    'Hugging Face Qwen/Qwen3-30B-A3B config.json (fields as above); a verbatim copy of the file is in github.com/citsjtu2020/LLM-Prof sglang/Model_Config.md',
    'THUDM/slime scripts/models/qwen3-30B-A3B.sh @624b824 (Megatron args of the same checkpoint): 48 layers, hidden 2048, 32 heads, 4 query groups, kv-channels 128, qk-layernorm, moe-ffn-hidden-size 768, 128 experts, top-8, untied, vocab 151936',
    'model card: 30.5 B parameters in total and 3.3 B activated, 29.9 B non-embedding',
  ],
);

export const QWEN3_235B_A22B = fromHfConfig(
  'qwen3-235b-a22b',
  'Qwen3-235B-A22B',
  {
    architectures: ['Qwen3MoeForCausalLM'],
    model_type: 'qwen3_moe',
    hidden_size: 4096,
    num_hidden_layers: 94,
    num_attention_heads: 64,
    num_key_value_heads: 4,
    head_dim: 128,
    intermediate_size: 12288,
    moe_intermediate_size: 1536,
    num_experts: 128,
    num_experts_per_tok: 8,
    decoder_sparse_step: 1,
    mlp_only_layers: [],
    norm_topk_prob: true,
    attention_bias: false,
    tie_word_embeddings: false,
    vocab_size: 151936,
  },
  [
    'Hugging Face Qwen/Qwen3-235B-A22B config.json (fields as above)',
    'THUDM/slime scripts/models/qwen3-235B-A22B.sh @624b824 (Megatron args of the same checkpoint): 94 layers, hidden 4096, 64 heads, 4 query groups, kv-channels 128, qk-layernorm, moe-ffn-hidden-size 1536, 128 experts, top-8, every layer MoE (FIRST_K_DENSE_REPLACE=0), untied, vocab 151936',
    'model card: 235 B parameters in total and 22 B activated',
  ],
);

/** DeepSeek-V3 (671 B); DeepSeek-R1 has the same architecture and config (its alias below). */
export const DEEPSEEK_V3 = fromHfConfig(
  'deepseek-v3',
  'DeepSeek-V3 (671B)',
  {
    architectures: ['DeepseekV3ForCausalLM'],
    model_type: 'deepseek_v3',
    hidden_size: 7168,
    num_hidden_layers: 61,
    num_attention_heads: 128,
    num_key_value_heads: 128,
    intermediate_size: 18432,
    moe_intermediate_size: 2048,
    n_routed_experts: 256,
    n_shared_experts: 1,
    num_experts_per_tok: 8,
    first_k_dense_replace: 3,
    moe_layer_freq: 1,
    topk_method: 'noaux_tc',
    q_lora_rank: 1536,
    kv_lora_rank: 512,
    qk_nope_head_dim: 128,
    qk_rope_head_dim: 64,
    v_head_dim: 128,
    tie_word_embeddings: false,
    vocab_size: 129280,
  },
  [
    'Hugging Face deepseek-ai/DeepSeek-V3 config.json (fields as above; also deepseek-ai/DeepSeek-R1)',
    'deepseek-ai/DeepSeek-V3 inference/configs/config_671B.json @9b4e978: dim 7168, inter_dim 18432, moe_inter_dim 2048, n_layers 61, n_dense_layers 3, n_heads 128, n_routed_experts 256, n_shared_experts 1, n_activated_experts 8, q_lora_rank 1536, kv_lora_rank 512, qk_nope_head_dim 128, qk_rope_head_dim 64, v_head_dim 128, vocab 129280; MLA and MoE shapes from inference/model.py (MLA, Gate, MoE)',
    'released weights are FP8 (quantization_config fp8); priced here as bf16, as the veRL Megatron recipe (runs.csv r12) trains it; the multi-token-prediction layer (num_nextn_predict_layers 1) is not counted: the 671 B excludes it',
  ],
);

export const DEEPSEEK_R1: ModelSpec = { ...DEEPSEEK_V3, id: 'deepseek-r1', name: 'DeepSeek-R1 (671B)', sources: ['alias of deepseek-v3: DeepSeek-R1 has the DeepSeek-V3 architecture and config.json', ...DEEPSEEK_V3.sources] };

export const MIXTRAL_8X7B = fromHfConfig(
  'mixtral-8x7b',
  'Mixtral-8x7B',
  {
    architectures: ['MixtralForCausalLM'],
    model_type: 'mixtral',
    hidden_size: 4096,
    num_hidden_layers: 32,
    num_attention_heads: 32,
    num_key_value_heads: 8,
    intermediate_size: 14336,
    num_local_experts: 8,
    num_experts_per_tok: 2,
    tie_word_embeddings: false,
    vocab_size: 32000,
  },
  [
    'Hugging Face mistralai/Mixtral-8x7B-v0.1 config.json (fields as above)',
    'Mixtral of Experts, arXiv 2401.04088, Table 1: dim 4096, n_layers 32, head_dim 128, hidden_dim 14336, n_heads 32, n_kv_heads 8, vocab 32000, 8 experts, top-2; 46.7 B total, 12.9 B active (Mistral release)',
  ],
);

export const DEEPSEEK_LLM_7B_CHAT = fromHfConfig(
  'deepseek-llm-7b-chat',
  'DeepSeek-LLM-7B-Chat',
  {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: 4096,
    num_hidden_layers: 30,
    num_attention_heads: 32,
    num_key_value_heads: 32,
    intermediate_size: 11008,
    tie_word_embeddings: false,
    vocab_size: 102400,
  },
  [
    'Hugging Face deepseek-ai/deepseek-llm-7b-chat config.json (fields as above; LlamaForCausalLM)',
    'deepseek-ai/DeepSeek-LLM README @35a7d0f: "the same architecture as LLaMA", the 7B model uses multi-head attention; DeepSeek LLM, arXiv 2401.02954, Table 2: 30 layers, d_model 4096, 32 heads',
    `the model of runs.csv r00–r05 (${LOGS}/verl-mi300-deepseek7b)`,
  ],
);

export const QWEN2_7B_INSTRUCT = fromHfConfig(
  'qwen2-7b-instruct',
  'Qwen2-7B-Instruct',
  {
    architectures: ['Qwen2ForCausalLM'],
    model_type: 'qwen2',
    hidden_size: 3584,
    num_hidden_layers: 28,
    num_attention_heads: 28,
    num_key_value_heads: 4,
    intermediate_size: 18944,
    tie_word_embeddings: false,
    vocab_size: 152064,
  },
  [
    'Hugging Face Qwen/Qwen2-7B-Instruct config.json (fields as above), as printed by veRL at start-up in the recorded run',
    `${LOGS}/verl-qwen2-7b-gpg/qwen2-7b_math.log lines 856–878 (config) and 883: "Qwen2ForCausalLM contains 7.62B parameters"; runs.csv r06–r11`,
  ],
);

/** Qwen2.5-Math-7B has Qwen2.5-7B's shape (an alias of the catalog entry). */
export const QWEN2_5_MATH_7B: ModelSpec = {
  ...QWEN2_5_7B,
  id: 'qwen2.5-math-7b',
  name: 'Qwen2.5-Math-7B',
  sources: [
    'alias of qwen2.5-7b: Hugging Face Qwen/Qwen2.5-Math-7B config.json has the same hidden_size 3584, num_hidden_layers 28, num_attention_heads 28, num_key_value_heads 4, intermediate_size 18944, vocab_size 152064, untied (it differs in rope_theta and max_position_embeddings only, which do not change the cost)',
    'the model of runs.csv r13–r19 (veRL DAPO on H20)',
    ...QWEN2_5_7B.sources,
  ],
};

export const QWEN2_5_0_5B_INSTRUCT = fromHfConfig(
  'qwen2.5-0.5b-instruct',
  'Qwen2.5-0.5B-Instruct',
  {
    architectures: ['Qwen2ForCausalLM'],
    model_type: 'qwen2',
    hidden_size: 896,
    num_hidden_layers: 24,
    num_attention_heads: 14,
    num_key_value_heads: 2,
    intermediate_size: 4864,
    tie_word_embeddings: true,
    vocab_size: 151936,
  },
  [
    'Hugging Face Qwen/Qwen2.5-0.5B-Instruct config.json (fields as above), as printed by veRL at start-up in the recorded run',
    `${LOGS}/verl-team-gsm8k/Qwen2.5-0.5B-bsz256_2-prompt1024-resp512-0.567.log lines 151–176: config and "Qwen2ForCausalLM contains 494.03M parameters"; runs.csv r42–r44`,
    'THUDM/slime scripts/models/qwen2.5-0.5B.sh @624b824: 24 layers, hidden 896, ffn 4864, 14 heads, 2 query groups, QKV bias, tied embeddings',
  ],
);

export const GEMMA_2_2B_IT = fromHfConfig(
  'gemma-2-2b-it',
  'Gemma-2-2B-it',
  {
    architectures: ['Gemma2ForCausalLM'],
    model_type: 'gemma2',
    hidden_size: 2304,
    num_hidden_layers: 26,
    num_attention_heads: 8,
    num_key_value_heads: 4,
    head_dim: 256,
    intermediate_size: 9216,
    attention_bias: false,
    vocab_size: 256000,
  },
  [
    'Hugging Face google/gemma-2-2b-it config.json (fields as above; Gemma2Config ties the embeddings by default), as printed by veRL at start-up in the recorded run',
    `${LOGS}/verl-team-gsm8k/gemma-2-2b-it-ppo-bsz512_4-prompt1024-resp-512-0.640.log lines 203–225: config (head_dim 256, gelu_pytorch_tanh gated MLP, sliding_window 4096) and "Gemma2ForCausalLM contains 2.61B parameters"; runs.csv r45–r47`,
  ],
);

/** The catalog's MoE models and the models of the recorded RL runs. */
export const HF_CATALOG_MODELS: readonly ModelSpec[] = [
  QWEN3_30B_A3B,
  QWEN3_235B_A22B,
  DEEPSEEK_V3,
  DEEPSEEK_R1,
  MIXTRAL_8X7B,
  DEEPSEEK_LLM_7B_CHAT,
  QWEN2_7B_INSTRUCT,
  QWEN2_5_MATH_7B,
  QWEN2_5_0_5B_INSTRUCT,
  GEMMA_2_2B_IT,
];

/** Every catalog model, in the order reports list them. */
export const MODEL_CATALOG: readonly ModelSpec[] = [
  LLAMA_13B,
  LLAMA_33B,
  LLAMA_65B,
  LLAMA_2_7B,
  LLAMA_2_13B,
  LLAMA_2_70B,
  LLAMA_3_8B,
  LLAMA_3_70B,
  QWEN2_5_3B,
  QWEN2_5_7B,
  QWEN2_5_32B,
  BLOOM_176B,
  ...HF_CATALOG_MODELS,
];
