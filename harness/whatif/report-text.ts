import { formatTextTable } from '../report/text-table.js';
import { fidelityTable, mappingTable, recordedStepsTable, schedulersTable } from './report-tables.js';
import type { WhatIfMeta } from './report-json.js';
import type { WhatIfReport } from './what-if.js';

/** Unmatched annotation names listed in the terminal (a non-RLHF trace can have hundreds). */
const MAX_UNMATCHED_SHOWN = 10;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The what-if report as a person reads it in a terminal; without `force`, a mismatched run's projections are withheld. */
export function formatWhatIf(report: WhatIfReport, meta: WhatIfMeta, stageMapSource: string, force = false): string {
  const { recorded, fidelity } = report;
  const out: string[] = [];
  if (report.mismatch) out.push(`MISMATCH: ${report.mismatch.message}\n`);
  const compared = report.pairing.pairs.length;
  const simulated = report.pairing.iterationIndices.length;
  out.push(`what-if replay of ${meta.gpuTrace} · lengths ${meta.lengths}${meta.lengthsSynthetic ? ' (synthetic)' : ''} · scenario ${meta.scenario} · seed ${meta.seed}`);
  out.push(`cost model: ${meta.costModel}\n`);

  const gpus = recorded.runGpus !== recorded.gpus ? `${recorded.gpus} of ${recorded.runGpus} GPUs recorded` : plural(recorded.gpus, 'GPU');
  const busy = recorded.busyFraction === null ? '' : `, GPUs busy ${(100 * recorded.busyFraction).toFixed(1)} % of the span`;
  out.push(`1. Recorded run: ${recorded.format}, ${plural(recorded.files, 'file')}, ${gpus}, span ${recorded.spanS.toFixed(3)} s${busy}`);
  if (recorded.steps.length > 0) out.push(formatTextTable(recordedStepsTable(report)));
  else out.push('   no steps recorded (no ProfilerStep#N markers and no mapped stage ranges)\n');
  if (recorded.annotations.length > 0) {
    out.push(`Annotation → simulated stage (${stageMapSource === 'default' ? 'default table' : `default table + ${stageMapSource}`}; add names with --stage-map)`);
    const table = mappingTable(report);
    // Matched names all, unmatched ones by time up to a screenful; --json lists every name.
    const unmatched = table.rows.filter((row) => row.stage === null);
    const hidden = Math.max(0, unmatched.length - MAX_UNMATCHED_SHOWN);
    const shown = hidden > 0 ? table.rows.filter((row) => row.stage !== null || unmatched.indexOf(row) < MAX_UNMATCHED_SHOWN) : table.rows;
    out.push(formatTextTable({ columns: table.columns, rows: shown }));
    if (hidden > 0) out.push(`(${plural(hidden, 'more unmatched name')}; --json lists them all)\n`);
  }

  out.push(
    compared > 0
      ? `2. Fidelity: ${fidelity.baseline} simulated on the workload of the ${plural(compared, 'recorded step')} vs recorded (error = (simulated − recorded) / recorded)`
      : `2. Fidelity of ${fidelity.baseline}`,
  );
  if (fidelity.stages.length > 0) out.push(formatTextTable(fidelityTable(report)));
  else out.push('   nothing to compare: the trace records no step or stage that could be matched (see the notes)\n');

  out.push(`3. What each scheduler would change (simulated on ${plural(simulated, 'iteration')}; vs ${fidelity.baseline}; projected = recorded × simulated ratio to ${fidelity.baseline})`);
  if (report.mismatch && !force) out.push('   withheld: the recorded run does not match its simulation (see MISMATCH above); pass --force to print the projections anyway\n');
  else out.push(formatTextTable(schedulersTable(report)));

  for (const note of [...report.notes, ...report.simulationNotes]) out.push(`note: ${note}`);
  return `${out.join('\n')}\n`;
}
