import { describe, expect, it } from 'vitest';
import { parseOffload } from '../../../harness/traces/recorded-runs/offload.js';

const NONE = { param: false, grad: false, optimizer: false };

describe('parseOffload', () => {
  it('reads per-model clauses; a model the text does not name stays unknown', () => {
    expect(parseOffload('actor none; ref param')).toEqual({ text: 'actor none; ref param', actor: NONE, ref: { param: true }, comments: [], unparsed: [] });
    const ppo = parseOffload('actor none; critic none; ref param');
    expect([ppo.actor, ppo.critic, ppo.ref]).toEqual([NONE, NONE, { param: true }]);
  });

  it('applies a clause without a model to every model, then lets a named aside override one', () => {
    const spec = parseOffload('none (ref param offload)');
    expect([spec.actor, spec.critic, spec.ref]).toEqual([NONE, NONE, { param: true }]);
    const bare = parseOffload('none');
    expect(bare.ref).toEqual({ param: false });
  });

  it('reads + joined parts, keeps other asides as comments', () => {
    const spec = parseOffload('param+grad+optim (optimizer_offload_fraction=1, CPU optimizer)');
    expect(spec.actor).toEqual({ param: true, grad: true, optimizer: true });
    expect(spec.ref).toEqual({ param: true }); // the reference model has only parameters
    expect(spec.comments).toEqual(['optimizer_offload_fraction=1, CPU optimizer']);
    expect(parseOffload('param+optimizer').actor).toEqual({ param: true, grad: false, optimizer: true });
  });

  it('keeps what it does not understand', () => {
    expect(parseOffload('everything on disk').unparsed).toEqual(['everything on disk']);
    expect(parseOffload('actor param+ssd').actor).toBeUndefined();
  });
});
