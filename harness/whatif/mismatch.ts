import type { ErrorBand } from '../fidelity/bands.js';
import { metricBand } from '../fidelity/metric-bands.js';
import { catalogMetric } from '../metrics/catalog.js';
import type { ScenarioFramework } from '../scenario/cost-model.js';
import { IMPLAUSIBLE_STEP_RATIO, type Fidelity } from './fidelity.js';
import { STEP_STAGE } from './stage-map.js';

/**
 * Whether the baseline's simulation of the recorded workload describes the recorded run at all:
 * the recorded mean step time must lie inside the 80 % band of the simulated one (the framework
 * calibration's out-of-sample error, widened for what the calibration does not cover). Outside
 * it, the inputs (GPU trace, lengths, scenario) or the model do not describe the same run, and a
 * projection scaled from the recording would carry that error: `whatif` says so first, exits 1,
 * and prints projections only with --force. Without a framework calibration the plausibility
 * ratio (IMPLAUSIBLE_STEP_RATIO) is the band.
 */
export interface Mismatch {
  readonly recordedS: number;
  readonly simulatedS: number;
  readonly band: Pick<ErrorBand, 'lowS' | 'highS'>;
  readonly message: string;
}

export function stepMismatch(fidelity: Fidelity, framework: ScenarioFramework): Mismatch | undefined {
  const step = fidelity.stages.find((s) => s.stage === STEP_STAGE);
  if (!step || step.simulatedMeanS === undefined || !(step.recordedMeanS > 0)) return undefined;
  const simulatedS = step.simulatedMeanS;
  const recordedS = step.recordedMeanS;
  const band = metricBand(catalogMetric('iterationTimeS'), simulatedS, { framework, scheduler: fidelity.baseline }) ?? { lowS: simulatedS / IMPLAUSIBLE_STEP_RATIO, highS: simulatedS * IMPLAUSIBLE_STEP_RATIO };
  if (recordedS >= band.lowS && recordedS <= band.highS) return undefined;
  const f = (x: number) => Number(x.toPrecision(3)).toString();
  const ratio = simulatedS / recordedS;
  return {
    recordedS,
    simulatedS,
    band: { lowS: band.lowS, highS: band.highS },
    message:
      `the recorded run does not match its simulation: ${fidelity.baseline} simulates ${f(simulatedS)} s per step (80 % band of what a real run would measure: [${f(band.lowS)}, ${f(band.highS)}] s) and the recording measured ${f(recordedS)} s (×${f(ratio)}); ` +
      'check that the GPU trace, the lengths trace and the scenario describe the same run (GPUs, model, batch, length caps, engine); projections scaled from this recording would carry the mismatch',
  };
}
