import { describe, expect, it } from 'vitest';
import { flatBatchLimit } from '../../../harness/schedulers/rlhfuse/flat-batch-limit.js';
import { linearReplica } from '../../sim/fixtures/linear-cost.js';

describe('flatBatchLimit', () => {
  // Linear double: step(B, B·c) = 1 + 0.1·B + 0.001·c·B; at c = 100 that is 1 + 0.2·B, and step(1) = 1.2.
  const replica = linearReplica({ decodeBaseS: 1, decodePerSequenceS: 0.1, decodePerContextTokenS: 0.001 });

  it('is the largest batch whose step stays within (1 + tolerance) × the batch-1 step', () => {
    // 1 + 0.2·B ≤ 1.5 × 1.2 = 1.8  ⇔  B ≤ 4
    expect(flatBatchLimit(replica, 100, 0.5, 256)).toBe(4);
    // 1 + 0.2·B ≤ 2 × 1.2 = 2.4  ⇔  B ≤ 7
    expect(flatBatchLimit(replica, 100, 1, 256)).toBe(7);
  });

  it('grows with the context the sequences hold less than with none (KV reads make steps grow faster)', () => {
    // c = 0: 1 + 0.1·B ≤ 1.5 × 1.1 = 1.65 ⇔ B ≤ 6; c = 1000: 1 + 1.1·B ≤ 1.5 × 2.1 = 3.15 ⇔ B ≤ 1
    expect(flatBatchLimit(replica, 0, 0.5, 256)).toBe(6);
    expect(flatBatchLimit(replica, 1000, 0.5, 256)).toBe(1);
  });

  it('never exceeds the engine limit, and is at least one', () => {
    expect(flatBatchLimit(replica, 100, 1000, 32)).toBe(32);
    expect(flatBatchLimit(replica, 100, 0, 32)).toBe(1);
  });
});
