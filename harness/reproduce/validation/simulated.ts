import type { CaseOutcome } from '../../jobs/cases.js';
import { asyncSimulatedValues } from './async-simulated.js';
import { VALIDATION_COST_KIND, VALIDATION_REPLAY_KIND, type SimulatedValue, type ValidationCostResult, type ValidationReplayResult } from './cases.js';

/**
 * The simulated counterpart of every validation check, from the validation cases' outcomes alone
 * (a merge of shards gives exactly what one run gives). Cost-query cases report their values by
 * check id; the veRL DAPO replays are turned into the quantities the measurement reports:
 *
 * - gen = weight sync + generation (veRL's `gen` timer wraps both);
 * - step = the iteration without the reference forward (DAPO's recipe computes no reference
 *   log-probs; the scenario format requires a reference model, so the scheduler runs one);
 * - shares and ratios from those.
 */
export interface SimulatedValues {
  readonly values: ReadonlyMap<string, SimulatedValue>;
  /** Check ids whose case failed, with the error. */
  readonly failed: ReadonlyMap<string, string>;
  readonly costModels: readonly string[];
  readonly notes: readonly string[];
}

const round = (x: number, digits = 1) => x.toFixed(digits);

function dapoStages(result: ValidationReplayResult) {
  const tasks = result.tasksS;
  const gen = (tasks['generate'] ?? 0) + (tasks['weight-sync'] ?? 0);
  const oldLogProb = tasks['old_log_prob'] ?? 0;
  const update = tasks['update_actor'] ?? 0;
  const ref = tasks['ref'] ?? 0;
  const step = result.iterationTimeS - ref;
  return { gen, oldLogProb, update, ref, step };
}

export function simulatedValues(outcomes: readonly CaseOutcome[]): SimulatedValues {
  const values = new Map<string, SimulatedValue>();
  const failed = new Map<string, string>();
  const costModels = new Set<string>();
  const notes = new Set<string>();
  const replays = new Map<number, ValidationReplayResult>();
  const failedReplays = new Map<number, string>();
  for (const outcome of [...outcomes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (outcome.kind === VALIDATION_COST_KIND) {
      if (outcome.status === 'error') {
        failed.set('cost-queries', outcome.error.message);
        continue;
      }
      const result = outcome.result as ValidationCostResult;
      for (const id of Object.keys(result.values).sort()) values.set(id, result.values[id]!);
      for (const model of result.costModels) costModels.add(model);
    } else if (outcome.kind === VALIDATION_REPLAY_KIND) {
      const gpus = Number(/g(\d+)$/.exec(outcome.id)?.[1]);
      if (outcome.status === 'error') {
        failedReplays.set(gpus, outcome.error.message);
        continue;
      }
      const result = outcome.result as ValidationReplayResult;
      replays.set(result.gpus, result);
      costModels.add(result.costModel);
      notes.add(`veRL DAPO replay on ${result.gpus} GPUs: ${result.samples} samples, mean response ${round(result.meanResponseTokens, 0)} tokens, longest ${result.maxResponseTokens}`);
    }
  }
  for (const [gpus, result] of [...replays].sort((a, b) => a[0] - b[0])) {
    const s = dapoStages(result);
    const parts = `generate ${round(s.gen)} s (with weight sync), old log-prob ${round(s.oldLogProb)} s, ref ${round(s.ref)} s (left out), update ${round(s.update)} s; iteration ${round(result.iterationTimeS)} s`;
    values.set(`verl-dapo.${gpus}.step`, { value: s.step, detail: parts });
    values.set(`verl-dapo.${gpus}.gen`, { value: s.gen, detail: `weight sync ${round(result.tasksS['weight-sync'] ?? 0, 2)} s + generate ${round(result.tasksS['generate'] ?? 0)} s` });
    values.set(`verl-dapo.${gpus}.old-log-prob`, { value: s.oldLogProb, detail: `old_log_prob task, ${gpus} FSDP ranks` });
    values.set(`verl-dapo.${gpus}.update-actor`, { value: s.update, detail: `update_actor task, ${gpus} FSDP ranks` });
    values.set(`generation-share.verl-dapo.${gpus}`, { value: (100 * s.gen) / s.step, detail: `${round(s.gen)} s of ${round(s.step)} s` });
  }
  const at = (gpus: number) => (replays.has(gpus) ? dapoStages(replays.get(gpus)!) : undefined);
  const r64 = at(64);
  const r128 = at(128);
  if (r64 && r128) {
    values.set('verl-dapo.gen-128-vs-64', { value: r128.gen / r64.gen, detail: `${round(r128.gen)} s ÷ ${round(r64.gen)} s` });
    values.set('verl-dapo.update-128-vs-64', { value: r128.update / r64.update, detail: `${round(r128.update)} s ÷ ${round(r64.update)} s` });
  }
  if (r64) values.set('verl-dapo.update-vs-old-log-prob', { value: r64.update / r64.oldLogProb, detail: `${round(r64.update)} s ÷ ${round(r64.oldLogProb)} s` });
  for (const [gpus, message] of failedReplays) {
    for (const suffix of ['step', 'gen', 'old-log-prob', 'update-actor']) failed.set(`verl-dapo.${gpus}.${suffix}`, message);
    failed.set(`generation-share.verl-dapo.${gpus}`, message);
  }
  const asynchronous = asyncSimulatedValues(outcomes);
  for (const [id, value] of asynchronous.values) values.set(id, value);
  for (const [id, why] of asynchronous.failed) failed.set(id, why);
  for (const note of asynchronous.notes) notes.add(note);
  return { values, failed, costModels: [...costModels].sort(), notes: [...notes] };
}
