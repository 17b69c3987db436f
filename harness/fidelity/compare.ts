import type { StageErrorSummary } from '../cost/framework/types.js';
import { conformalBand } from '../stats/conformal-band.js';
import { quantileSorted } from '../stats/quantile.js';

/** The coverage of the error bands the fidelity check reports and applies. */
export const BAND_COVERAGE = 0.8;
import { FIDELITY_STAGES, type FidelityStage } from './fidelity-step.js';

/**
 * Simulated against measured, stage by stage: errorPct = (simulated / measured − 1) · 100, and
 * per stage kind the median and 90th percentile of |errorPct| and the 80 % band of
 * ln(simulated / measured) (split-conformal order statistics).
 */
export interface FidelityRow {
  readonly runId: string;
  readonly stage: FidelityStage;
  readonly measuredS: number;
  readonly simulatedS: number;
  readonly errorPct: number;
  /** Some length statistic the workload needs was not in the row (assumed or borrowed). */
  readonly inferredWorkload: boolean;
}

export function fidelityRow(runId: string, stage: FidelityStage, measuredS: number, simulatedS: number, inferredWorkload: boolean): FidelityRow {
  return { runId, stage, measuredS, simulatedS, errorPct: (simulatedS / measuredS - 1) * 100, inferredWorkload };
}

/** Rows for every stage that was both measured (positive seconds) and simulated. */
export function compareStages(
  runId: string,
  measuredS: Partial<Readonly<Record<FidelityStage, number>>>,
  simulatedS: Partial<Readonly<Record<FidelityStage, number>>>,
  inferredWorkload: boolean,
): FidelityRow[] {
  const rows: FidelityRow[] = [];
  for (const stage of FIDELITY_STAGES) {
    const measured = measuredS[stage];
    const simulated = simulatedS[stage];
    if (measured === undefined || !(measured > 0) || simulated === undefined) continue;
    rows.push(fidelityRow(runId, stage, measured, simulated, inferredWorkload));
  }
  return rows;
}

export function summariseErrors(rows: readonly FidelityRow[]): StageErrorSummary {
  const abs = Float64Array.from(rows, (r) => Math.abs(r.errorPct)).sort();
  const logs = Float64Array.from(rows, (r) => Math.log(r.simulatedS / r.measuredS)).sort();
  const band = conformalBand(logs, BAND_COVERAGE);
  return {
    n: rows.length,
    medianAbsErrorPct: quantileSorted(abs, 0.5),
    p90AbsErrorPct: quantileSorted(abs, 0.9),
    bandLogRatioLow: band.low,
    bandLogRatioHigh: band.high,
    bandGuaranteed: band.guaranteed,
  };
}

/** Per stage kind present in the rows, in the canonical stage order. */
export function summariseByStage(rows: readonly FidelityRow[]): Partial<Record<FidelityStage, StageErrorSummary>> {
  const out: Partial<Record<FidelityStage, StageErrorSummary>> = {};
  for (const stage of FIDELITY_STAGES) {
    const mine = rows.filter((r) => r.stage === stage);
    if (mine.length > 0) out[stage] = summariseErrors(mine);
  }
  return out;
}
