import type { GroupSection } from '../../report/page-model.js';
import type { Table } from '../../report/tables.js';
import { formatMarkdownTable, formatTextTable } from '../../report/text-table.js';
import { validationCounts, type ValidationCheck, type ValidationDocument } from './compare.js';

/**
 * The validation as people read it: a compact table (page, terminal, summary.md), the details of
 * each check (setting, how it was simulated, tolerance, source, caveat), the measurements not
 * compared with why, and the full machine table (tables/validation.csv|json).
 */
const round = (x: number | null) => (x === null || !Number.isFinite(x) ? '—' : String(Number(x.toPrecision(4))));

function statusText(check: ValidationCheck): string {
  return check.status === 'within' ? 'within' : check.status === 'outside' ? 'OUTSIDE' : 'FAILED';
}

function errorText(check: ValidationCheck): string {
  if (check.errorPct === null) return '—';
  const e = Number(check.errorPct.toPrecision(3));
  return `${e > 0 ? '+' : ''}${e} %`;
}

export function compactValidationTable(doc: ValidationDocument): Table {
  return {
    columns: [
      { key: 'id', name: 'check', label: 'Check', unit: null },
      { key: 'published', name: 'published', label: 'Measured', unit: null },
      { key: 'simulated', name: 'simulated', label: 'Simulated', unit: null, keepTogether: true },
      { key: 'error', name: 'error', label: 'Error', unit: null, keepTogether: true },
      { key: 'target', name: 'target', label: 'Accepted', unit: null, keepTogether: true },
      { key: 'status', name: 'status', label: 'Status', unit: null, tones: { within: 'good', OUTSIDE: 'bad', FAILED: 'bad' } },
      { key: 'kind', name: 'kind', label: 'Kind', unit: null },
    ],
    rows: doc.checks.map((check) => ({
      id: check.id,
      // A number carries its unit already (describePublished); a worded finding ("nearly flat") stands alone.
      published: check.publishedText,
      simulated: check.simulated === null ? '—' : `${round(check.simulated)} ${check.unit}`,
      error: errorText(check),
      target: `${round(check.target.low)}–${round(check.target.high)} ${check.unit}`,
      status: statusText(check),
      kind: check.kind,
    })),
  };
}

/** Every field of every check, units in the column names. */
export function validationTable(doc: ValidationDocument): Table {
  return {
    columns: [
      { key: 'id', name: 'check', unit: null },
      { key: 'group', name: 'group', unit: null },
      { key: 'kind', name: 'kind', unit: null },
      { key: 'unit', name: 'unit', unit: null },
      { key: 'published', name: 'published_value', unit: null },
      { key: 'simulated', name: 'simulated_value', unit: null },
      { key: 'errorPct', name: 'error_pct', unit: '%' },
      { key: 'low', name: 'accepted_low_value', unit: null },
      { key: 'high', name: 'accepted_high_value', unit: null },
      { key: 'status', name: 'status', unit: null },
      { key: 'description', name: 'description', unit: null },
      { key: 'setting', name: 'setting', unit: null },
      { key: 'simulatedAs', name: 'simulated_as', unit: null },
      { key: 'toleranceWhy', name: 'tolerance_why', unit: null },
      { key: 'source', name: 'source', unit: null },
      { key: 'caveat', name: 'caveat', unit: null },
    ],
    rows: doc.checks.map((check) => ({
      id: check.id,
      group: check.group,
      kind: check.kind,
      unit: check.unit,
      published: 'value' in check.published ? check.published.value : (check.published.min + check.published.max) / 2,
      simulated: check.simulated,
      errorPct: check.errorPct,
      low: check.target.low,
      high: check.target.high,
      status: check.status,
      description: check.description,
      setting: check.setting,
      simulatedAs: check.simulatedAs,
      toleranceWhy: check.toleranceWhy,
      source: check.source,
      caveat: check.caveat ?? null,
    })),
  };
}

export function validationHeadline(doc: ValidationDocument): string {
  const c = validationCounts(doc);
  const inSample = doc.checks.filter((check) => check.kind === 'in-sample').length;
  return `Validation against published measurements: ${c.within} of ${doc.checks.length} checks within tolerance, ${c.outside} outside${c.failed > 0 ? `, ${c.failed} failed` : ''} (${inSample} in-sample); ${doc.notCompared.length} published measurements not compared (listed with why).`;
}

function detailsTable(doc: ValidationDocument): Table {
  return {
    columns: [
      { key: 'id', name: 'check', label: 'Check', unit: null },
      { key: 'setting', name: 'setting', label: 'Measured setting and its simulated counterpart', unit: null },
      { key: 'simulatedAs', name: 'simulated_as', label: 'Simulated as', unit: null },
      { key: 'tolerance', name: 'tolerance', label: 'Tolerance, why', unit: null },
      { key: 'source', name: 'source', label: 'Source', unit: null },
    ],
    rows: doc.checks.map((check) => ({ id: check.id, setting: check.setting, simulatedAs: check.simulatedAs, tolerance: check.toleranceWhy, source: check.source })),
  };
}

function caveats(doc: ValidationDocument): string[] {
  const byText = new Map<string, string[]>();
  for (const check of doc.checks) if (check.caveat) byText.set(check.caveat, [...(byText.get(check.caveat) ?? []), check.id]);
  return [...byText].map(([text, ids]) => `${ids.join(', ')}: ${text}`);
}

function notComparedTable(doc: ValidationDocument): Table {
  return {
    columns: [
      { key: 'id', name: 'measurement', label: 'Measurement', unit: null },
      { key: 'description', name: 'description', label: 'What was measured', unit: null },
      { key: 'reason', name: 'reason', label: 'Why it is not compared', unit: null },
    ],
    rows: doc.notCompared.map((m) => ({ id: m.id, description: `${m.description} (${m.source})`, reason: m.reason })),
  };
}

/** The page group, placed right after the paper comparison. */
export function validationSection(doc: ValidationDocument): GroupSection {
  const c = validationCounts(doc);
  return {
    kind: 'group',
    id: 'validation',
    title: 'Validation against published measurements',
    intro: `${validationHeadline(doc)} Each check puts a number someone measured on real hardware beside what the harness's own models (cost-model queries, or a full scheduler replay of the measured setting) give for it — never a paper's headline figure. A check is within tolerance when the simulated value lies in the measured value ± its tolerance. "in-sample" marks a measurement a simulated parameter was fitted to; "mechanism" a ratio or trend the model must show whatever its absolute speed.`,
    sections: [
      { kind: 'table', id: 'validation-table', title: 'Measured against simulated', table: compactValidationTable(doc), caption: `${c.within} within tolerance, ${c.outside} outside, ${c.failed} failed.` },
      ...(caveats(doc).length > 0 ? [{ kind: 'text', id: 'validation-caveats', title: 'Caveats', paragraphs: caveats(doc) } as const] : []),
      { kind: 'table', id: 'validation-details', title: 'Settings, simulation and tolerances', table: detailsTable(doc) },
      ...(doc.notCompared.length > 0 ? [{ kind: 'table', id: 'validation-not-compared', title: 'Published measurements not compared', table: notComparedTable(doc) } as const] : []),
      { kind: 'keyValue', title: 'Cost models and workloads of the validation', items: [...doc.costModels.map((model, i) => ({ key: `cost model ${i + 1}`, value: model })), ...doc.notes.map((note, i) => ({ key: `note ${i + 1}`, value: note }))] },
    ],
  };
}

export function validationMarkdown(doc: ValidationDocument): string {
  const out = ['## Validation against published measurements', '', validationHeadline(doc), '', formatMarkdownTable(compactValidationTable(doc)).trimEnd(), ''];
  const notes = caveats(doc);
  if (notes.length > 0) {
    out.push('Caveats:', '');
    for (const note of notes) out.push(`- ${note}`);
    out.push('');
  }
  if (doc.notCompared.length > 0) {
    out.push('Not compared:', '');
    for (const m of doc.notCompared) out.push(`- **${m.id}** — ${m.reason}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

export function validationTerminal(doc: ValidationDocument): string {
  return `\n${formatTextTable(compactValidationTable(doc))}${validationHeadline(doc)}\n`;
}
