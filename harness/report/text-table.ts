import { columnHeader, formatCellForPerson, validateTable, type Table } from './tables.js';

function isNumericColumn(table: Table, key: string): boolean {
  return table.rows.some((row) => typeof row[key] === 'number');
}

/**
 * A table for the terminal: headers with units, numbers right-aligned, columns separated by two
 * spaces, a dashed rule under the header. No trailing spaces, ends with '\n'.
 */
export function formatTextTable(table: Table): string {
  validateTable(table);
  const headers = table.columns.map(columnHeader);
  const cells = table.rows.map((row) => table.columns.map((column) => formatCellForPerson(row[column.key], column)));
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((line) => line[i]!.length)));
  const rightAligned = table.columns.map((column) => isNumericColumn(table, column.key));
  const render = (line: readonly string[]): string =>
    line
      .map((text, i) => (rightAligned[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[render(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(render)].join('\n')}\n`;
}

function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A GitHub-flavoured Markdown table (for READMEs and summaries); numbers right-aligned. */
export function formatMarkdownTable(table: Table): string {
  validateTable(table);
  const header = `| ${table.columns.map((column) => markdownCell(columnHeader(column))).join(' | ')} |`;
  const rule = `|${table.columns.map((column) => (isNumericColumn(table, column.key) ? '---:' : '---')).join('|')}|`;
  const rows = table.rows.map(
    (row) => `| ${table.columns.map((column) => markdownCell(formatCellForPerson(row[column.key], column))).join(' | ')} |`,
  );
  return `${[header, rule, ...rows].join('\n')}\n`;
}
