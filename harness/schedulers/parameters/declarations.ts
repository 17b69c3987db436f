import type { AssumptionValue, SchedulerAssumption } from '../types.js';

/**
 * One scheduler parameter, declared once: its name in `scenario.schedulerParameters.<scheduler>`,
 * its type (a number in a range, a boolean, one of some choices, or a text with its own parser),
 * its default, its unit, and why that default (a cited fact, a fitted value, or a named
 * assumption). Schedulers compose declarations into a typed set (parameter-set.ts); reports and
 * the sensitivity analysis read them as data (`assumptionOf`).
 */
interface Described {
  /** The name a scenario, a sweep and a report use. */
  readonly name: string;
  readonly unit: string;
  /** Where the default comes from and what the parameter decides. */
  readonly why: string;
}

export interface NumberParameter extends Described {
  readonly kind: 'number';
  readonly default: number;
  /** The values accepted (inclusive). */
  readonly range: readonly [number, number];
  /** Counts (GPUs, batches, evaluations) must be whole numbers. */
  readonly integer: boolean;
}

export interface BooleanParameter extends Described {
  readonly kind: 'boolean';
  readonly default: boolean;
}

export interface ChoiceParameter<C extends string = string> extends Described {
  readonly kind: 'choice';
  readonly default: C;
  readonly choices: readonly C[];
}

/** A text with a grammar of its own (RLHFless's `noisy:<accuracy>` predictor), read into a typed value. */
export interface ParsedParameter<T = unknown> extends Described {
  readonly kind: 'parsed';
  readonly default: string;
  /** What the text must look like, for the error message ("'ewma', 'oracle' or …"). */
  readonly expected: string;
  /** The value, or undefined when the text is not one. */
  parse(text: string): T | undefined;
}

export type Parameter = NumberParameter | BooleanParameter | ChoiceParameter | ParsedParameter;

/** The TypeScript type a parameter resolves to. */
export type ParameterValue<P extends Parameter> =
  P extends NumberParameter ? number : P extends BooleanParameter ? boolean : P extends ChoiceParameter<infer C> ? C : P extends ParsedParameter<infer T> ? T : never;

type Spec<P extends Parameter> = Omit<P, 'kind'>;

export function numberParameter(spec: Omit<Spec<NumberParameter>, 'integer'> & { readonly integer?: boolean }): NumberParameter {
  return checkedDefault({ kind: 'number', ...spec, integer: spec.integer ?? false });
}

export function booleanParameter(spec: Omit<Spec<BooleanParameter>, 'unit'>): BooleanParameter {
  return checkedDefault({ kind: 'boolean', unit: 'boolean', ...spec });
}

/** `choices` fixes the value's type: `choiceParameter({ choices: ['a', 'b'], default: 'a', … })` resolves to `'a' | 'b'`. */
export function choiceParameter<const C extends string>(spec: Omit<Spec<ChoiceParameter<C>>, 'default'> & { readonly default: NoInfer<C> }): ChoiceParameter<C> {
  return checkedDefault({ kind: 'choice', ...spec });
}

export function parsedParameter<T>(spec: Spec<ParsedParameter<T>>): ParsedParameter<T> {
  return checkedDefault({ kind: 'parsed', ...spec });
}

/** A declaration whose default breaks its own rules is a bug in the harness, caught when the module loads. */
function checkedDefault<P extends Parameter>(parameter: P): P {
  const problem = problemWith(parameter, parameter.default);
  if (problem) throw new Error(`scheduler parameter '${parameter.name}': default ${JSON.stringify(parameter.default)} ${problem}`);
  return parameter;
}

/** The JSON type a scenario writes the parameter as. */
function jsonType(parameter: Parameter): 'number' | 'boolean' | 'string' {
  return parameter.kind === 'number' || parameter.kind === 'boolean' ? parameter.kind : 'string';
}

/** What is wrong with `value` as this parameter (the message of an InputError), or undefined. */
export function problemWith(parameter: Parameter, value: AssumptionValue): string | undefined {
  const wrongType = `must be a ${jsonType(parameter)} (${parameter.unit})`;
  switch (parameter.kind) {
    case 'number': {
      if (typeof value !== 'number') return wrongType;
      const [low, high] = parameter.range;
      if (value < low || value > high) return `must be within [${low}, ${high}] ${parameter.unit}`;
      return parameter.integer && !Number.isInteger(value) ? 'must be a whole number' : undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : wrongType;
    case 'choice':
      if (typeof value !== 'string') return wrongType;
      return parameter.choices.includes(value) ? undefined : `must be one of ${parameter.choices.join(', ')}`;
    case 'parsed':
      if (typeof value !== 'string') return wrongType;
      return parameter.parse(value) === undefined ? `must be ${parameter.expected}` : undefined;
  }
}

/** The value a scheduler reads for a JSON value `problemWith` accepted (a parsed parameter's parse). */
export function readValue(parameter: Parameter, value: AssumptionValue): unknown {
  return parameter.kind === 'parsed' && typeof value === 'string' ? parameter.parse(value) : value;
}

/** The declaration as data, for reports, sweeps and the sensitivity analysis. */
export function assumptionOf(parameter: Parameter): SchedulerAssumption {
  const base = { name: parameter.name, value: parameter.default, unit: parameter.unit, why: parameter.why };
  if (parameter.kind === 'number') return { ...base, range: parameter.range, ...(parameter.integer ? { integer: true } : {}) };
  if (parameter.kind === 'choice') return { ...base, choices: parameter.choices };
  return base;
}
