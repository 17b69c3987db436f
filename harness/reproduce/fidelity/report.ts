import { summariseByStage } from '../../fidelity/compare.js';
import { fidelityErrorTable } from '../../fidelity/tables.js';
import type { CaseOutcome } from '../../jobs/cases.js';
import type { GroupSection } from '../../report/page-model.js';
import type { Table } from '../../report/tables.js';
import { formatMarkdownTable, formatTextTable } from '../../report/text-table.js';
import { FIDELITY_KIND, type FidelityCaseResult } from './case.js';

/**
 * The reproduction report's fidelity group: how far the simulator is from real RL training runs
 * it was not fitted on, before any paper figure is read. From the fidelity case's outcome alone
 * (a merge of shards gives the same); says why when the check did not run.
 */
export type FidelityOutcome = { readonly ok: true; readonly result: FidelityCaseResult } | { readonly ok: false; readonly why: string };

export function fidelityOutcome(outcomes: readonly CaseOutcome[]): FidelityOutcome {
  const outcome = outcomes.find((o) => o.kind === FIDELITY_KIND);
  if (!outcome) return { ok: false, why: 'not run: the shared recorded runs (research/data/rl-step-logs/runs.csv) were not found when the plan was made' };
  if (outcome.status === 'error') return { ok: false, why: `failed: ${outcome.error.message}` };
  return { ok: true, result: outcome.result as FidelityCaseResult };
}

/** Every compared stage of every recorded step (the CSV / JSON table). */
export function fidelityRowsTable(result: FidelityCaseResult): Table {
  return {
    columns: [
      { key: 'runId', name: 'run_id', label: 'Run', unit: null },
      { key: 'stage', name: 'stage', label: 'Stage', unit: null },
      { key: 'measuredS', name: 'measured_s', label: 'Measured', unit: 's', decimals: 2 },
      { key: 'simulatedS', name: 'simulated_s', label: 'Simulated', unit: 's', decimals: 2 },
      { key: 'errorPct', name: 'error_pct', label: 'Error', unit: '%', decimals: 1 },
      { key: 'inferredWorkload', name: 'inferred_workload', label: 'Workload inferred', unit: null },
    ],
    rows: result.rows.map((r) => ({ ...r })),
  };
}

export function fidelityHeadline(outcome: FidelityOutcome): string {
  if (!outcome.ok) return `Fidelity against recorded RL training runs: ${outcome.why}.`;
  const r = outcome.result;
  const summary = summariseByStage(r.rows);
  const part = (stage: 'gen' | 'update_actor' | 'step') => {
    const s = summary[stage];
    return s ? `${stage} ${s.medianAbsErrorPct.toFixed(1)} % (p90 ${s.p90AbsErrorPct.toFixed(1)} %)` : undefined;
  };
  const parts = [part('gen'), part('update_actor'), part('step')].filter((p) => p !== undefined);
  return `Fidelity against ${r.steps} recorded RL training steps, out of sample: median |error| ${parts.join(', ')}${r.unsupported.length > 0 ? `; ${r.unsupported.length} not simulated` : ''}.`;
}

export function fidelityGroup(outcome: FidelityOutcome): GroupSection {
  const intro = `${fidelityHeadline(outcome)} Every simulated time in this report comes from the cost model checked here: real veRL runs (shared rl-step-logs) replayed under the framework calibration and compared stage by stage. A run the calibration was fitted on is predicted by the fit that left it out; runs whose workload had to be assumed were never fitted on. The same check is \`rlhf-replay fidelity --runs ../shared/research/data/rl-step-logs/runs.csv --html FILE\`.`;
  if (!outcome.ok) return { kind: 'group', id: 'fidelity', title: 'Fidelity against recorded RL training runs', intro, sections: [] };
  return {
    kind: 'group',
    id: 'fidelity',
    title: 'Fidelity against recorded RL training runs',
    intro,
    sections: outcome.result.sections,
  };
}

export function fidelityMarkdown(outcome: FidelityOutcome): string {
  const out = ['## Fidelity against recorded RL training runs', '', fidelityHeadline(outcome), ''];
  if (outcome.ok) out.push(formatMarkdownTable(fidelityErrorTable(outcome.result)).trimEnd(), '');
  return `${out.join('\n')}\n`;
}

export function fidelityTerminal(outcome: FidelityOutcome): string {
  return `\n${outcome.ok ? formatTextTable(fidelityErrorTable(outcome.result)) : ''}${fidelityHeadline(outcome)}\n`;
}
