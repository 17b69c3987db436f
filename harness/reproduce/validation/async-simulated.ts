import type { CaseOutcome } from '../../jobs/cases.js';
import { VALIDATION_ASYNC_KIND, type ValidationAsyncResult } from './async-cases.js';
import type { SimulatedValue } from './cases.js';

const round = (x: number, digits = 1) => x.toFixed(digits);

function describe(r: ValidationAsyncResult): string {
  const c = r.counters;
  return `co-located ${round(r.colocatedStepS)} s; ${r.scheduler} ${round(r.asyncStepS)} s (trainer wait ${round(r.asyncTrainerWaitS)} s, update ${round(r.asyncUpdateS)} s, rollouter idle ${round(100 * (c['rollouter_idle_frac'] ?? 0), 0)} %, stale ${round(100 * (c['stale_samples_frac'] ?? 0), 0)} %, interrupted ${round(100 * (c['interrupted_sequences_frac'] ?? 0), 1)} %)`;
}

/** The asynchronous checks' simulated values from their cases' outcomes (ids of async-measurements.ts). */
export function asyncSimulatedValues(outcomes: readonly CaseOutcome[]): { values: Map<string, SimulatedValue>; failed: Map<string, string>; notes: string[] } {
  const values = new Map<string, SimulatedValue>();
  const failed = new Map<string, string>();
  const byCase = new Map<string, ValidationAsyncResult>();
  const errors = new Map<string, string>();
  for (const outcome of outcomes) {
    if (outcome.kind !== VALIDATION_ASYNC_KIND) continue;
    const name = outcome.id.replace(/^validation\/verl-async\//, '');
    if (outcome.status === 'error') errors.set(name, outcome.error.message);
    else byCase.set(name, outcome.result as ValidationAsyncResult);
  }
  const set = (id: string, needs: readonly string[], compute: (r: ValidationAsyncResult[]) => SimulatedValue) => {
    const results = needs.map((n) => byCase.get(n));
    if (results.every((r) => r !== undefined)) values.set(id, compute(results as ValidationAsyncResult[]));
    else {
      const why = needs.map((n) => errors.get(n)).find((e) => e !== undefined);
      if (why) failed.set(id, why);
    }
  };
  for (const gpus of [32, 64, 128]) {
    set(`verl-async.speedup.g${gpus}`, [`split-g${gpus}`], ([r]) => ({ value: r!.colocatedStepS / r!.asyncStepS, detail: describe(r!) }));
    set(`verl-async.step.g${gpus}`, [`split-g${gpus}`], ([r]) => ({ value: r!.asyncStepS, detail: describe(r!) }));
  }
  for (const s of ['0.1', '0.3']) set(`verl-async.staleness-${s}-vs-0`, [`staleness-${s}`, 'staleness-0'], ([a, b]) => ({ value: a!.asyncStepS / b!.asyncStepS, detail: `${round(a!.asyncStepS)} s ÷ ${round(b!.asyncStepS)} s` }));
  set('verl-async.staleness-0.5-vs-0', ['split-g128', 'staleness-0'], ([a, b]) => ({ value: a!.asyncStepS / b!.asyncStepS, detail: `${round(a!.asyncStepS)} s ÷ ${round(b!.asyncStepS)} s` }));
  for (const r of ['1', '2']) set(`verl-async.require-${r}-vs-4`, [`require-${r}`, 'split-g128'], ([a, b]) => ({ value: a!.asyncStepS / b!.asyncStepS, detail: `${round(a!.asyncStepS)} s ÷ ${round(b!.asyncStepS)} s` }));
  set('verl-one-step-off.speedup.fsdp2', ['one-step-off-g16'], ([r]) => ({ value: r!.colocatedStepS / r!.asyncStepS, detail: describe(r!) }));
  const notes = [...byCase.entries()].sort().map(([name, r]) => `veRL async ${name}: ${describe(r)}`);
  return { values, failed, notes };
}
