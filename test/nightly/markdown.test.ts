import { describe, expect, it } from 'vitest';
import { markdownText, nightlyMarkdown } from '../../harness/nightly/markdown.js';
import { buildNightlyReport } from '../../harness/nightly/report.js';
import { reportFixture } from './report-fixture.js';

describe('nightlyMarkdown', () => {
  it('leads with the verdict and counts, then a diff table per section', () => {
    const report = buildNightlyReport({ ...reportFixture(), acknowledgements: [], today: '2025-01-10', history: [], run: 'r9', commit: 'abc', baselineUpdated: false });
    const text = nightlyMarkdown(report);
    const lines = text.split('\n');
    expect(lines[0]).toBe('## rlhf-replay nightly: ❌ cases failed');
    expect(lines[2]).toBe('Run `r9` at commit `abc`: 3 cases, 7 figures — 2 regressions · 1 improvement · 2 unchanged · 1 new · 1 not compared · 1 case error.');
    expect(text).toContain('### Regressions\n\n| figure | baseline | current | change | details |\n|---|---|---|---|---|\n| `bench/loop:slow` | 10 ms | 13 ms | +30.0 % | median 10 → 13 ms (+30.0 %), Mann–Whitney p = 0.00020, n = 10/10; re-run: +25.0 %, p = 0.00030 (rule: p &lt; 0.01 and ≥ 10 % worse) |');
    expect(text).toContain('| `cost/x:q<&>"\'\\|\'*_ x` | 2 s | 2.5 s |');
    // Every table row has exactly the header's 5 separators + 1: a '|' in a name cannot add a column.
    for (const row of lines.filter((l) => l.startsWith('| `'))) expect(row.replace(/\\\|/g, '').split('|').length).toBe(7);
    expect(text).toContain('- `crashed` (trace-stats, bad input): trace &lt;unreadable&gt; &amp; q&lt;&amp;&gt;"\'\\|\\`\\*\\_ x');
  });

  it('escapes markup', () => {
    expect(markdownText('a|b <i>*x*</i>\nnext')).toBe('a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt; next');
  });
});
