import { describe, expect, it } from 'vitest';
import { formatMarkdownTable, formatTextTable } from '../../harness/report/text-table.js';
import type { Table } from '../../harness/report/tables.js';

const table: Table = {
  columns: [
    { key: 'system', name: 'system', label: 'System', unit: null },
    { key: 'speedup', name: 'speedup_x', label: 'Speedup', unit: '×', decimals: 2 },
  ],
  rows: [
    { system: 'RLHFuse', speedup: 2.5 },
    { system: 'a|b', speedup: 10.125 },
  ],
};

describe('text tables', () => {
  it('aligns text left and numbers right under unit-carrying headers', () => {
    expect(formatTextTable(table)).toBe(
      ['System   Speedup (×)', '-------  -----------', 'RLHFuse         2.50', 'a|b            10.13', ''].join('\n'),
    );
  });

  it('writes Markdown with escaped pipes and right-aligned numeric columns', () => {
    expect(formatMarkdownTable(table)).toBe(
      ['| System | Speedup (×) |', '|---|---:|', '| RLHFuse | 2.50 |', '| a\\|b | 10.13 |', ''].join('\n'),
    );
  });
});
