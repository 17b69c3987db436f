import { describe, expect, it } from 'vitest';
import { fidelityCase, runFidelityCase } from '../../../harness/reproduce/fidelity/case.js';
import { fidelityGroup, fidelityOutcome } from '../../../harness/reproduce/fidelity/report.js';
import { hasSharedData } from '../../../harness/util/shared-data.js';
import { InputError } from '../../../harness/util/input-error.js';

describe('the reproduction’s fidelity case', () => {
  it('is left out of the plan, with why, when the shared recorded runs are absent', async () => {
    const made = await fidelityCase({ RLHF_REPLAY_SHARED: '/nonexistent-shared' });
    expect(made.case).toBeUndefined();
    expect(made.missing).toMatch(/rl-step-logs\/runs\.csv are not in the shared folder/);
  });

  it.skipIf(!hasSharedData('rl-step-logs', 'runs.csv'))('compares every recorded step out of sample and gives the page its fidelity group', async () => {
    const made = await fidelityCase();
    expect(made.case!.runs.sha256).toMatch(/^[0-9a-f]{64}$/);
    const result = await runFidelityCase(made.case!);
    // Plain JSON: a shard's outcome survives the round trip.
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(result.steps).toBeGreaterThanOrEqual(25);
    const stages = new Set(result.rows.map((r) => r.stage));
    for (const stage of ['gen', 'update_actor', 'step']) expect(stages.has(stage as never)).toBe(true);
    for (const row of result.rows) expect(row.errorPct).toBeCloseTo((row.simulatedS / row.measuredS - 1) * 100, 9);
    const group = fidelityGroup(fidelityOutcome([{ id: made.case!.id, kind: made.case!.kind, status: 'ok', result }]));
    expect(group.sections.some((s) => s.kind === 'chart' && s.id === 'fidelity-scatter')).toBe(true);
    expect(group.intro).toMatch(/out of sample: median \|error\| gen \d+\.\d % \(p90 \d+\.\d %\)/);
  });

  it.skipIf(!hasSharedData('rl-step-logs', 'runs.csv'))('refuses a runs table that is not the one the plan hashed', async () => {
    const made = await fidelityCase();
    await expect(runFidelityCase({ ...made.case!, runs: { ...made.case!.runs, sha256: '0'.repeat(64) } })).rejects.toBeInstanceOf(InputError);
  });
});
