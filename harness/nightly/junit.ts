import type { FigureEntry, NightlyReport } from './report.js';

/**
 * The run as JUnit XML (the de-facto format CI test reporters read): one <testsuite> per case,
 * one <testcase> per figure. A regression is a <failure> carrying the diff; a case that threw is
 * an <error>; acknowledged, new and not-compared figures are <skipped> with the reason. No
 * timestamps or durations, so the file is byte-stable.
 */
const INVALID_XML_CHARS = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlEscape(text: string): string {
  return text.replace(INVALID_XML_CHARS, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

interface TestCaseXml {
  readonly name: string;
  readonly classname: string;
  readonly body: string;
  readonly failed: boolean;
  readonly errored: boolean;
  readonly skipped: boolean;
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}="${xmlEscape(String(value))}"`)
    .join(' ');
}

export function nightlyJunit(report: NightlyReport): string {
  const j = report.json;
  const byFigure = new Map<string, { kind: 'failure' | 'skipped'; message: string; detail: string }>();
  const mark = (entries: readonly FigureEntry[], kind: 'failure' | 'skipped', label: (e: FigureEntry) => string) => {
    for (const e of entries) byFigure.set(e.id, { kind, message: label(e), detail: e.diff });
  };
  mark(j.regressions, j.baselineUpdated ? 'skipped' : 'failure', (e) => (j.baselineUpdated ? `changed; baseline updated: ${e.diff}` : `${e.mode === 'exact' ? 'changed' : 'regression'}: ${e.diff}`));
  mark(j.acknowledged, 'skipped', (e) => `acknowledged until ${e.acknowledged!.expires}: ${e.acknowledged!.reason}`);
  for (const id of j.new) byFigure.set(id, { kind: 'skipped', message: 'no baseline yet', detail: '' });
  for (const n of j.notCompared) byFigure.set(n.id, { kind: 'skipped', message: `not compared: ${n.reason}`, detail: '' });

  const suites: { name: string; cases: TestCaseXml[] }[] = [];
  const errorsByCase = new Map(j.errors.map((e) => [e.case, e]));
  const figuresByCase = new Map<string, typeof report.figures[number][]>();
  for (const figure of report.figures) {
    const caseId = figure.id.slice(0, figure.id.indexOf(':'));
    figuresByCase.set(caseId, [...(figuresByCase.get(caseId) ?? []), figure]);
  }
  for (const testCase of [...report.plan.cases].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const classname = `nightly.${testCase.kind}`;
    const error = errorsByCase.get(testCase.id);
    if (error) {
      suites.push({
        name: testCase.id,
        cases: [{ name: testCase.id, classname, body: `<error ${attributes({ message: error.inputError ? 'bad input' : 'case failed', type: error.inputError ? 'InputError' : 'Error' })}>${xmlEscape(error.message)}</error>`, failed: false, errored: true, skipped: false }],
      });
      continue;
    }
    const cases: TestCaseXml[] = (figuresByCase.get(testCase.id) ?? []).map((figure) => {
      const mark = byFigure.get(figure.id);
      if (!mark) return { name: figure.id, classname, body: '', failed: false, errored: false, skipped: false };
      if (mark.kind === 'failure') return { name: figure.id, classname, body: `<failure ${attributes({ message: mark.message, type: 'regression' })}>${xmlEscape(mark.detail)}</failure>`, failed: true, errored: false, skipped: false };
      return { name: figure.id, classname, body: `<skipped ${attributes({ message: mark.message })}/>`, failed: false, errored: false, skipped: true };
    });
    suites.push({ name: testCase.id, cases });
  }

  const count = (list: readonly TestCaseXml[], key: 'failed' | 'errored' | 'skipped') => list.filter((c) => c[key]).length;
  const all = suites.flatMap((s) => s.cases);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attributes({ name: 'rlhf-replay nightly', tests: all.length, failures: count(all, 'failed'), errors: count(all, 'errored'), skipped: count(all, 'skipped') })}>`,
  ];
  for (const suite of suites) {
    lines.push(`  <testsuite ${attributes({ name: suite.name, tests: suite.cases.length, failures: count(suite.cases, 'failed'), errors: count(suite.cases, 'errored'), skipped: count(suite.cases, 'skipped') })}>`);
    for (const c of suite.cases) {
      const open = `    <testcase ${attributes({ name: c.name, classname: c.classname })}`;
      lines.push(c.body === '' ? `${open}/>` : `${open}>${c.body}</testcase>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
