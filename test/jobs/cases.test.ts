import { describe, expect, it } from 'vitest';
import { assertCaseIds, caseIdProblems, caseRng, jsonNormalise, runCase } from '../../harness/jobs/cases.js';
import { createRng } from '../../harness/util/rng.js';
import { fixtureKinds } from './cases-fixture-kinds.js';

describe('caseRng', () => {
  it('depends on the seed and the case id only', () => {
    const a = caseRng(1, 'x').next();
    expect(caseRng(1, 'x').next()).toBe(a);
    expect(caseRng(1, 'y').next()).not.toBe(a);
    expect(caseRng(2, 'x').next()).not.toBe(a);
    // Independently computed: the documented derivation.
    expect(a).toBe(createRng(1).fork('case:x').next());
  });
});

describe('runCase', () => {
  it('runs a kind with the case rng and returns its JSON-normalised result', async () => {
    const outcome = await runCase(fixtureKinds, { id: 'd1', kind: 'draw', scale: 2 } as never, 5, '/');
    const rng = createRng(5).fork('case:d1');
    expect(outcome).toEqual({ id: 'd1', kind: 'draw', status: 'ok', result: { id: 'd1', values: [rng.next() * 2, rng.next() * 2, rng.next() * 2] } });
  });

  it('turns a thrown InputError into an input error outcome and any other error into a harness error', async () => {
    const input = await runCase(fixtureKinds, { id: 'f1', kind: 'fail', input: true } as never, 1, '/');
    expect(input).toEqual({ id: 'f1', kind: 'fail', status: 'error', error: { message: "fixture.json:3: field 'x' value '1': bad x", inputError: true } });
    const bug = await runCase(fixtureKinds, { id: 'f2', kind: 'fail' } as never, 1, '/');
    expect(bug).toEqual({ id: 'f2', kind: 'fail', status: 'error', error: { message: 'boom', inputError: false } });
  });

  it('reports an unknown kind as bad input, naming the known kinds', async () => {
    const outcome = await runCase(fixtureKinds, { id: 'u', kind: 'nope' }, 1, '/');
    expect(outcome.status).toBe('error');
    if (outcome.status === 'error') expect(outcome.error).toEqual({ message: "unknown case kind 'nope' (known: crash, draw, fail, where, where-parallel)", inputError: true });
  });
});

describe('case ids', () => {
  it('rejects empty, badly formed and repeated ids', () => {
    expect(caseIdProblems([{ id: 'a/b', kind: 'k' }, { id: 'a/b', kind: 'k' }, { id: '', kind: 'k' }, { id: 'has space', kind: 'k' }, { id: 'has:colon', kind: 'k' }])).toEqual([
      "case id 'a/b' is used twice",
      "case id '' must be non-empty and use only letters, digits and ._/+=@-",
      "case id 'has space' must be non-empty and use only letters, digits and ._/+=@-",
      "case id 'has:colon' must be non-empty and use only letters, digits and ._/+=@-",
    ]);
    expect(() => assertCaseIds([{ id: 'x', kind: 'k' }, { id: 'x', kind: 'k' }], 'suite.json')).toThrow("suite.json: field 'id': case id 'x' is used twice");
  });
});

describe('jsonNormalise', () => {
  it('gives what a JSON round trip gives (undefined dropped, NaN → null)', () => {
    expect(jsonNormalise({ a: undefined, b: Number.NaN, c: [1, undefined] })).toEqual({ b: null, c: [1, null] });
  });
});
