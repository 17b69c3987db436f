import { describe, expect, it } from 'vitest';
import { tableHtml } from '../../harness/report/page-sections.js';
import { PAGE_CSS } from '../../harness/report/page-style.js';

describe('tableHtml', () => {
  const html = tableHtml(
    {
      kind: 'table',
      title: 'Comparison',
      table: {
        columns: [
          { key: 'id', name: 'figure', unit: null },
          { key: 'value', name: 'reproduced', unit: null, keepTogether: true },
          { key: 'status', name: 'status', unit: null, tones: { 'within tolerance': 'good', 'CI overlaps target': 'warn', MISSED: 'bad' } },
        ],
        rows: [
          { id: 'a', value: '1.5 × [1.3, 1.8]', status: 'MISSED' },
          { id: 'b', value: '1.2 ×', status: 'CI overlaps target' },
          { id: 'c', value: '1.3 ×', status: 'within tolerance' },
          { id: 'd', value: '—', status: 'not computed' },
        ],
      },
    },
    2,
  );

  it('colours a status cell by its tone and keeps a value with its unit on one line', () => {
    expect(html).toContain('<td class="keep">1.5 × [1.3, 1.8]</td><td class="tone-bad">MISSED</td>');
    expect(html).toContain('<td class="tone-warn">CI overlaps target</td>');
    expect(html).toContain('<td class="tone-good">within tolerance</td>');
    // A text without a tone is left plain.
    expect(html).toContain('<td>not computed</td>');
  });

  it('has the CSS behind those classes', () => {
    expect(PAGE_CSS).toContain('td.tone-warn { color: var(--warn)');
    expect(PAGE_CSS).toMatch(/td\.no, td\.tone-bad \{ color: var\(--bad\)/);
    expect(PAGE_CSS).toContain('table.data td.keep { white-space: nowrap; }');
  });
});
