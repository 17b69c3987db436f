import { loadCalibration } from '../cost/calibration/load.js';
import type { Calibration } from '../cost/calibration/types.js';
import type { ScenarioIterationOptions } from '../scenario/batches.js';
import { loadScenario } from '../scenario/loader.js';
import type { Scenario } from '../scenario/scenario.js';
import type { ReadWorkloadOptions } from '../traces/read.js';
import type { Workload } from '../traces/types.js';
import type { RunSpec, RunWorkload } from './spec.js';

/** Where a run's inputs come from: a file path, or the value itself (built in code). */
export interface RunInputSources {
  readonly scenario: string | Scenario;
  /** A response-length trace file (streamed), or a workload in memory. */
  readonly trace: string | Workload;
  /** A calibration file or value, used instead of the scenario's calibration file. */
  readonly calibration?: string | Calibration;
  readonly batching?: ScenarioIterationOptions;
  readonly read?: ReadWorkloadOptions;
  /** How an error names the trace file (default: its path). */
  readonly traceShownAs?: string;
}

/** The parts of a RunSpec that come from files: read and validated here (InputErrors name file, line, field). */
export type RunInputs = Pick<RunSpec, 'scenario' | 'workload'> & { readonly calibration?: Calibration; readonly calibrationLabel?: string };

/**
 * Reads a run's inputs: the scenario (loaded and validated), the trace (opened for streaming when
 * a path; the file is read when the run starts), and a calibration overriding the scenario's. Add
 * schedulers and a seed to get a RunSpec: `runExperiment({ ...await loadRunInputs(s), schedulers, seed }, sink)`.
 */
export async function loadRunInputs(sources: RunInputSources): Promise<RunInputs> {
  const scenario = typeof sources.scenario === 'string' ? await loadScenario(sources.scenario) : sources.scenario;
  const workload: RunWorkload =
    typeof sources.trace === 'string'
      ? { kind: 'trace', path: sources.trace, ...(sources.batching ? { batching: sources.batching } : {}), ...(sources.read ? { read: sources.read } : {}), ...(sources.traceShownAs ? { shownAs: sources.traceShownAs } : {}) }
      : { kind: 'workload', workload: sources.trace, ...(sources.batching ? { batching: sources.batching } : {}) };
  if (sources.calibration === undefined) return { scenario, workload };
  if (typeof sources.calibration === 'string') return { scenario, workload, calibration: await loadCalibration(sources.calibration), calibrationLabel: sources.calibration };
  return { scenario, workload, calibration: sources.calibration };
}
