import { listAssumptions } from '../../cost/assumptions.js';
import type { Table } from '../../report/tables.js';
import { findScheduler } from '../../schedulers/index.js';
import { epochDriftAssumptions, generatorAssumptions } from '../../traces/generate/assumptions.js';
import { calibrateDrift } from '../../traces/generate/epoch-drift.js';
import { RUN_KIND } from '../cases/run.js';
import type { ReproducePlan } from '../plan.js';

/**
 * Every named assumption behind the report, from every layer, with its value, unit and why (or
 * source): the cost model's, the length generator's and epoch synthesis', each scheduler's, each
 * scenario's, the reproduction's own, and the plausible ranges the sensitivity analysis used.
 */
export interface AssumptionTables {
  readonly cost: Table;
  readonly generator: Table;
  readonly schedulers: Table;
  readonly scenarios: Table;
  readonly reproduction: Table;
  readonly sensitivity: Table;
}

const COLUMNS = [
  { key: 'owner', name: 'owner', label: 'Where', unit: null },
  { key: 'name', name: 'assumption', label: 'Assumption', unit: null },
  { key: 'value', name: 'value', label: 'Value', unit: null },
  { key: 'unit', name: 'unit', label: 'Unit', unit: null },
  { key: 'why', name: 'why', label: 'Source or why', unit: null },
] as const;

const text = (value: unknown) => (typeof value === 'number' ? String(Number(value.toPrecision(6))) : String(value));

export function assumptionTables(plan: ReproducePlan): AssumptionTables {
  const cost: Table = {
    columns: COLUMNS,
    rows: listAssumptions().map((a) => ({ owner: 'cost model', name: a.name, value: text(a.value), unit: a.unit, why: [a.source, a.why].filter(Boolean).join('; ') })),
  };
  const generator: Table = {
    columns: COLUMNS,
    rows: [...generatorAssumptions({}), ...epochDriftAssumptions(calibrateDrift())].map((a) => ({ owner: 'trace generator / epoch synthesis', name: a.name, value: text(a.value), unit: a.unit, why: a.why })),
  };
  const used = new Set<string>();
  for (const testCase of plan.cases) if (testCase.kind === RUN_KIND) for (const scheduler of testCase.schedulers) used.add(scheduler);
  // An assumption identical in several schedulers (the RLHFuse and RLHFless variants share their lists) is listed once with all of them.
  const merged = new Map<string, { owners: string[]; name: string; value: string; unit: string; why: string }>();
  for (const name of [...used].sort()) {
    const entry = findScheduler(name);
    if (!entry) continue;
    for (const a of entry.assumptions) {
      const key = JSON.stringify([a.name, a.value, a.why]);
      const row = merged.get(key) ?? { owners: [], name: a.name, value: text(a.value), unit: a.unit, why: `${a.why}${a.range ? ` (accepted range ${a.range[0]}–${a.range[1]})` : ''}${a.choices ? ` (choices: ${a.choices.join(', ')})` : ''}` };
      row.owners.push(name);
      merged.set(key, row);
    }
  }
  const schedulers: Table = { columns: COLUMNS, rows: [...merged.values()].map((row) => ({ owner: row.owners.join(', '), name: row.name, value: row.value, unit: row.unit, why: row.why })) };
  const scenarioRows = plan.config.scenarios.flatMap((scenario) => scenario.assumptions.map((a) => ({ owner: scenario.file, name: a.path, value: a.value, unit: '', why: a.why })));
  const patches = new Map<string, { owner: string; name: string; value: string; unit: string; why: string }>();
  for (const testCase of plan.cases) {
    if (testCase.kind !== RUN_KIND || testCase.role !== 'main' || !testCase.config.scenarioPatch) continue;
    const provenance = (testCase.config.scenarioPatch['provenance'] ?? {}) as Record<string, string>;
    for (const [path, why] of Object.entries(provenance)) patches.set(`${testCase.config.id}|${path}`, { owner: `${testCase.config.id} (patch of ${testCase.config.scenario})`, name: path, value: '(see the configuration)', unit: '', why });
  }
  const scenarios: Table = { columns: COLUMNS, rows: [...scenarioRows, ...patches.values()] };
  const reproduction: Table = { columns: COLUMNS, rows: plan.config.assumptions.map((a) => ({ owner: 'reproduction', name: a.name, value: text(a.value), unit: a.unit, why: a.why })) };
  const sensitivity: Table = {
    columns: [
      { key: 'id', name: 'assumption', label: 'Assumption', unit: null },
      { key: 'defaultValue', name: 'default_value', label: 'Default', unit: null },
      { key: 'values', name: 'varied_to', label: 'Varied to', unit: null },
      { key: 'unit', name: 'unit', label: 'Unit', unit: null },
      { key: 'why', name: 'why', label: 'Why these values', unit: null },
    ],
    rows: plan.config.sensitivity.varied.map((v) => ({ id: v.id, defaultValue: text(v.defaultValue), values: v.values.map(text).join(', '), unit: v.unit, why: v.why })),
  };
  return { cost, generator, schedulers, scenarios, reproduction, sensitivity };
}
