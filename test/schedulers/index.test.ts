import { describe, expect, it } from 'vitest';
import { schedulers } from '../../harness/schedulers/index.js';
import { InputError } from '../../harness/util/input-error.js';
import { linearCostModel } from '../sim/fixtures/linear-cost.js';
import { createRng } from '../../harness/util/rng.js';
import { iterationOf, testScenario } from './fixtures/scenario.js';

describe('the scheduler registry', () => {
  it('gives every entry parameters under its own name, each declared once', () => {
    for (const entry of schedulers) {
      const names = entry.assumptions.map((a) => a.name);
      expect(new Set(names).size, entry.name).toBe(names.length);
      const scenario = testScenario({ schedulerParameters: { [entry.name]: { 'no-such-parameter': 1 } } });
      let problems: InputError['problems'] | undefined;
      try {
        entry.run(scenario, iterationOf([{ prompt: 10, responses: [10] }]), linearCostModel(), createRng(1));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        problems = error.problems;
      }
      expect(problems, entry.name).toEqual([
        { file: '(scenario)', field: `schedulerParameters.${entry.name}.no-such-parameter`, value: 1, message: `is not a parameter of ${entry.name} (known: ${names.join(', ') || 'none'})` },
      ]);
    }
  });
});
