import { writeFileAtomic } from '../util/atomic-write.js';

/**
 * Result tables: one shape for CSV, JSON, the terminal and the HTML page. Every column has a
 * machine name that carries its unit (`iteration_time_s`, `cost_usd`, `speedup_x`), and a human
 * label and unit for the page header ("Iteration time (s)").
 */
export type TableCell = string | number | boolean | null;

export interface TableColumn {
  /** Key of the value in each row. */
  readonly key: string;
  /** Machine column name with its unit suffix, used as the CSV header and JSON key: 'iteration_time_s'. */
  readonly name: string;
  /** Human label for the page and the terminal; defaults to `name`. */
  readonly label?: string;
  /** Human unit shown in headers as 'label (unit)'; null for names, counts of things named in the label, flags. */
  readonly unit: string | null;
  /** Decimal places when a number is shown to a person (CSV and JSON keep full precision). */
  readonly decimals?: number;
  readonly description?: string;
  /** Page only: keep each cell on one line (a value with its unit, '1.5 × [1.3, 1.8]'), so no unit wraps onto a line of its own. */
  readonly keepTogether?: boolean;
  /** Page only: how a cell's text reads at a glance ('good', 'warn', 'bad'), e.g. a status column; the page colours the cell. */
  readonly tones?: Readonly<Record<string, 'good' | 'warn' | 'bad'>>;
}

export interface Table {
  readonly columns: readonly TableColumn[];
  readonly rows: readonly Readonly<Record<string, TableCell | undefined>>[];
}

const MACHINE_NAME = /^[a-z][a-z0-9_]*$/;

/** Throws a TypeError (a bug in the caller, not bad user input) when column names clash or are not snake_case. */
export function validateTable(table: Table): void {
  const names = new Set<string>();
  const keys = new Set<string>();
  for (const column of table.columns) {
    if (!MACHINE_NAME.test(column.name)) {
      throw new TypeError(`table column name '${column.name}' must be snake_case with its unit suffix, e.g. 'iteration_time_s'`);
    }
    if (names.has(column.name)) throw new TypeError(`table column name '${column.name}' appears twice`);
    if (keys.has(column.key)) throw new TypeError(`table column key '${column.key}' appears twice`);
    names.add(column.name);
    keys.add(column.key);
  }
}

/** The header a person reads: 'Iteration time (s)'. */
export function columnHeader(column: TableColumn): string {
  const label = column.label ?? column.name;
  return column.unit ? `${label} (${column.unit})` : label;
}

/** A cell as a person reads it (page, terminal): numbers rounded to the column's decimals, missing as '—'. */
export function formatCellForPerson(value: TableCell | undefined, column: TableColumn): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return Number.isNaN(value) ? '—' : value > 0 ? '∞' : '−∞';
    return column.decimals === undefined ? String(value) : value.toFixed(column.decimals);
  }
  return value;
}

function csvField(value: TableCell | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV: header of machine names, full-precision numbers, empty for missing or non-finite, '\n' line ends. */
export function tableToCsv(table: Table): string {
  validateTable(table);
  const lines = [table.columns.map((column) => csvField(column.name)).join(',')];
  for (const row of table.rows) lines.push(table.columns.map((column) => csvField(row[column.key])).join(','));
  return `${lines.join('\n')}\n`;
}

export interface TableJson {
  readonly columns: readonly { name: string; unit: string | null; description?: string }[];
  /** Rows keyed by machine column name; non-finite numbers become null. */
  readonly rows: readonly Record<string, TableCell>[];
}

export function tableToJson(table: Table): TableJson {
  validateTable(table);
  return {
    columns: table.columns.map((column) => ({
      name: column.name,
      unit: column.unit,
      ...(column.description === undefined ? {} : { description: column.description }),
    })),
    rows: table.rows.map((row) => {
      const out: Record<string, TableCell> = {};
      for (const column of table.columns) {
        const value = row[column.key];
        out[column.name] = value === undefined || (typeof value === 'number' && !Number.isFinite(value)) ? null : value;
      }
      return out;
    }),
  };
}

export async function writeCsvTable(path: string, table: Table): Promise<void> {
  await writeFileAtomic(path, tableToCsv(table));
}

export async function writeJsonTable(path: string, table: Table): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(tableToJson(table), null, 2)}\n`);
}
