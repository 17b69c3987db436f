import { describe, expect, it } from 'vitest';
import { deriveFusedLayout } from '../../../harness/schedulers/rlhfuse/fused-layout.js';

const layout = (tp: number, pp: number, dp: number, microBatchSamples = 1) => ({ tp, pp, dp, microBatchSamples });

describe('deriveFusedLayout', () => {
  it('fuses the 65B/33B testbed: per 64-GPU group, one 8-stage actor pipeline and two 4-stage critic pipelines', () => {
    const result = deriveFusedLayout(layout(8, 8, 4, 2), layout(8, 4, 8), 65, 33);
    expect(result).toEqual({
      ok: true,
      layout: {
        slotGpus: 8,
        groupGpus: 64,
        groups: 4,
        large: { role: 'actor', task: 'update_actor', tp: 8, pp: 8, dp: 4, microBatchSamples: 2, lockstep: 1 },
        small: { role: 'critic', task: 'update_critic', tp: 8, pp: 4, dp: 8, microBatchSamples: 1, lockstep: 1 },
      },
    });
  });

  it('keeps each TP: a TP-4 actor runs two pipelines side by side in the TP-8 critic’s slots (13B/33B); on equal PP the larger model leads', () => {
    const result = deriveFusedLayout(layout(4, 4, 16), layout(8, 4, 8), 13, 33);
    expect(result.ok && result.layout).toMatchObject({ slotGpus: 8, groups: 8, large: { role: 'critic', tp: 8, pp: 4, dp: 8, lockstep: 1 }, small: { role: 'actor', tp: 4, pp: 4, dp: 16, lockstep: 2 } });
  });

  it('refuses layouts that cannot share stage slots, saying why', () => {
    expect(deriveFusedLayout(layout(8, 8, 4), layout(8, 4, 4), 65, 33)).toEqual({ ok: false, reason: expect.stringContaining('different GPU counts') });
    expect(deriveFusedLayout(layout(8, 6, 4), layout(8, 4, 6), 65, 33)).toEqual({ ok: false, reason: expect.stringContaining('does not divide') });
    expect(deriveFusedLayout(layout(3, 1, 8), layout(2, 1, 12), 65, 33)).toEqual({ ok: false, reason: expect.stringContaining('TP 2 does not divide TP 3') });
    // 24 GPUs in groups of 8-GPU slots × PP 2: 1.5 groups.
    expect(deriveFusedLayout(layout(4, 2, 3), layout(8, 1, 3), 65, 33)).toEqual({ ok: false, reason: expect.stringContaining('do not tile') });
  });
});
