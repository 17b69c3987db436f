import { describe, expect, it } from 'vitest';
import { modelById } from '../../../harness/cost/catalog/index.js';
import { stateDictTensors } from '../../../harness/schedulers/async/weight-sync.js';

describe('stateDictTensors: the tensors a per-tensor weight sync broadcasts', () => {
  it('counts Llama-2-7B’s state dict: 32 × (q, k, v, o, gate, up, down, 2 norms) + embedding, final norm, LM head', () => {
    expect(stateDictTensors(modelById('llama-2-7b'))).toBe(32 * 9 + 3);
  });
  it('counts Qwen2.5-7B’s, with its QKV biases: 28 × 12 + 3 = 339', () => {
    expect(stateDictTensors(modelById('qwen2.5-7b'))).toBe(339);
  });
});
