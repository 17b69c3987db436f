import { formatPct, formatValue, type FigureEntry, type NightlyReport } from './report.js';

/**
 * The run as Markdown, fit for `$GITHUB_STEP_SUMMARY` (GitHub-flavoured tables): the verdict
 * first, then regressions with their diffs, improvements, acknowledged changes, errors, steps,
 * figures not compared, warnings. Every user string is escaped so a figure name cannot break a
 * table or inject markup.
 */
export function markdownText(text: string): string {
  return stripControl(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
}

/** An id as inline code; in a table a '|' must be escaped even inside code, or it splits the cell. */
function code(text: string, inTable = false): string {
  const safe = stripControl(text).replace(/`/g, "'").replace(/\r?\n/g, ' ');
  return `\`${inTable ? safe.replace(/\|/g, '\\|') : safe}\``;
}

function figureTable(entries: readonly FigureEntry[], withAcknowledgement = false): string[] {
  const header = ['figure', 'baseline', 'current', 'change', 'details', ...(withAcknowledgement ? ['acknowledged'] : [])];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const e of entries) {
    const cells = [
      code(e.id, true),
      e.baseline === null ? 'n/a' : `${formatValue(e.baseline)} ${markdownText(e.unit)}`,
      `${formatValue(e.current)} ${markdownText(e.unit)}`,
      formatPct(e.changePct),
      markdownText(e.diff),
      ...(withAcknowledgement && e.acknowledged ? [`${markdownText(e.acknowledged.reason)} (until ${e.acknowledged.expires})`] : []),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

export function nightlyMarkdown(report: NightlyReport): string {
  const j = report.json;
  const counts = [
    `${j.regressions.length} regression${j.regressions.length === 1 ? '' : 's'}`,
    `${j.improvements.length} improvement${j.improvements.length === 1 ? '' : 's'}`,
    `${j.unchanged} unchanged`,
    ...(j.acknowledged.length > 0 ? [`${j.acknowledged.length} acknowledged`] : []),
    ...(j.new.length > 0 ? [`${j.new.length} new`] : []),
    ...(j.notCompared.length > 0 ? [`${j.notCompared.length} not compared`] : []),
    ...(j.errors.length > 0 ? [`${j.errors.length} case error${j.errors.length === 1 ? '' : 's'}`] : []),
  ];
  const verdict = j.ok ? (j.baselineUpdated ? '✅ baseline updated' : '✅ no regressions') : j.errors.length > 0 ? '❌ cases failed' : '❌ regressions';
  const lines: string[] = [
    `## rlhf-replay nightly: ${verdict}`,
    '',
    `Run ${code(j.run)}${j.commit ? ` at commit ${code(j.commit)}` : ''}: ${j.cases} cases, ${j.figures} figures — ${counts.join(' · ')}.`,
  ];
  const section = (title: string, body: string[]) => {
    if (body.length > 0) lines.push('', `### ${title}`, '', ...body);
  };
  section('Regressions', j.regressions.length > 0 ? figureTable(j.regressions) : []);
  section('Improvements', j.improvements.length > 0 ? figureTable(j.improvements) : []);
  section('Acknowledged changes', j.acknowledged.length > 0 ? figureTable(j.acknowledged, true) : []);
  section(
    'Case errors',
    j.errors.map((e) => `- ${code(e.case)} (${e.kind}, ${e.inputError ? 'bad input' : 'harness error'}): ${markdownText(e.message)}`),
  );
  section(
    'Steps in the last 5 runs',
    j.steps.filter((s) => s.runsAgo < 5).map((s) => `- ${code(s.id)}: ${formatValue(s.before)} → ${formatValue(s.after)} ${markdownText(s.unit)} (${formatPct(s.changePct)}) from run ${code(s.run)}`),
  );
  section('New figures (no baseline yet)', j.new.map((id) => `- ${code(id)}`));
  section('Not compared', j.notCompared.map((n) => `- ${code(n.id)}: ${markdownText(n.reason)}`));
  section('Warnings', j.warnings.map((w) => `- ${markdownText(w)}`));
  return `${lines.join('\n')}\n`;
}
