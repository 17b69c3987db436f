import type { Scenario } from '../scenario/scenario.js';
import { InputError } from '../util/input-error.js';
import type { AssumptionValue, SchedulerAssumption } from './types.js';

/** A scheduler's resolved parameters: its assumptions with the scenario's overrides applied. */
export class SchedulerParameters {
  private readonly values = new Map<string, AssumptionValue>();

  constructor(
    readonly scheduler: string,
    readonly assumptions: readonly SchedulerAssumption[],
    overrides: Readonly<Record<string, AssumptionValue>> = {},
    file = '(scenario)',
  ) {
    for (const assumption of assumptions) this.values.set(assumption.name, assumption.value);
    const problems = [];
    for (const name of Object.keys(overrides).sort()) {
      const value = overrides[name]!;
      const field = `schedulerParameters.${scheduler}.${name}`;
      const known = assumptions.find((a) => a.name === name);
      if (!known) {
        problems.push({ file, field, value, message: `is not a parameter of ${scheduler} (known: ${assumptions.map((a) => a.name).join(', ') || 'none'})` });
        continue;
      }
      if (typeof value !== typeof known.value) {
        problems.push({ file, field, value, message: `must be a ${typeof known.value} (${known.unit})` });
        continue;
      }
      if (typeof value === 'number' && known.range && (value < known.range[0] || value > known.range[1])) {
        problems.push({ file, field, value, message: `must be within [${known.range[0]}, ${known.range[1]}] ${known.unit}` });
        continue;
      }
      if (typeof value === 'string' && known.choices && !known.choices.includes(value)) {
        problems.push({ file, field, value, message: `must be one of ${known.choices.join(', ')}` });
        continue;
      }
      this.values.set(name, value);
    }
    if (problems.length > 0) throw new InputError(problems);
  }

  static fromScenario(scheduler: string, assumptions: readonly SchedulerAssumption[], scenario: Scenario): SchedulerParameters {
    return new SchedulerParameters(scheduler, assumptions, scenario.schedulerParameters[scheduler] ?? {}, scenario.file ?? '(scenario)');
  }

  number(name: string): number {
    const value = this.get(name);
    if (typeof value !== 'number') throw new Error(`${this.scheduler}: parameter '${name}' is not a number`);
    return value;
  }

  boolean(name: string): boolean {
    const value = this.get(name);
    if (typeof value !== 'boolean') throw new Error(`${this.scheduler}: parameter '${name}' is not a boolean`);
    return value;
  }

  string(name: string): string {
    const value = this.get(name);
    if (typeof value !== 'string') throw new Error(`${this.scheduler}: parameter '${name}' is not a string`);
    return value;
  }

  private get(name: string): AssumptionValue {
    const value = this.values.get(name);
    if (value === undefined) throw new Error(`${this.scheduler}: no parameter '${name}'`);
    return value;
  }

  /** The parameters with their effective values, for reports. */
  effective(): { name: string; value: AssumptionValue; unit: string; why: string; overridden: boolean }[] {
    return this.assumptions.map((a) => ({ name: a.name, value: this.values.get(a.name)!, unit: a.unit, why: a.why, overridden: this.values.get(a.name) !== a.value }));
  }
}
