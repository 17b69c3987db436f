import { describe, expect, it } from 'vitest';
import { fidelityGroup, fidelityOutcome } from '../../../harness/reproduce/fidelity/report.js';

describe('the fidelity group of the report', () => {
  it('says why when the check did not run or failed', () => {
    const missing = fidelityGroup(fidelityOutcome([]));
    expect(missing.intro).toMatch(/not run: the shared recorded runs/);
    expect(missing.sections).toEqual([]);
    const failed = fidelityOutcome([{ id: 'fidelity/rl-step-logs', kind: 'reproduce-fidelity', status: 'error', error: { message: 'boom', inputError: false } }]);
    expect(failed).toEqual({ ok: false, why: 'failed: boom' });
  });
});
