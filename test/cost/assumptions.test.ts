import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_ASSUMPTIONS, listAssumptions, withAssumption } from '../../harness/cost/assumptions.js';
import { gpuById, modelById } from '../../harness/cost/catalog/index.js';
import { createRooflineCostModel } from '../../harness/cost/roofline/model.js';

describe('named assumptions', () => {
  it('lists every assumption with its value, a unit, and a source or a reason', () => {
    const list = listAssumptions();
    expect(list.map((a) => a.name).sort()).toEqual(Object.keys(DEFAULT_COST_ASSUMPTIONS).sort());
    for (const assumption of list) {
      expect(assumption.value).toBe(DEFAULT_COST_ASSUMPTIONS[assumption.name]);
      expect(assumption.unit.length).toBeGreaterThan(0);
      expect((assumption.source ?? assumption.why ?? '').length).toBeGreaterThan(10);
    }
    expect(list.find((a) => a.name === 'backwardToForwardRatio')).toMatchObject({ value: 2, unit: '×' });
  });

  it('varies one assumption by name and the model follows it (sensitivity sweeps)', () => {
    const varied = withAssumption(DEFAULT_COST_ASSUMPTIONS, 'backwardToForwardRatio', 3);
    expect(listAssumptions(varied).find((a) => a.name === 'backwardToForwardRatio')!.value).toBe(3);
    const backward = (ratio: number) =>
      createRooflineCostModel(gpuById('h100-sxm'), undefined, { assumptions: { backwardToForwardRatio: ratio, activationRecomputation: false } })
        .replica(modelById('llama-2-7b'), { tp: 1, pp: 1 })
        .trainStageBackwardS(2048, 2);
    expect(backward(3) / backward(2)).toBeCloseTo(1.5, 12);
    expect(() => withAssumption(DEFAULT_COST_ASSUMPTIONS, 'activationRecomputation', 1)).toThrow(/is a boolean/);
  });
});
