import { describe, expect, it } from 'vitest';
import { parseAlgorithm, parseFramework, parseModel } from '../../../harness/traces/recorded-runs/labels.js';

describe('free-text labels', () => {
  it('framework: the name, what follows it, and the asides', () => {
    expect(parseFramework('verl ~0.4/0.5 (image verl0.4-vllm0.8.5-mcore0.13)')).toEqual({
      text: 'verl ~0.4/0.5 (image verl0.4-vllm0.8.5-mcore0.13)',
      name: 'verl',
      version: '~0.4/0.5',
      comments: ['image verl0.4-vllm0.8.5-mcore0.13'],
    });
    expect(parseFramework('verl (Dec 2024, commit in log header)')).toEqual({ text: 'verl (Dec 2024, commit in log header)', name: 'verl', comments: ['Dec 2024, commit in log header'] });
  });

  it('algorithm: whether a critic and a reference model take part', () => {
    expect(parseAlgorithm('ppo')).toMatchObject({ name: 'ppo', usesCritic: true });
    expect(parseAlgorithm('ppo (GAE, critic)')).toMatchObject({ name: 'ppo', usesCritic: true, comments: ['GAE, critic'] });
    expect(parseAlgorithm('grpo (DAPO-style clip 0.2/0.28, overlong buffer)')).toMatchObject({ name: 'grpo', usesCritic: false });
    expect(parseAlgorithm('dapo')).toEqual({ text: 'dapo', name: 'dapo', usesCritic: false, comments: [] });
    expect(parseAlgorithm('gpg (grpo-family, no KL/ref)')).toMatchObject({ usesCritic: false, usesReference: false });
    expect(parseAlgorithm('reinforce-x')).toEqual({ text: 'reinforce-x', name: 'reinforce-x', comments: [] });
  });

  it('model: the name before its asides', () => {
    expect(parseModel('google/gemma-2-2b-it (SFT ckpt; actor+critic)')).toEqual({ text: 'google/gemma-2-2b-it (SFT ckpt; actor+critic)', name: 'google/gemma-2-2b-it', comments: ['SFT ckpt; actor+critic'] });
    expect(parseModel('DeepSeek-V3 671B').name).toBe('DeepSeek-V3 671B');
  });
});
