import { readFile } from 'node:fs/promises';
import { InputError } from '../util/input-error.js';

/**
 * The nightly history (reports/history.jsonl): one JSON line per finalized run, appended by
 * `nightly` (unsharded) and by `merge`. Each line holds the run's label, the commit when known,
 * and every figure's value (timings: the median):
 *
 *   {"run":"2025-06-01","commit":"abc123","figures":{"sim/…/verl:iterationTimeS":32.71,…}}
 *
 * A damaged line is an InputError naming its line; nothing is appended then.
 */
export interface HistoryRun {
  readonly run: string;
  readonly commit: string | null;
  readonly figures: Readonly<Record<string, number>>;
}

/** Runs kept for step detection and charts: the most recent ones. */
export const HISTORY_WINDOW = 200;

export function parseHistory(text: string, file: string): HistoryRun[] {
  const runs: HistoryRun[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const at = { file, line: index + 1, column: 1 };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new InputError({ ...at, message: `history: not valid JSON (${error instanceof Error ? error.message : String(error)})` });
    }
    const record = value as Record<string, unknown>;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError({ ...at, message: 'history: each line must be a JSON object' });
    if (typeof record.run !== 'string' || record.run === '') throw new InputError({ ...at, field: 'run', value: record.run, message: 'history: must be a non-empty string' });
    if (record.commit !== undefined && record.commit !== null && typeof record.commit !== 'string') throw new InputError({ ...at, field: 'commit', value: record.commit, message: 'history: must be a string or null' });
    const figures = record.figures;
    if (typeof figures !== 'object' || figures === null || Array.isArray(figures)) throw new InputError({ ...at, field: 'figures', value: figures, message: 'history: must be an object of figure id → number' });
    for (const [id, figure] of Object.entries(figures)) {
      if (typeof figure !== 'number' || !Number.isFinite(figure)) throw new InputError({ ...at, field: `figures.${id}`, value: figure, message: 'history: must be a finite number' });
    }
    runs.push({ run: record.run, commit: (record.commit as string | null | undefined) ?? null, figures: figures as Record<string, number> });
  });
  return runs;
}

/** Reads the history; a missing file is an empty history. */
export async function readHistory(path: string): Promise<{ runs: HistoryRun[]; text: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { runs: [], text: '' };
    throw new InputError({ file: path, message: `history: cannot be read (${code ?? String(error)})` });
  }
  return { runs: parseHistory(text, path), text };
}

export function historyLine(run: HistoryRun): string {
  const figures = Object.fromEntries(Object.keys(run.figures).sort().map((id) => [id, run.figures[id]!]));
  return `${JSON.stringify({ run: run.run, commit: run.commit, figures })}\n`;
}

/** The history file's text with one run appended (a missing final newline is repaired). */
export function appendedHistory(text: string, run: HistoryRun): string {
  const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return base + historyLine(run);
}
