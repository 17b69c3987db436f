import { describe, expect, expectTypeOf, it } from 'vitest';
import { booleanParameter, choiceParameter, numberParameter, parsedParameter } from '../../../harness/schedulers/parameters/declarations.js';
import { schedulerParameters, type ParameterSource } from '../../../harness/schedulers/parameters/parameter-set.js';
import { InputError, type InputProblem } from '../../../harness/util/input-error.js';

const shared = {
  watermark: numberParameter({ name: 'admission-watermark', default: 0.01, unit: 'fraction of KV capacity', why: 'test', range: [0, 0.2] }),
};
const declarations = {
  ...shared,
  slots: numberParameter({ name: 'slots', default: 4, unit: 'sequences', why: 'test', range: [1, 64], integer: true }),
  reservation: choiceParameter({ name: 'kv-reservation', default: 'current-context', unit: 'policy', why: 'test', choices: ['current-context', 'max-length'] }),
  release: booleanParameter({ name: 'release', default: false, why: 'test' }),
  scale: parsedParameter({ name: 'scale', default: 'x1', unit: 'x<n>', why: 'test', expected: "'x<n>'", parse: (text) => (/^x\d+$/.test(text) ? Number(text.slice(1)) : undefined) }),
};
const parameters = schedulerParameters('demo', declarations);

const scenario = (values: Record<string, number | string | boolean> = {}, file?: string): ParameterSource => ({ schedulerParameters: { demo: values, other: { ignored: 1 } }, ...(file ? { file } : {}) });

function problems(run: () => unknown): readonly InputProblem[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error('no InputError');
}

describe('a scheduler parameter set', () => {
  it('resolves typed values: the defaults, with the scenario’s overrides for this scheduler only', () => {
    const p = parameters.resolve(scenario());
    expect(p).toEqual({ watermark: 0.01, slots: 4, reservation: 'current-context', release: false, scale: 1 });
    expectTypeOf(p.reservation).toEqualTypeOf<'current-context' | 'max-length'>();
    expectTypeOf(p.watermark).toEqualTypeOf<number>();
    expectTypeOf(p.scale).toEqualTypeOf<number>();
    expect(parameters.resolve(scenario({ 'kv-reservation': 'max-length', slots: 8, scale: 'x3' }))).toEqual({ watermark: 0.01, slots: 8, reservation: 'max-length', release: false, scale: 3 });
    expect(parameters.resolve({ schedulerParameters: {} }).slots).toBe(4);
  });

  it('tells which values the scenario set', () => {
    expect(parameters.overrides(scenario())).toEqual({});
    expect(parameters.overrides(scenario({ 'admission-watermark': 0.05, scale: 'x2' }))).toEqual({ watermark: 0.05, scale: 2 });
  });

  it('exports its declarations as data, in order, under their scenario names', () => {
    expect(parameters.assumptions.map((a) => [a.name, a.value])).toEqual([
      ['admission-watermark', 0.01],
      ['slots', 4],
      ['kv-reservation', 'current-context'],
      ['release', false],
      ['scale', 'x1'],
    ]);
    expect(parameters.field('reservation')).toBe('schedulerParameters.demo.kv-reservation');
  });

  it('refuses an unknown parameter and every bad value at once, each at its scenario field, names sorted', () => {
    expect(problems(() => parameters.resolve(scenario({ tau: 0.5, slots: 2.5, release: 'yes', 'kv-reservation': 'all', 'admission-watermark': 0.3 }, 's.json')))).toEqual([
      { file: 's.json', field: 'schedulerParameters.demo.admission-watermark', value: 0.3, message: 'must be within [0, 0.2] fraction of KV capacity' },
      { file: 's.json', field: 'schedulerParameters.demo.kv-reservation', value: 'all', message: 'must be one of current-context, max-length' },
      { file: 's.json', field: 'schedulerParameters.demo.release', value: 'yes', message: 'must be a boolean (boolean)' },
      { file: 's.json', field: 'schedulerParameters.demo.slots', value: 2.5, message: 'must be a whole number' },
      { file: 's.json', field: 'schedulerParameters.demo.tau', value: 0.5, message: 'is not a parameter of demo (known: admission-watermark, slots, kv-reservation, release, scale)' },
    ]);
    expect(problems(() => parameters.overrides(scenario({ scale: 'y' })))).toEqual([{ file: '(scenario)', field: 'schedulerParameters.demo.scale', value: 'y', message: "must be 'x<n>'" }]);
    expect(() => parameters.resolve(scenario({ slots: 0 }))).toThrow("(scenario): field 'schedulerParameters.demo.slots' value '0': must be within [1, 64] sequences");
  });

  it('fixes a variant’s defining values and its unread parameters: neither listed nor accepted, still resolved', () => {
    const variant = schedulerParameters('demo-variant', declarations, { fixed: { reservation: 'max-length' }, unread: ['release'] });
    expect(variant.assumptions.map((a) => a.name)).toEqual(['admission-watermark', 'slots', 'scale']);
    expect(variant.resolve({ schedulerParameters: {} })).toEqual({ watermark: 0.01, slots: 4, reservation: 'max-length', release: false, scale: 1 });
    const refused = problems(() => variant.resolve({ schedulerParameters: { 'demo-variant': { 'kv-reservation': 'current-context', release: true } } }));
    expect(refused.map((p) => [p.field, p.message])).toEqual([
      ['schedulerParameters.demo-variant.kv-reservation', 'is not a parameter of demo-variant (known: admission-watermark, slots, scale)'],
      ['schedulerParameters.demo-variant.release', 'is not a parameter of demo-variant (known: admission-watermark, slots, scale)'],
    ]);
  });

  it('checks a rule across parameters after each one is valid', () => {
    const ranged = schedulerParameters('ranged', declarations, { check: (v) => (v.slots < v.watermark * 400 ? { parameter: 'slots', message: 'must be at least 400 × the watermark' } : undefined) });
    expect(ranged.resolve({ schedulerParameters: { ranged: { 'admission-watermark': 0.01 } } }).slots).toBe(4);
    expect(problems(() => ranged.resolve({ schedulerParameters: { ranged: { 'admission-watermark': 0.02 } }, file: 'r.json' }))).toEqual([
      { file: 'r.json', field: 'schedulerParameters.ranged.slots', value: 4, message: 'must be at least 400 × the watermark' },
    ]);
  });

  it('refuses a name declared twice or a fixed key that is not declared (bugs in the harness)', () => {
    expect(() => schedulerParameters('twice', { a: shared.watermark, b: shared.watermark })).toThrow("twice: parameter 'admission-watermark' is declared twice");
    expect(() => schedulerParameters('fix', shared, { unread: ['nope' as 'watermark'] })).toThrow("fix: fixes 'nope', which is not declared");
  });
});
