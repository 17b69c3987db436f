import { describe, expect, it } from 'vitest';
import { nightlyJunit, xmlEscape } from '../../harness/nightly/junit.js';
import { buildNightlyReport } from '../../harness/nightly/report.js';
import { NASTY, reportFixture } from './report-fixture.js';
import { parseWellFormedXml } from './xml-well-formed.js';

const base = { acknowledgements: [], today: '2025-01-10', history: [], run: 'r9', commit: 'abc', baselineUpdated: false };

describe('nightlyJunit', () => {
  it('is well-formed XML with one testsuite per case and the right counts', () => {
    const report = buildNightlyReport({ ...reportFixture(), ...base, acknowledgements: [{ id: 'bench/loop:fast', reason: 'faster <on purpose>', expires: '2025-02-01' }] });
    const root = parseWellFormedXml(nightlyJunit(report));
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toEqual({ name: 'rlhf-replay nightly', tests: '8', failures: '2', errors: '1', skipped: '3' });
    expect(root.children.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures])).toEqual([
      ['bench/loop', '5', '1'],
      ['cost/x', '2', '1'],
      ['crashed', '1', '0'],
    ]);
    const nasty = root.children[1]!.children[0]!;
    // The name survives escaping exactly, except the control character XML cannot carry.
    expect(nasty.attributes.name).toBe(`cost/x:${NASTY.replace('\u0007', '\uFFFD')}`);
    expect(nasty.children[0]!.name).toBe('failure');
    expect(nasty.children[0]!.text).toBe('2 → 2.5 s (+25.0 %; Δ 0.5; tolerance 1e-9 relative)');
    const skipped = root.children[0]!.children.find((c) => c.attributes.name === 'bench/loop:fast')!;
    expect(skipped.children[0]!.attributes.message).toBe('acknowledged until 2025-02-01: faster <on purpose>');
    const error = root.children[2]!.children[0]!.children[0]!;
    expect(error.name).toBe('error');
    expect(error.text).toBe(`trace <unreadable> & ${NASTY.replace('\u0007', '\uFFFD')}`);
  });

  it('escapes the five XML specials and replaces characters XML forbids', () => {
    expect(xmlEscape(`<a href="x">&'\u0000`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;\uFFFD');
  });

  it('the checker itself rejects broken XML', () => {
    expect(() => parseWellFormedXml('<a><b></a></b>')).toThrow('closing </a> does not match <b>');
    expect(() => parseWellFormedXml('<a x="1 & 2"/>')).toThrow('unterminated entity');
    expect(() => parseWellFormedXml('<a>1 < 2</a>')).toThrow();
    expect(() => parseWellFormedXml('<a/><b/>')).toThrow('more than one root element');
  });
});
