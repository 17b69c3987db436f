import { describe, expect, it } from 'vitest';
import { MODEL_CATALOG, modelById } from '../../../harness/cost/catalog/index.js';
import { activeParameterCount, embeddingParameters, kvBytesPerToken, kvBytesPerTokenPerGpu, parameterCount, weightBytes } from '../../../harness/cost/model-shape.js';
import { isInputError } from '../../../harness/util/input-error.js';

/**
 * The reference table (reference/hardware-and-models.md §3), typed here as published: parameters
 * (B), bf16 weights (GB = 1e9 bytes) and KV bf16 per token (KiB). The catalog only holds shapes;
 * these figures come out of model-shape.ts and must agree to the table's rounding.
 */
const REFERENCE: readonly [id: string, paramsB: number, weightsGB: number, kvKiB: number][] = [
  ['llama-13b', 13.0, 26.0, 800],
  ['llama-33b', 32.5, 65.1, 1560],
  ['llama-65b', 65.3, 130.6, 2560],
  ['llama-2-7b', 6.74, 13.5, 512],
  ['llama-2-13b', 13.0, 26.0, 800],
  ['llama-2-70b', 69.0, 138.0, 320],
  ['llama-3-8b', 8.03, 16.1, 128],
  ['qwen2.5-3b', 3.09, 6.2, 36],
  ['qwen2.5-7b', 7.62, 15.2, 56],
  ['qwen2.5-32b', 32.8, 65.5, 256],
];

/** Rounds to the number of decimals the reference printed. */
function roundedLike(value: number, printed: number): number {
  const decimals = (String(printed).split('.')[1] ?? '').length;
  return Number(value.toFixed(decimals));
}

describe('model catalog', () => {
  it.each(REFERENCE)('%s matches the reference table (params, bf16 weights, KV per token)', (id, paramsB, weightsGB, kvKiB) => {
    const model = modelById(id);
    expect(roundedLike(parameterCount(model) / 1e9, paramsB)).toBe(paramsB);
    expect(roundedLike(weightBytes(model) / 1e9, weightsGB)).toBe(weightsGB);
    expect(kvBytesPerToken(model, 2) / 1024).toBe(kvKiB);
  });

  it('reproduces Llama-2-7B exactly: 2·V·d + L·(2d² + 2·d·n_kv·h + 3·d·d_ff + 2d) + d', () => {
    const d = 4096;
    const perLayer = 2 * d * d + 2 * d * 32 * 128 + 3 * d * 11008 + 2 * d;
    expect(parameterCount(modelById('llama-2-7b'))).toBe(2 * 32000 * d + 32 * perLayer + d); // 6,738,415,616
    expect(parameterCount(modelById('llama-2-7b'))).toBe(6_738_415_616);
  });

  it('counts Qwen2.5 QKV bias and tied embeddings (3B: 3.09 B as on the model card)', () => {
    const qwen = modelById('qwen2.5-3b');
    const d = 2048;
    const kv = 2 * 128;
    const perLayer = 2 * d * d + 2 * d * kv + 3 * d * 11008 + 2 * d + (d + 2 * kv);
    expect(parameterCount(qwen)).toBe(151936 * d + 36 * perLayer + d);
  });

  it('replicates KV heads when TP exceeds them: Qwen2.5-3B (2 KV heads) at TP 4 keeps one head per GPU', () => {
    const qwen = modelById('qwen2.5-3b');
    // 2 (K,V) · 36 layers · 1 head · 128 · 2 bytes = 18,432 bytes, not 36 KiB / 4 = 9,216
    expect(kvBytesPerTokenPerGpu(qwen, 4, 1, 2)).toBe(18_432);
    expect(kvBytesPerTokenPerGpu(qwen, 2, 1, 2)).toBe(18_432);
    expect(kvBytesPerTokenPerGpu(modelById('llama-2-70b'), 8, 1, 2)).toBe(320 * 1024 / 8);
  });

  it('has every model the issue asks for, each with a source', () => {
    const ids = MODEL_CATALOG.map((m) => m.id);
    for (const id of ['llama-13b', 'llama-33b', 'llama-65b', 'llama-2-7b', 'llama-2-13b', 'llama-2-70b', 'llama-3-8b', 'qwen2.5-3b', 'qwen2.5-7b', 'qwen2.5-32b']) expect(ids).toContain(id);
    for (const model of MODEL_CATALOG) expect(model.sources.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('BLOOM-176B (SplitwiseSim) has its published 176 B parameters with a plain GELU MLP', () => {
    expect(Math.round(parameterCount(modelById('bloom-176b')) / 1e9)).toBe(176);
  });

  it('rejects an unknown id with an InputError naming the known ones', () => {
    let caught: unknown;
    try {
      modelById('llama-4-400b', { file: 'scenario.json', field: 'actor.model' });
    } catch (error) {
      caught = error;
    }
    expect(isInputError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/scenario\.json: field 'actor\.model' value 'llama-4-400b': unknown model id; the catalog has llama-13b/);
  });

  it('has the MoE models and every model of the recorded RL runs, each citing its config.json', () => {
    const ids = MODEL_CATALOG.map((m) => m.id);
    for (const id of ['qwen3-30b-a3b', 'qwen3-235b-a22b', 'deepseek-v3', 'deepseek-r1', 'mixtral-8x7b', 'deepseek-llm-7b-chat', 'qwen2-7b-instruct', 'qwen2.5-math-7b', 'qwen2.5-0.5b-instruct', 'gemma-2-2b-it']) {
      expect(ids).toContain(id);
      expect(modelById(id).sources.join(' ')).toMatch(/config\.json/);
    }
  });
});

/**
 * Published totals and active counts of the MoE models (model cards, Mixtral's release) and the
 * parameter counts veRL printed for the recorded runs' models (rl-step-logs/logs), rounded as published.
 */
const PUBLISHED: readonly [id: string, totalB: number, activeB: number | undefined][] = [
  ['qwen3-30b-a3b', 30.5, 3.3],
  ['qwen3-235b-a22b', 235, 22],
  ['deepseek-v3', 671, 37],
  ['mixtral-8x7b', 46.7, 12.9],
  ['qwen2-7b-instruct', 7.62, undefined],
  ['qwen2.5-0.5b-instruct', 0.49403, undefined],
  ['gemma-2-2b-it', 2.61, undefined],
  ['deepseek-llm-7b-chat', 6.9, undefined],
];

describe('catalog models against their published parameter counts', () => {
  it.each(PUBLISHED)('%s: %s B total, %s B active', (id, totalB, activeB) => {
    const model = modelById(id);
    expect(roundedLike(parameterCount(model) / 1e9, totalB)).toBe(totalB);
    // Active counts are within one unit of the printed last digit: cards differ in what they count
    // (Qwen3: 3.35 → "3.3B" with embeddings, DeepSeek-V3: 37.6 → "37B", Mixtral: 12.88 → "12.9B").
    if (activeB !== undefined) {
      const unit = Number.isInteger(activeB) ? 1 : 0.1;
      expect(Math.abs(activeParameterCount(model) / 1e9 - activeB)).toBeLessThan(unit);
    }
  });

  it('Qwen3-30B-A3B without embedding and head: the card\'s "29.9B non-embedding"', () => {
    const model = modelById('qwen3-30b-a3b');
    expect(roundedLike((parameterCount(model) - embeddingParameters(model)) / 1e9, 29.9)).toBe(29.9);
  });

  it('Qwen2.5-Math-7B is an alias of Qwen2.5-7B\'s shape', () => {
    const { id: _a, name: _b, sources: _c, ...math } = modelById('qwen2.5-math-7b');
    const { id: _d, name: _e, sources: _f, ...base } = modelById('qwen2.5-7b');
    expect(math).toEqual(base);
  });
});
