import { describe, expect, it } from 'vitest';
import { broadcastWeightsS, hostLoadS, reshardBytesPerGpu, reshardS } from '../../harness/schedulers/weight-sync.js';
import { linearCostModel } from '../sim/fixtures/linear-cost.js';

describe('weight sync volumes (HybridFlow, reference §5.2)', () => {
  const M = 1000;
  it('gather-all moves (tpd − 1)/(tpd) · M per GPU', () => {
    expect(reshardBytesPerGpu(M, { train: { tp: 2, pp: 2, dp: 2 }, generation: { tp: 4, pp: 1 } }, 'gather-all')).toBeCloseTo((7 / 8) * M, 12);
  });
  it('the hybrid engine moves (tp − t_g p_g)/(t_g p_g tp) · M per GPU, nothing when generation is sharded as finely', () => {
    expect(reshardBytesPerGpu(M, { train: { tp: 8, pp: 2, dp: 4 }, generation: { tp: 4, pp: 1 } }, 'hybrid-engine')).toBeCloseTo(((16 - 4) / (4 * 16)) * M, 12);
    expect(reshardBytesPerGpu(M, { train: { tp: 2, pp: 1, dp: 4 }, generation: { tp: 4, pp: 1 } }, 'hybrid-engine')).toBe(0);
  });
  it('turns bytes into time over the link, and loads frozen weights from host memory', () => {
    const cost = linearCostModel();
    expect(reshardS(cost, 8e9, { train: { tp: 1, pp: 1, dp: 8 }, generation: { tp: 8, pp: 1 } }, 'gather-all', 'same-node')).toBeCloseTo(7, 12);
    expect(hostLoadS(cost, 2e9, 4, 8)).toBeCloseTo(80, 12);
    expect(broadcastWeightsS(cost, 3e9, 'other-node')).toBeCloseTo(3, 12);
  });
});
