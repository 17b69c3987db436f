import type { Calibration } from './types.js';
import type { FidelityReport, FidelityRow, FidelitySummary } from './fidelity.js';

/**
 * Plain-text renderings of calibrations and fidelity reports for the terminal and the README
 * (markdown tables). Pure functions; the CLI prints what they return.
 */

const pct = (value: number | null | undefined) => (value === null || value === undefined ? '–' : value.toFixed(1));

export function fidelitySummaryTable(report: FidelityReport): string {
  const lines = [
    '| cost model | validation | decode per-token | prefill | Vidur MLP operators | collectives |',
    '|---|---|---|---|---|---|',
  ];
  const goals: FidelitySummary = { decodeMedianApePct: 8, prefillMedianApePct: 8, mlpMedianApePct: 12, collectiveMedianApePct: 15 };
  for (const [key, summary] of Object.entries(report.summaries)) {
    const [kind, validation] = key.split('/');
    lines.push(`| ${kind} | ${validation} | ${pct(summary.decodeMedianApePct)} | ${pct(summary.prefillMedianApePct)} | ${pct(summary.mlpMedianApePct)} | ${pct(summary.collectiveMedianApePct)} |`);
  }
  lines.push(`| goal | held-out | ≤ ${goals.decodeMedianApePct} | ≤ ${goals.prefillMedianApePct} | ≤ ${goals.mlpMedianApePct} | ≤ ${goals.collectiveMedianApePct} |`);
  return `Median absolute percentage error on held-out rows, %\n\n${lines.join('\n')}\n`;
}

/** One line per (device, model, op, validation): roofline and interpolated side by side. */
export function fidelityDetailTable(report: FidelityReport): string {
  const byKey = new Map<string, { roofline?: FidelityRow; interpolated?: FidelityRow }>();
  for (const row of report.rows) {
    const key = [row.device, row.model, row.op, row.validation].join('\u0000');
    const entry = byKey.get(key) ?? {};
    entry[row.model_kind] = row;
    byKey.set(key, entry);
  }
  const lines = [
    '| device | model | op | validation | rows tested | roofline median / p90 APE % | interpolated median / p90 APE % |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const key of [...byKey.keys()].sort()) {
    const { roofline, interpolated } = byKey.get(key)!;
    const any = (roofline ?? interpolated)!;
    const cell = (row: FidelityRow | undefined) => (row ? `${pct(row.medianApePct)} / ${pct(row.p90ApePct)}` : '–');
    lines.push(`| ${any.device} | ${any.model || '–'} | ${any.op} | ${any.validation} | ${any.tested} | ${cell(roofline)} | ${cell(interpolated)} |`);
  }
  return `${lines.join('\n')}\n`;
}

const fmt = (value: number) => (value === 0 ? '0' : Math.abs(value) >= 0.01 && Math.abs(value) < 1000 ? value.toPrecision(4) : value.toExponential(3));

/** The fitted groups of a calibration, one line each. */
export function calibrationTable(calibration: Calibration): string {
  const lines = ['| device | group | parameters | rows | configs | in-sample median APE % |', '|---|---|---|---|---|---|'];
  for (const [device, groups] of Object.entries(calibration.devices)) {
    const add = (group: string, params: Record<string, number>, fit: { rows: number; configurations: number; inSampleMedianApePct: number }) =>
      lines.push(`| ${device} | ${group} | ${Object.entries(params).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')} | ${fit.rows} | ${fit.configurations} | ${pct(fit.inSampleMedianApePct)} |`);
    for (const [kernel, k] of Object.entries(groups.kernels ?? {})) if (k) add(`kernel ${kernel}`, { mfu: k.mfu, mbu: k.mbu, overheadS: k.overheadS }, k.fit);
    for (const [key, c] of Object.entries(groups.collectives ?? {})) if (c) add(key, { latencyS: c.latencyS, latencyPerHopS: c.latencyPerHopS, bandwidthEfficiency: c.bandwidthEfficiency }, c.fit);
    if (groups.decode) {
      const { fit, ...params } = groups.decode;
      add('decode engine', params, fit);
    }
    if (groups.prefill) {
      const { fit, ...params } = groups.prefill;
      add('prefill engine', params, fit);
    }
  }
  return `${lines.join('\n')}\n`;
}
