import { resolve } from 'node:path';
import { loadCalibration } from '../../cost/calibration/load.js';
import type { Calibration } from '../../cost/calibration/types.js';
import { gpuById, modelById } from '../../cost/catalog/index.js';
import { loadDefaultCalibration } from '../../cost/index.js';
import type { CostModel, ReplicaCost } from '../../cost/types.js';
import type { Measurer } from '../measure-and-compare.js';
import type { CostModelCase, CostQuery } from '../types.js';
import type { NightlyDependencies } from './dependencies.js';

function estimate(cost: CostModel, replica: ReplicaCost, query: CostQuery): { value: number; unit: string } {
  const q = query as Required<CostQuery>;
  switch (query.op) {
    case 'prefill':
      return { value: replica.prefillS(q.tokens, q.sequences), unit: 's' };
    case 'decodeStep':
      return { value: replica.decodeStepS(q.batch, q.contextTokens), unit: 's' };
    case 'decodeSteps':
      return { value: replica.decodeStepsS(q.batch, q.contextTokens, q.steps), unit: 's' };
    case 'forward':
      return { value: replica.forwardS(q.tokens, q.sequences), unit: 's' };
    case 'trainStageForward':
      return { value: replica.trainStageForwardS(q.tokens, q.sequences), unit: 's' };
    case 'trainStageBackward':
      return { value: replica.trainStageBackwardS(q.tokens, q.sequences), unit: 's' };
    case 'kvCapacityTokens':
      return { value: replica.kvCapacityTokens(q.memoryUtilization), unit: 'tokens' };
    case 'allReduce':
      return { value: cost.allReduceS(q.bytes, q.workers, q.crossNode), unit: 's' };
    case 'transfer':
      return { value: cost.transferS(q.bytes, q.placement), unit: 's' };
  }
}

async function calibrationFor(testCase: CostModelCase, baseDir: string): Promise<Calibration | undefined> {
  if (testCase.calibration === 'none') return undefined;
  if (testCase.calibration === 'shipped') return loadDefaultCalibration();
  return loadCalibration(resolve(baseDir, testCase.calibration));
}

/** Cost-model estimates for one model on one GPU kind and layout: each query is one deterministic figure. */
export function costModelMeasurer(dependencies: NightlyDependencies): Measurer<CostModelCase> {
  return {
    kind: 'cost-model',
    async measure(testCase, { baseDir }) {
      const calibration = await calibrationFor(testCase, baseDir);
      const cost = dependencies.createCostModel(gpuById(testCase.gpu), calibration, calibration ? { calibrationLabel: testCase.calibration } : {});
      const replica = cost.replica(modelById(testCase.model), { tp: testCase.tp, pp: testCase.pp });
      const figures = testCase.queries.map((query) => ({ name: query.name, mode: 'exact' as const, ...estimate(cost, replica, query) }));
      const counter = cost.rangeCounter;
      return { figures, notes: [`cost model: ${cost.description}`, ...(counter.outOfRange > 0 ? [`${counter.outOfRange} of ${counter.queries} estimates outside the calibrated range`] : [])] };
    },
  };
}
