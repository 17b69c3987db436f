import type { ModelSpec } from '../types.js';

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
];
