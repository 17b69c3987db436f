import { describe, expect, it } from 'vitest';
import { caseIdProblems } from '../../harness/jobs/cases.js';
import { buildSweepPlan, parseSweepValues, pointId, resolveParameter, resolveScheduler } from '../../harness/sweep/plan.js';
import type { SchedulerAssumption } from '../../harness/schedulers/types.js';
import { InputError } from '../../harness/util/input-error.js';

const number: SchedulerAssumption = { name: 'tau', value: 0.5, unit: 'fraction', why: 'test', range: [0, 1] };
const choice: SchedulerAssumption = { name: 'policy', value: 'a', unit: 'policy', why: 'test', choices: ['a', 'b-c'] };
const flag: SchedulerAssumption = { name: 'on', value: true, unit: 'boolean', why: 'test' };

const problem = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error.problems[0]!;
    throw error;
  }
  throw new Error('expected an InputError');
};

describe('parseSweepValues', () => {
  it('reads numbers, expanding a,b,...,z into the arithmetic progression with the inputs’ decimals', () => {
    expect(parseSweepValues('0.05, 0.1,...,0.5', number)).toEqual([0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]);
    expect(parseSweepValues('0,0.3,...,1', number)).toEqual([0, 0.3, 0.6, 0.9]);
    expect(parseSweepValues('0.2,0.1', number)).toEqual([0.2, 0.1]);
  });

  it('reads booleans and choices', () => {
    expect(parseSweepValues('true,false', flag)).toEqual([true, false]);
    expect(parseSweepValues('b-c,a', choice)).toEqual(['b-c', 'a']);
  });

  it('refuses what the parameter cannot take, naming the flag and the value', () => {
    expect(problem(() => parseSweepValues('0.5,1.5', number))).toMatchObject({ file: '--values', field: 'values', value: '1.5', message: 'tau must be within [0, 1] fraction' });
    expect(problem(() => parseSweepValues('x', number))).toMatchObject({ value: 'x', message: 'tau takes numbers (fraction)' });
    expect(problem(() => parseSweepValues('yes', flag))).toMatchObject({ message: 'on takes true or false' });
    expect(problem(() => parseSweepValues('c', choice))).toMatchObject({ message: 'policy must be one of a, b-c' });
    expect(problem(() => parseSweepValues('0.1,0.1', number))).toMatchObject({ message: 'appears twice' });
    expect(problem(() => parseSweepValues(' , ', number))).toMatchObject({ message: 'needs at least one value' });
    expect(problem(() => parseSweepValues('0.1,...,0.5', number)).message).toContain("'a,b,...,z'");
    expect(problem(() => parseSweepValues('0.5,0.4,...,0.1', number)).message).toContain('a < b');
  });
});

describe('resolveParameter', () => {
  const rlhfuse = resolveScheduler('rlhfuse');
  it("finds a scheduler's assumption by its name, ignoring case, '-' and '_'", () => {
    expect(resolveParameter(rlhfuse, 'migration-threshold').name).toBe('migration-threshold');
    expect(resolveParameter(rlhfuse, 'migrationThreshold').name).toBe('migration-threshold');
    expect(resolveParameter(rlhfuse, 'MIGRATION_THRESHOLD').name).toBe('migration-threshold');
  });

  it('lists what the scheduler has when the name is unknown', () => {
    const p = problem(() => resolveParameter(rlhfuse, 'tau'));
    expect(p).toMatchObject({ file: '--param', value: 'tau' });
    expect(p.message).toContain('migration-threshold (number 0..1)');
    expect(problem(() => resolveScheduler('nope')).message).toContain('unknown scheduler; known: ');
  });
});

describe('buildSweepPlan', () => {
  const entry = resolveScheduler('rlhfuse');
  const parameter = resolveParameter(entry, 'kv-reservation');
  const plan = buildSweepPlan({
    scenario: 's.json',
    trace: 't.jsonl',
    scheduler: entry,
    parameter,
    values: ['max-length', 'current-context'],
    metric: 'iterationTimeS',
    seed: 4,
    keepTraceBatches: false,
    scenarioSha256: 'a',
    traceSha256: 'b',
  });

  it('makes one case per value, with valid, unique, position-ordered ids and the same replay seed', () => {
    expect(plan.cases.map((c) => c.id)).toEqual(['rlhfuse/kv-reservation/0000=max-length', 'rlhfuse/kv-reservation/0001=current-context']);
    expect(caseIdProblems(plan.cases)).toEqual([]);
    expect(plan.cases.map((c) => [c.value, c.replaySeed, c.scheduler, c.param])).toEqual([
      ['max-length', 4, 'rlhfuse', 'kv-reservation'],
      ['current-context', 4, 'rlhfuse', 'kv-reservation'],
    ]);
    expect(plan.config).toMatchObject({ scheduler: 'rlhfuse', param: 'kv-reservation', unit: 'policy', values: ['max-length', 'current-context'], scenarioSha256: 'a', traceSha256: 'b' });
  });

  it('keeps ids inside the case-id alphabet whatever the value', () => {
    expect(pointId('s', 'p', 12, 'a b/c?')).toBe('s/p/0012=a_b_c_');
    expect(caseIdProblems([{ id: pointId('s', 'p', 0, -1e-7), kind: 'x' }])).toEqual([]);
  });
});
