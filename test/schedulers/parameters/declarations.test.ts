import { describe, expect, it } from 'vitest';
import { assumptionOf, booleanParameter, choiceParameter, numberParameter, parsedParameter, problemWith, readValue } from '../../../harness/schedulers/parameters/declarations.js';

const share = numberParameter({ name: 'share', default: 0.5, unit: 'fraction', why: 'test', range: [0, 1] });
const count = numberParameter({ name: 'count', default: 2, unit: 'GPUs', why: 'test', range: [1, 8], integer: true });
const flag = booleanParameter({ name: 'flag', default: true, why: 'test' });
const policy = choiceParameter({ name: 'policy', default: 'a', unit: 'policy', why: 'test', choices: ['a', 'b-c'] });
const scaled = parsedParameter({ name: 'scaled', default: 'x1', unit: 'x<factor>', why: 'test', expected: "'x<factor>'", parse: (text) => (/^x\d+$/.test(text) ? { factor: Number(text.slice(1)) } : undefined) });

describe('a parameter declaration', () => {
  it('accepts values of its type within its range or choices', () => {
    expect(problemWith(share, 0)).toBeUndefined();
    expect(problemWith(share, 1)).toBeUndefined();
    expect(problemWith(count, 8)).toBeUndefined();
    expect(problemWith(flag, false)).toBeUndefined();
    expect(problemWith(policy, 'b-c')).toBeUndefined();
    expect(problemWith(scaled, 'x12')).toBeUndefined();
  });

  it('refuses the wrong type, a number out of range or not whole, an unknown choice or text, with the message a scenario error shows', () => {
    expect(problemWith(share, '0.5')).toBe('must be a number (fraction)');
    expect(problemWith(share, 1.5)).toBe('must be within [0, 1] fraction');
    expect(problemWith(share, -0.001)).toBe('must be within [0, 1] fraction');
    expect(problemWith(count, 2.5)).toBe('must be a whole number');
    expect(problemWith(count, 9)).toBe('must be within [1, 8] GPUs');
    expect(problemWith(flag, 1)).toBe('must be a boolean (boolean)');
    expect(problemWith(policy, 'c')).toBe('must be one of a, b-c');
    expect(problemWith(policy, true)).toBe('must be a string (policy)');
    expect(problemWith(scaled, 'y2')).toBe("must be 'x<factor>'");
    expect(problemWith(scaled, 2)).toBe('must be a string (x<factor>)');
  });

  it('reads a parsed parameter into its typed value, any other as it is', () => {
    expect(readValue(scaled, 'x3')).toEqual({ factor: 3 });
    expect(readValue(policy, 'b-c')).toBe('b-c');
    expect(readValue(count, 4)).toBe(4);
  });

  it('is exported as data in the SchedulerAssumption shape (default as value, range, choices, integer)', () => {
    expect(assumptionOf(share)).toEqual({ name: 'share', value: 0.5, unit: 'fraction', why: 'test', range: [0, 1] });
    expect(assumptionOf(count)).toEqual({ name: 'count', value: 2, unit: 'GPUs', why: 'test', range: [1, 8], integer: true });
    expect(assumptionOf(flag)).toEqual({ name: 'flag', value: true, unit: 'boolean', why: 'test' });
    expect(assumptionOf(policy)).toEqual({ name: 'policy', value: 'a', unit: 'policy', why: 'test', choices: ['a', 'b-c'] });
    expect(assumptionOf(scaled)).toEqual({ name: 'scaled', value: 'x1', unit: 'x<factor>', why: 'test' });
  });

  it('whose default breaks its own rules is refused when it is declared', () => {
    expect(() => numberParameter({ name: 'bad', default: 2, unit: 'fraction', why: 'test', range: [0, 1] })).toThrow("scheduler parameter 'bad': default 2 must be within [0, 1] fraction");
    expect(() => numberParameter({ name: 'half', default: 0.5, unit: 'GPUs', why: 'test', range: [0, 8], integer: true })).toThrow(/whole number/);
    expect(() => parsedParameter({ name: 'p', default: 'nope', unit: 'u', why: 'test', expected: "'x'", parse: () => undefined })).toThrow(/default "nope" must be 'x'/);
  });
});
