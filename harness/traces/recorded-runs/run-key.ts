/**
 * Which run a row of the recorded-runs table belongs to (for leave-one-run-out scoring: steps of
 * one run are not independent, so they are held out together).
 *
 * Rule (traces/README.md, "runs.csv"):
 * - a row whose `source_url` names a log file (`.log`, `.txt`, `.out`) belongs to the run of that
 *   log: key = the URL;
 * - a row from any other page (a documentation page) belongs to one of the page's tables, and a
 *   page can hold several: veRL's `docs/advance/fully_async.md` holds the 400-step scaling table
 *   (r13–r15) and the separate `use_trainer_do_validate` experiment (r16). The table is named by
 *   the opening phrase of the row's `notes` (up to the first `:` or `;`), which the transcriber
 *   writes per table (`doc table` vs `doc table use_trainer_do_validate experiment`):
 *   key = URL + ` § ` + that phrase;
 * - a row without a source URL is a run of its own: key = `row ` + run_id.
 */
export function runKeyOf(row: { readonly runId: string; readonly sourceUrl?: string; readonly notes?: string }): string {
  if (row.sourceUrl === undefined) return `row ${row.runId}`;
  if (isLogUrl(row.sourceUrl)) return row.sourceUrl;
  const label = tableLabel(row.notes);
  return label === undefined ? row.sourceUrl : `${row.sourceUrl} § ${label}`;
}

export function isLogUrl(url: string): boolean {
  const path = url.split(/[?#]/)[0]!;
  return /\.(log|txt|out)$/i.test(path);
}

function tableLabel(notes: string | undefined): string | undefined {
  if (notes === undefined) return undefined;
  const label = notes.split(/[:;]/)[0]!.trim();
  return label === '' ? undefined : label;
}
