import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHfConfig, modelIdFromName, parseHfConfig } from '../../../harness/cost/catalog/hf-config.js';
import { activeParameterCount, kvBytesPerToken, moeLayerCount, parameterCount } from '../../../harness/cost/model-shape.js';
import { InputError } from '../../../harness/util/input-error.js';

function doc(value: Record<string, unknown>, file = 'config.json') {
  const text = JSON.stringify(value, null, 2);
  return { file, text, value };
}

function problemsOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

const LLAMA = { architectures: ['LlamaForCausalLM'], hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 14336, vocab_size: 128256 };

describe('parseHfConfig: dense families', () => {
  it('reads a Llama config: GQA, head dim from hidden / heads, untied by default, no bias', () => {
    const model = parseHfConfig(doc(LLAMA), { id: 'llama-3-8b-hf' });
    expect(model).toMatchObject({ id: 'llama-3-8b-hf', layers: 32, hidden: 4096, heads: 32, kvHeads: 8, headDim: 128, ffn: 14336, vocab: 128256, tiedEmbeddings: false, qkvBias: false, bytesPerParameter: 2 });
    // Llama-3-8B: 8.03 B (reference §3)
    expect(Math.round(parameterCount(model) / 1e7) / 100).toBe(8.03);
  });

  it('gives Qwen2 its QKV bias whatever attention_bias says, and Qwen3 its per-head q/k norms', () => {
    const qwen2 = parseHfConfig(doc({ ...LLAMA, architectures: ['Qwen2ForCausalLM'] }));
    expect(qwen2.qkvBias).toBe(true);
    const qwen3 = parseHfConfig(doc({ ...LLAMA, architectures: ['Qwen3ForCausalLM'], head_dim: 128, attention_bias: false }));
    expect(qwen3.qkvBias).toBe(false);
    expect(qwen3.qkNorm).toBe(true);
    expect(parameterCount(qwen3) - parameterCount({ ...qwen3, qkNorm: false })).toBe(32 * 2 * 128);
  });

  it('reads Gemma-2: explicit head_dim 256 (heads × head_dim ≠ hidden), embeddings tied by default, 4 norms per layer', () => {
    const gemma = parseHfConfig(doc({ architectures: ['Gemma2ForCausalLM'], hidden_size: 2304, num_hidden_layers: 26, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256, intermediate_size: 9216, vocab_size: 256000 }));
    expect(gemma).toMatchObject({ headDim: 256, tiedEmbeddings: true, normsPerLayer: 4 });
    const layer = 2304 * 2048 * 2 + 2304 * 1024 * 2 + 3 * 2304 * 9216 + 4 * 2304;
    expect(parameterCount(gemma)).toBe(256000 * 2304 + 26 * layer + 2304);
  });

  it('takes the model type when architectures is absent', () => {
    const { architectures: _a, ...rest } = LLAMA;
    expect(parseHfConfig(doc({ ...rest, model_type: 'mistral' })).layers).toBe(32);
  });
});

describe('parseHfConfig: MoE and MLA', () => {
  it('Qwen3-MoE: decoder_sparse_step and mlp_only_layers choose the dense layers', () => {
    const base = { architectures: ['Qwen3MoeForCausalLM'], hidden_size: 1024, num_hidden_layers: 6, num_attention_heads: 8, num_key_value_heads: 2, head_dim: 128, intermediate_size: 4096, moe_intermediate_size: 256, num_experts: 16, num_experts_per_tok: 2, vocab_size: 1000 };
    expect(parseHfConfig(doc(base)).moe).toEqual({ experts: 16, expertsPerToken: 2, expertFfn: 256, sharedExpertFfn: 0, denseLayers: [] });
    // MoE where (layer + 1) % 2 = 0 and not in mlp_only_layers: layers 1 and 5 (3 is listed), the rest dense.
    const sparse = parseHfConfig(doc({ ...base, decoder_sparse_step: 2, mlp_only_layers: [3] }));
    expect(sparse.moe!.denseLayers).toEqual([0, 2, 3, 4]);
    expect(moeLayerCount(sparse)).toBe(2);
  });

  it('Mixtral: every layer MoE, the experts intermediate_size wide (46.7 B total, 12.9 B active)', () => {
    const mixtral = parseHfConfig(doc({ architectures: ['MixtralForCausalLM'], hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 14336, num_local_experts: 8, num_experts_per_tok: 2, vocab_size: 32000 }));
    expect(mixtral.moe).toEqual({ experts: 8, expertsPerToken: 2, expertFfn: 14336, sharedExpertFfn: 0, denseLayers: [] });
    expect(Math.round(parameterCount(mixtral) / 1e8) / 10).toBe(46.7);
    expect(Math.round(activeParameterCount(mixtral) / 1e8) / 10).toBe(12.9);
  });

  it('DeepSeek-V2-Lite style: q_lora_rank null (a plain query projection), first_k_dense_replace 1, two shared experts', () => {
    const lite = parseHfConfig(
      doc({
        architectures: ['DeepseekV2ForCausalLM'],
        hidden_size: 2048,
        num_hidden_layers: 27,
        num_attention_heads: 16,
        num_key_value_heads: 16,
        intermediate_size: 10944,
        moe_intermediate_size: 1408,
        n_routed_experts: 64,
        n_shared_experts: 2,
        num_experts_per_tok: 6,
        first_k_dense_replace: 1,
        q_lora_rank: null,
        kv_lora_rank: 512,
        qk_nope_head_dim: 128,
        qk_rope_head_dim: 64,
        v_head_dim: 128,
        vocab_size: 102400,
      }),
    );
    expect(lite.mla).toEqual({ qLoraRank: 0, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128 });
    expect(lite.moe).toMatchObject({ sharedExpertFfn: 2 * 1408, denseLayers: [0] });
    expect(lite.moe!.routerBias).toBeUndefined();
    expect(kvBytesPerToken(lite, 2)).toBe(27 * 576 * 2);
    // DeepSeek-V2-Lite: 15.7 B total, 2.4 B active (arXiv 2405.04434). DeepSeek's active count leaves out
    // the input embedding (a lookup, no FLOPs); activeParameterCount keeps every parameter a token touches.
    expect(Math.round(parameterCount(lite) / 1e8) / 10).toBe(15.7);
    const activeWithoutInputEmbedding = activeParameterCount(lite) - 102400 * 2048;
    expect(activeWithoutInputEmbedding).toBeGreaterThanOrEqual(2.4e9);
    expect(activeWithoutInputEmbedding).toBeLessThan(2.5e9); // 2.45 B
  });
});

describe('parseHfConfig: bad input', () => {
  it('names the field, line and value of every bad field at once', () => {
    const text = JSON.stringify({ ...LLAMA, hidden_size: 'big', num_key_value_heads: 5, vocab_size: -1 }, null, 2);
    const error = problemsOf(() => parseHfConfig({ file: 'bad.json', text, value: JSON.parse(text) }));
    expect(error.problems.map((p) => p.field).sort()).toEqual(['hidden_size', 'num_key_value_heads', 'vocab_size']);
    expect(error.message).toMatch(/bad\.json:5:3: field 'hidden_size' value 'big': must be an integer/);
    expect(error.message).toMatch(/field 'num_key_value_heads' value '5': must divide num_attention_heads \(32\)/);
  });

  it('rejects an unsupported architecture, listing the supported ones', () => {
    const error = problemsOf(() => parseHfConfig(doc({ ...LLAMA, architectures: ['BertModel'] })));
    expect(error.problems[0]!.field).toBe('architectures');
    expect(error.message).toMatch(/is not a supported decoder \(supported: LlamaForCausalLM, .*Qwen3MoeForCausalLM/);
  });

  it('rejects top-k above the expert count and a missing MoE field', () => {
    const error = problemsOf(() => parseHfConfig(doc({ ...LLAMA, architectures: ['MixtralForCausalLM'], num_local_experts: 4, num_experts_per_tok: 8 })));
    expect(error.problems.map((p) => p.field)).toEqual(['num_experts_per_tok']);
    const missing = problemsOf(() => parseHfConfig(doc({ ...LLAMA, architectures: ['Qwen3MoeForCausalLM'], num_experts: 8, num_experts_per_tok: 2 })));
    expect(missing.problems.map((p) => p.field)).toEqual(['moe_intermediate_size']);
  });
});

describe('loadHfConfig', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hf-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('names the model after its folder and cites the file', async () => {
    await mkdir(join(dir, 'Meta-Llama-3-8B'));
    const path = join(dir, 'Meta-Llama-3-8B', 'config.json');
    await writeFile(path, JSON.stringify(LLAMA));
    const model = await loadHfConfig(path);
    expect(model.id).toBe('meta-llama-3-8b');
    expect(model.sources[0]).toContain(`${path}: Hugging Face config.json (LlamaForCausalLM): hidden_size 4096`);
  });

  it('reports a missing file and bad JSON as InputErrors with the file', async () => {
    await expect(loadHfConfig(join(dir, 'nope', 'config.json'))).rejects.toThrow(/config\.json: Hugging Face config\.json: file not found/);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{ "hidden_size": 4096,, }');
    await expect(loadHfConfig(bad)).rejects.toBeInstanceOf(InputError);
  });

  it('derives ids from repo names', () => {
    expect(modelIdFromName('Qwen/Qwen3-30B-A3B')).toBe('qwen3-30b-a3b');
    expect(modelIdFromName('/models/deepseek-ai/DeepSeek-V3/')).toBe('deepseek-v3');
    expect(modelIdFromName('???')).toBe('hf-model');
  });
});
