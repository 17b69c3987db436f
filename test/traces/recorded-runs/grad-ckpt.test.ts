import { describe, expect, it } from 'vitest';
import { parseGradCkpt } from '../../../harness/traces/recorded-runs/grad-ckpt.js';

describe('parseGradCkpt', () => {
  it('reads True / False for every trained model', () => {
    expect(parseGradCkpt('True')).toEqual({ text: 'True', actor: true, critic: true, method: 'checkpointing', comments: [] });
    expect(parseGradCkpt('false')).toEqual({ text: 'false', actor: false, critic: false, comments: [] });
  });

  it('limits the value to the model an aside names', () => {
    expect(parseGradCkpt('False(critic)')).toEqual({ text: 'False(critic)', critic: false, comments: [] });
    expect(parseGradCkpt('True (actor)')).toEqual({ text: 'True (actor)', actor: true, method: 'checkpointing', comments: [] });
  });

  it('reads Megatron recompute as checkpointing by another name, and keeps other asides', () => {
    expect(parseGradCkpt('recompute (script)')).toEqual({ text: 'recompute (script)', actor: true, critic: true, method: 'recompute', comments: ['script'] });
  });

  it('keeps what it does not understand', () => {
    expect(parseGradCkpt('selective')).toEqual({ text: 'selective', comments: [], unparsed: 'selective' });
  });
});
