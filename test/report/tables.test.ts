import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  columnHeader,
  formatCellForPerson,
  tableToCsv,
  tableToJson,
  writeCsvTable,
  writeJsonTable,
  type Table,
} from '../../harness/report/tables.js';

const table: Table = {
  columns: [
    { key: 'system', name: 'system', label: 'System', unit: null },
    { key: 'time', name: 'iteration_time_s', label: 'Iteration time', unit: 's', decimals: 2 },
    { key: 'ok', name: 'within_tolerance', label: 'Within tolerance', unit: null },
  ],
  rows: [
    { system: 'veRL', time: 12.3456, ok: true },
    { system: 'RLHFless, "serverless"', time: Number.NaN, ok: false },
    { system: ' padded', time: null },
  ],
};

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

describe('tables', () => {
  it('writes CSV with unit-carrying machine names, full precision, quoting and empty missing values', () => {
    expect(tableToCsv(table)).toBe(
      'system,iteration_time_s,within_tolerance\n' +
        'veRL,12.3456,true\n' +
        '"RLHFless, ""serverless""",,false\n' +
        '" padded",,\n',
    );
  });

  it('writes JSON keyed by machine names with units listed and non-finite numbers as null', () => {
    expect(tableToJson(table)).toEqual({
      columns: [
        { name: 'system', unit: null },
        { name: 'iteration_time_s', unit: 's' },
        { name: 'within_tolerance', unit: null },
      ],
      rows: [
        { system: 'veRL', iteration_time_s: 12.3456, within_tolerance: true },
        { system: 'RLHFless, "serverless"', iteration_time_s: null, within_tolerance: false },
        { system: ' padded', iteration_time_s: null, within_tolerance: null },
      ],
    });
  });

  it('shows people headers with units and rounded numbers', () => {
    expect(table.columns.map(columnHeader)).toEqual(['System', 'Iteration time (s)', 'Within tolerance']);
    const time = table.columns[1]!;
    expect(formatCellForPerson(12.3456, time)).toBe('12.35');
    expect(formatCellForPerson(Number.NaN, time)).toBe('—');
    expect(formatCellForPerson(Number.POSITIVE_INFINITY, time)).toBe('∞');
    expect(formatCellForPerson(null, time)).toBe('—');
    expect(formatCellForPerson(true, time)).toBe('yes');
  });

  it('rejects column names without the snake_case unit convention, and duplicates', () => {
    expect(() => tableToCsv({ columns: [{ key: 'a', name: 'Iteration time (s)', unit: 's' }], rows: [] })).toThrow(/snake_case/);
    expect(() =>
      tableToCsv({
        columns: [
          { key: 'a', name: 'cost_usd', unit: 'USD' },
          { key: 'b', name: 'cost_usd', unit: 'USD' },
        ],
        rows: [],
      }),
    ).toThrow(/twice/);
  });

  it('writes files atomically and leaves no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tables-'));
    scratch.push(dir);
    await writeCsvTable(join(dir, 'out.csv'), table);
    await writeJsonTable(join(dir, 'out.json'), table);
    expect(await readFile(join(dir, 'out.csv'), 'utf8')).toBe(tableToCsv(table));
    expect(JSON.parse(await readFile(join(dir, 'out.json'), 'utf8'))).toEqual(tableToJson(table));
    expect((await readdir(dir)).sort()).toEqual(['out.csv', 'out.json']);
  });
});
