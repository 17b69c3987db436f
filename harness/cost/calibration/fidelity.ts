import { createRng } from '../../util/rng.js';
import type { CostAssumptions } from '../assumptions.js';
import { createProfileCostModelFromRows } from '../profile/model.js';
import { createRooflineCostModel, type CalibratedCostModel } from '../roofline/model.js';
import type { GpuSpec } from '../types.js';
import { fitCalibration } from './fit.js';
import { apePct, predictRowS } from './predict.js';
import type { CalibrationRow, FitGroup } from './profile-rows.js';

/**
 * Fidelity on rows the fit did not see, for both the calibrated roofline and the
 * profile-interpolating model:
 * - k-fold: measured configurations (all repeats together, so a repeat never tests its twin) are
 *   shuffled with a fixed seed into k folds; each fold is predicted by a calibration fitted on
 *   the others;
 * - leave-one-model-out: every model's rows are predicted by a calibration fitted without any
 *   row of that model (kernels, decode and prefill alike). The interpolating model has no grid
 *   for an unseen model, so there it is the roofline it falls back to.
 */

export type ModelKind = 'roofline' | 'interpolated';
export type Validation = 'k-fold' | 'leave-one-model-out';

export interface FidelityRow {
  readonly device: string;
  readonly model: string;
  readonly op: string;
  readonly model_kind: ModelKind;
  readonly validation: Validation;
  readonly tested: number;
  readonly medianApePct: number;
  readonly p90ApePct: number;
}

export interface FidelitySummary {
  readonly decodeMedianApePct: number | null;
  readonly prefillMedianApePct: number | null;
  readonly mlpMedianApePct: number | null;
  readonly collectiveMedianApePct: number | null;
}

export type SummaryKey = `${ModelKind}/${Validation}`;

export interface FidelityReport {
  readonly rows: readonly FidelityRow[];
  /** The calibrated roofline on k-fold held-out rows: the model every simulation can use. */
  readonly summary: FidelitySummary;
  /** Every (model kind, validation) pair. */
  readonly summaries: Readonly<Record<SummaryKey, FidelitySummary>>;
  readonly folds: number;
  readonly seed: string;
  readonly notes: readonly string[];
}

export interface FidelityOptions {
  readonly folds?: number;
  readonly seed?: string;
  readonly assumptions?: Partial<CostAssumptions>;
  readonly onProgress?: (done: number, total: number, label: string) => void;
}

export const DEFAULT_FOLDS = 5;
export const DEFAULT_FOLD_SEED = 'calibration-k-fold';

interface Error_ {
  readonly row: CalibrationRow;
  readonly kind: ModelKind;
  readonly validation: Validation;
  readonly ape: number;
}

export function measureFidelity(rows: readonly CalibrationRow[], options: FidelityOptions = {}): FidelityReport {
  const folds = options.folds ?? DEFAULT_FOLDS;
  const seed = options.seed ?? DEFAULT_FOLD_SEED;
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds must be an integer ≥ 2, got ${folds}`);
  const fold = assignFolds(rows, folds, seed);
  const models = [...new Set(rows.map((r) => r.model?.id).filter((m): m is string => m !== undefined))].sort();
  const total = folds + models.length;
  let done = 0;
  const errors: Error_[] = [];
  const evaluate = (train: readonly CalibrationRow[], test: readonly CalibrationRow[], validation: Validation) => {
    const calibration = fitCalibration(train, { ...(options.assumptions ? { assumptions: options.assumptions } : {}) });
    const byGpu = new Map<string, { gpu: GpuSpec; rows: CalibrationRow[] }>();
    for (const row of test) {
      const entry = byGpu.get(row.gpu.id);
      if (entry) entry.rows.push(row);
      else byGpu.set(row.gpu.id, { gpu: row.gpu, rows: [row] });
    }
    for (const id of [...byGpu.keys()].sort()) {
      const { gpu, rows: testRows } = byGpu.get(id)!;
      const costOptions = options.assumptions ? { assumptions: options.assumptions } : {};
      const kinds: [ModelKind, CalibratedCostModel][] = [
        ['roofline', createRooflineCostModel(gpu, calibration, costOptions)],
        ['interpolated', createProfileCostModelFromRows(gpu, train, calibration, costOptions)],
      ];
      for (const [kind, model] of kinds) {
        for (const row of testRows) errors.push({ row, kind, validation, ape: apePct(predictRowS(model, row), row.row.timeS) });
      }
    }
  };
  for (let f = 0; f < folds; f++) {
    options.onProgress?.(done, total, `fold ${f + 1}/${folds}`);
    evaluate(
      rows.filter((r) => fold.get(r.configuration) !== f),
      rows.filter((r) => fold.get(r.configuration) === f),
      'k-fold',
    );
    done++;
  }
  for (const model of models) {
    options.onProgress?.(done, total, `without ${model}`);
    evaluate(
      rows.filter((r) => r.model?.id !== model),
      rows.filter((r) => r.model?.id === model),
      'leave-one-model-out',
    );
    done++;
  }
  options.onProgress?.(done, total, 'done');
  return summarize(errors, folds, seed);
}

/** Configurations, sorted, shuffled with the seed, dealt round-robin into folds. */
function assignFolds(rows: readonly CalibrationRow[], folds: number, seed: string): Map<string, number> {
  const keys = [...new Set(rows.map((r) => r.configuration))].sort();
  const rng = createRng(seed);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
  }
  return new Map(keys.map((key, i) => [key, i % folds]));
}

const FAMILY: Readonly<Record<keyof FidelitySummary, (group: FitGroup) => boolean>> = {
  decodeMedianApePct: (g) => g === 'decode',
  prefillMedianApePct: (g) => g === 'prefill',
  mlpMedianApePct: (g) => g.startsWith('kernel:'),
  collectiveMedianApePct: (g) => g.startsWith('collective:'),
};

function summarize(errors: readonly Error_[], folds: number, seed: string): FidelityReport {
  const cells = new Map<string, { device: string; model: string; op: string; kind: ModelKind; validation: Validation; apes: number[] }>();
  for (const e of errors) {
    const model = e.row.model?.id ?? '';
    const key = [e.row.gpu.id, model, e.row.opLabel, e.kind, e.validation].join('\u0000');
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { device: e.row.gpu.id, model, op: e.row.opLabel, kind: e.kind, validation: e.validation, apes: [] }));
    cell.apes.push(e.ape);
  }
  const rows: FidelityRow[] = [...cells.keys()].sort().map((key) => {
    const c = cells.get(key)!;
    return { device: c.device, model: c.model, op: c.op, model_kind: c.kind, validation: c.validation, tested: c.apes.length, medianApePct: round2(quantile(c.apes, 0.5)), p90ApePct: round2(quantile(c.apes, 0.9)) };
  });
  const summaryFor = (kind: ModelKind, validation: Validation): FidelitySummary => {
    const pick = (family: keyof FidelitySummary) => {
      const apes = errors.filter((e) => e.kind === kind && e.validation === validation && FAMILY[family](e.row.group)).map((e) => e.ape);
      return apes.length === 0 ? null : round2(quantile(apes, 0.5));
    };
    return { decodeMedianApePct: pick('decodeMedianApePct'), prefillMedianApePct: pick('prefillMedianApePct'), mlpMedianApePct: pick('mlpMedianApePct'), collectiveMedianApePct: pick('collectiveMedianApePct') };
  };
  const summaries = {
    'roofline/k-fold': summaryFor('roofline', 'k-fold'),
    'roofline/leave-one-model-out': summaryFor('roofline', 'leave-one-model-out'),
    'interpolated/k-fold': summaryFor('interpolated', 'k-fold'),
    'interpolated/leave-one-model-out': summaryFor('interpolated', 'leave-one-model-out'),
  } as const;
  return {
    rows,
    summary: summaries['roofline/k-fold'],
    summaries,
    folds,
    seed,
    notes: [
      'APE = |predicted − measured| / measured × 100 on every held-out row (repeats of a configuration count as rows)',
      'summary = calibrated roofline, k-fold; summaries lists every model kind × validation',
      'collectives have no model: they take part in k-fold only',
    ],
  };
}

/** Linear-interpolation quantile (numpy's default) of unsorted values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (position - lo);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
