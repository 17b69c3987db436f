import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { resolveFormat } from '../traces/formats/detect.js';
import { traceFormats } from '../traces/formats/index.js';
import { recordedStepsFromVerlRun } from '../traces/recorded-runs/from-verl-run.js';
import { RECORDED_RUNS_FORMAT, readRecordedRuns } from '../traces/recorded-runs/read.js';
import { isLogUrl } from '../traces/recorded-runs/run-key.js';
import type { RecordedStep } from '../traces/recorded-runs/types.js';
import { VERL_LOG_FORMAT } from '../traces/adapters/verl-log.js';
import { readVerlRun, type VerlRun } from '../traces/verl/read-run.js';
import { InputError } from '../util/input-error.js';
import type { RecordedSource } from './from-recorded.js';
import { withUserStated, type UserStatedRun } from './user-stated.js';

/**
 * Reading what `fidelity --runs` and `calibrate --runs` are given: recorded-runs tables
 * (runs.csv) and whole veRL console logs. A table row whose source is a log found beside the table
 * (in its `logs/` folder, by file name) is read with that log, so the run's own configuration
 * fills what the row's columns leave out. A log given directly contributes `logSteps` of its steps,
 * evenly spaced after the first (which includes warm-up); a log a table already draws rows from
 * keeps the table's run key and loses the steps the table already has, so no step counts twice.
 */
export interface LoadOptions {
  /** Steps taken from each log given directly (default 5). */
  readonly logSteps?: number;
  /** What the user states about the runs of the logs given directly (their GPU, model, veRL date); table rows keep their own. */
  readonly stated?: UserStatedRun;
}

export interface LoadedRecorded {
  readonly sources: readonly RecordedSource[];
  readonly notes: readonly string[];
}

export const DEFAULT_LOG_STEPS = 5;

async function filesUnder(folder: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

/** `count` step numbers spread evenly over a log's steps after the first. */
export function spreadSteps(steps: readonly number[], count: number): number[] {
  const usable = steps.slice(1);
  if (usable.length <= count) return usable;
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(usable[Math.round((i * (usable.length - 1)) / Math.max(1, count - 1))]!);
  return [...new Set(out)];
}

export async function loadRecorded(paths: readonly string[], options: LoadOptions = {}): Promise<LoadedRecorded> {
  const notes: string[] = [];
  const runs = new Map<string, VerlRun>();
  const readRun = async (path: string) => {
    let run = runs.get(path);
    if (!run) runs.set(path, (run = await readVerlRun(path)));
    return run;
  };
  const tables: { path: string; rows: readonly RecordedStep[] }[] = [];
  const logs: string[] = [];
  for (const path of paths) {
    const format = await resolveFormat(path, traceFormats);
    if (format.name === RECORDED_RUNS_FORMAT) tables.push({ path, rows: (await readRecordedRuns(path)).rows });
    else if (format.name === VERL_LOG_FORMAT) logs.push(path);
    else throw new InputError({ file: path, field: 'format', value: format.name, message: 'is not a recorded-runs table or a veRL console log' });
  }
  const sources: RecordedSource[] = [];
  /** Log path → the run key the table gives it, and the steps the table already has. */
  const linked = new Map<string, { runKey: string; steps: Set<number> }>();
  for (const table of tables) {
    const beside = (await filesUnder(join(dirname(table.path), 'logs'))).filter((p) => p.endsWith('.log'));
    for (const row of table.rows) {
      const url = row.source.url;
      const log = url && isLogUrl(url) ? beside.find((p) => basename(p) === basename(url.split(/[?#]/)[0]!)) : undefined;
      if (log) {
        sources.push({ row, run: await readRun(log) });
        const entry = linked.get(log) ?? { runKey: row.runKey, steps: new Set<number>() };
        if (row.stepIndex.kind === 'step') entry.steps.add(row.stepIndex.index);
        linked.set(log, entry);
      } else sources.push({ row });
    }
  }
  const wanted = options.logSteps ?? DEFAULT_LOG_STEPS;
  for (const path of logs) {
    const run = await readRun(path);
    const link = [...linked.entries()].find(([log]) => basename(log) === basename(path))?.[1];
    const chosen = spreadSteps(
      run.steps.map((s) => s.step),
      wanted,
    ).filter((step) => !link?.steps.has(step));
    const rows = recordedStepsFromVerlRun(run, { steps: chosen });
    for (const row of rows) sources.push({ row: withUserStated(link ? { ...row, runKey: link.runKey } : row, options.stated ?? {}), run });
    if (link) notes.push(`${basename(path)}: the table already draws steps ${[...link.steps].sort((a, b) => a - b).join(', ')} from this log; its other steps join that run`);
  }
  return { sources, notes };
}
