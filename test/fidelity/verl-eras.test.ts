import { describe, expect, it } from 'vitest';
import { VERL_ERAS, verlEraAt } from '../../harness/fidelity/verl-eras.js';

describe('veRL eras', () => {
  it('places a run by its date in the latest era that started on or before it', () => {
    expect(verlEraAt('2024-12-10')!.id).toBe('verl-2024-10');
    expect(verlEraAt('2025-03-24')!.id).toBe('verl-2025-01');
    expect(verlEraAt('2025-04-05')!.id).toBe('verl-2025-04-01');
    expect(verlEraAt('2025-06-19')!.id).toBe('verl-2025-04');
    expect(verlEraAt('2025-10')!.id).toBe('verl-2025-08');
    expect(verlEraAt('2024-09-30')).toBeUndefined();
  });

  it('changes behaviour at the commits that changed it', () => {
    const at = (date: string) => verlEraAt(date)!;
    expect(at('2025-01-10').removePaddingAvailable).toBe(false);
    expect(at('2025-01-11').removePaddingAvailable).toBe(true);
    expect(at('2025-01-10').oldLogProbInGen).toBe(true);
    expect(at('2025-03-31').referencePolicyAlways).toBe(true);
    expect(at('2025-04-01').referencePolicyAlways).toBe(false);
    expect(at('2025-08-07').defaultEnforceEager).toBe(true);
    expect(at('2025-08-08').defaultEnforceEager).toBe(false);
  });

  it('lists eras in date order, each with a source', () => {
    const dates = VERL_ERAS.map((e) => e.from);
    expect([...dates].sort()).toEqual(dates);
    expect(VERL_ERAS.every((e) => e.sources.length > 0 && e.sources.every((s) => /volcengine\/verl [0-9a-f]{8}/.test(s)))).toBe(true);
  });
});
