import type { LayerOperator } from '../operators.js';
import type { CalibratedCostModel } from '../roofline/model.js';
import type { CalibrationRow } from './profile-rows.js';

/**
 * What a cost model predicts for one measured profile row, through the same methods schedulers
 * call: an operator time, a collective, a prefill, or the mean per-token time of a decode run
 * (decodeStepsS over the run ÷ its tokens). Fitting and the fidelity report both use it, so the
 * figures reported are those of the model the simulator runs.
 */
export function predictRowS(costModel: CalibratedCostModel, calibrationRow: CalibrationRow): number {
  const { row, model } = calibrationRow;
  switch (calibrationRow.group) {
    case 'collective:all_reduce/intra-node':
    case 'collective:all_reduce/inter-node':
      return costModel.allReduceS(row.bytes!, row.workers!, row.crossNode === true);
    case 'collective:send_recv/intra-node':
    case 'collective:send_recv/inter-node':
      return costModel.sendRecvS(row.bytes!, row.crossNode === true);
    case 'decode': {
      const replica = costModel.replica(model!, { tp: row.tp, pp: 1 });
      const batch = row.batch!;
      const steps = row.outputTokens!;
      return replica.decodeStepsS(batch, batch * row.contextTokens!, steps) / steps;
    }
    case 'prefill': {
      const replica = costModel.replica(model!, { tp: row.tp, pp: 1 });
      return replica.prefillS(row.batch! * row.tokens!, row.batch!);
    }
    default:
      return costModel.operatorS(model!, row.tp, row.op as LayerOperator, row.tokens!);
  }
}

/** Absolute percentage error of a prediction. */
export function apePct(predictedS: number, measuredS: number): number {
  return (Math.abs(predictedS - measuredS) / measuredS) * 100;
}
