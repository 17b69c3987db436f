import { InputError, type InputProblem } from '../../util/input-error.js';
import type { AssumptionValue, SchedulerAssumption } from '../types.js';
import { assumptionOf, problemWith, readValue, type Parameter, type ParameterValue } from './declarations.js';

/** Declarations by the property name the scheduler's code reads them under. */
export type Declarations = Readonly<Record<string, Parameter>>;

/** What `resolve` returns: every declared parameter under its property name, typed. */
export type ParameterValues<D extends Declarations> = { readonly [K in keyof D]: ParameterValue<D[K]> };

/** Where the overrides come from: a Scenario (its `file` names it in errors). */
export interface ParameterSource {
  readonly schedulerParameters: Readonly<Record<string, Readonly<Record<string, AssumptionValue>>>>;
  readonly file?: string;
}

export interface ParameterSetOptions<D extends Declarations> {
  /**
   * Settings that define a registry variant of a family sharing one declaration (RLHFless's
   * ablations switch a technique off): the scheduler reads these values, and a scenario may not set
   * them. They are not listed.
   */
  readonly fixed?: Partial<ParameterValues<D>>;
  /**
   * Parameters of the family this variant never reads (a technique switched off leaves its own
   * unread): kept at their default so the values stay complete, neither listed nor accepted.
   * A scheduler composed from declaration groups has no need of this: it declares what it reads.
   */
  readonly unread?: readonly (keyof D & string)[];
  /** A rule across parameters, checked after each one is valid (e.g. maxActors ≥ minActors). */
  readonly check?: (values: ParameterValues<D>) => { readonly parameter: keyof D & string; readonly message: string } | undefined;
}

/**
 * The parameters of one registry entry: its declarations (shared ones composed by spreading, e.g.
 * `{ admissionWatermark: ADMISSION_WATERMARK, ...verlWorkerParameters }`), exported as data
 * (`assumptions`) and resolved per scenario into typed values (`resolve`). A scenario that sets a
 * parameter the scheduler does not declare, or a value outside its type, range or choices, gets an
 * InputError at `schedulerParameters.<scheduler>.<name>`.
 */
export class SchedulerParameterSet<D extends Declarations> {
  /** The settable parameters as data, in declaration order: what reports list and sweeps vary. */
  readonly assumptions: readonly SchedulerAssumption[];
  private readonly settable = new Map<string, keyof D & string>();
  private readonly defaults: Record<string, unknown> = {};

  constructor(
    readonly scheduler: string,
    readonly declarations: D,
    private readonly options: ParameterSetOptions<D> = {},
  ) {
    const fixed: Partial<Record<string, unknown>> = options.fixed ?? {};
    const unread = new Set<string>(options.unread ?? []);
    for (const key of [...Object.keys(fixed), ...unread]) if (!Object.hasOwn(declarations, key)) throw new Error(`${scheduler}: fixes '${key}', which is not declared`);
    for (const [key, parameter] of Object.entries(declarations)) {
      this.defaults[key] = Object.hasOwn(fixed, key) ? fixed[key] : readValue(parameter, parameter.default);
      if (Object.hasOwn(fixed, key) || unread.has(key)) continue;
      if (this.settable.has(parameter.name)) throw new Error(`${scheduler}: parameter '${parameter.name}' is declared twice`);
      this.settable.set(parameter.name, key);
    }
    this.assumptions = [...this.settable.values()].map((key) => assumptionOf(declarations[key]!));
  }

  /** The scenario field a parameter is set at, for errors a scheduler raises about its value. */
  field(key: keyof D & string): string {
    return `schedulerParameters.${this.scheduler}.${this.declarations[key]!.name}`;
  }

  /** Every parameter's value: the scenario's where it sets one, else the default (or the fixed value). */
  resolve(source: ParameterSource): ParameterValues<D> {
    return this.read(source).values;
  }

  /** Only the values the scenario sets (validated): RLHFuse tunes its threshold unless one is set. */
  overrides(source: ParameterSource): Partial<ParameterValues<D>> {
    return this.read(source).given;
  }

  private read(source: ParameterSource): { values: ParameterValues<D>; given: Partial<ParameterValues<D>> } {
    const file = source.file ?? '(scenario)';
    const overrides = source.schedulerParameters[this.scheduler] ?? {};
    const values: Record<string, unknown> = { ...this.defaults };
    const given: Record<string, unknown> = {};
    const problems: InputProblem[] = [];
    for (const name of Object.keys(overrides).sort()) {
      const value = overrides[name]!;
      const field = `schedulerParameters.${this.scheduler}.${name}`;
      const key = this.settable.get(name);
      if (key === undefined) {
        problems.push({ file, field, value, message: `is not a parameter of ${this.scheduler} (known: ${[...this.settable.keys()].join(', ') || 'none'})` });
        continue;
      }
      const parameter = this.declarations[key]!;
      const problem = problemWith(parameter, value);
      if (problem) problems.push({ file, field, value, message: problem });
      else values[key] = given[key] = readValue(parameter, value);
    }
    if (problems.length > 0) throw new InputError(problems);
    // The one place (with `given` below) a checked record becomes its declared type: every key is declared, every value passed problemWith.
    const typed = values as ParameterValues<D>;
    const broken = this.options.check?.(typed);
    if (broken) {
      throw new InputError({ file, field: this.field(broken.parameter), value: typed[broken.parameter], message: broken.message });
    }
    return { values: typed, given: given as Partial<ParameterValues<D>> };
  }
}

/** The typed parameter set of registry entry `scheduler` (see SchedulerParameterSet). */
export function schedulerParameters<D extends Declarations>(scheduler: string, declarations: D, options?: ParameterSetOptions<D>): SchedulerParameterSet<D> {
  return new SchedulerParameterSet(scheduler, declarations, options);
}
