import { describe, expect, it } from 'vitest';
import { counterMetric } from '../../harness/metrics/catalog.js';

describe('counters the catalog knows (asynchronous schedulers)', () => {
  it('gives the policy lag and idle shares their label, unit and direction', () => {
    expect(counterMetric('trained_tokens_per_s')).toMatchObject({ unit: 'tokens/s', better: 'higher', column: 'counter_trained_tokens_per_s' });
    expect(counterMetric('rollouter_idle_frac')).toMatchObject({ unit: 'fraction', better: 'lower', label: 'Rollouter idle' });
    expect(counterMetric('trainer_wait_s')).toMatchObject({ unit: 's', fidelityStage: 'gen' });
  });
  it('reads an unknown _frac counter as a fraction', () => {
    expect(counterMetric('some_other_frac').unit).toBe('fraction');
  });
});
