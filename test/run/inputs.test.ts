import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALIBRATION_PATH } from '../../harness/cost/index.js';
import { prepareExperiment } from '../../harness/run/experiment.js';
import { loadRunInputs } from '../../harness/run/inputs.js';
import { findScheduler } from '../../harness/schedulers/index.js';
import { projectRoot } from '../../harness/util/shared-data.js';

const scenarioPath = join(projectRoot, 'harness', 'scenario', 'scenarios', 'rlhfless-3b-ppo.json');
const tracePath = join(projectRoot, 'traces', 'examples', 'sharegpt-ppo.jsonl');

describe('loadRunInputs', () => {
  it('loads a scenario file and opens a trace file for streaming, cut to the scenario’s batches', async () => {
    const inputs = await loadRunInputs({ scenario: scenarioPath, trace: tracePath, batching: { iterations: 1 } });
    expect(inputs.scenario.name).toBe('rlhfless-3b-ppo');
    expect(inputs.workload).toEqual({ kind: 'trace', path: tracePath, batching: { iterations: 1 } });
    expect(inputs.calibration).toBeUndefined();
  });

  it('takes a scenario and a workload built in code, and a calibration that overrides the scenario’s', async () => {
    const { scenario } = await loadRunInputs({ scenario: scenarioPath, trace: tracePath });
    const workload = { meta: { synthetic: true, notes: [] }, iterations: [] } as never;
    const inputs = await loadRunInputs({ scenario, trace: workload, calibration: DEFAULT_CALIBRATION_PATH });
    expect(inputs.scenario).toBe(scenario);
    expect(inputs.workload).toEqual({ kind: 'workload', workload });
    expect(inputs.calibrationLabel).toBe(DEFAULT_CALIBRATION_PATH);
    const run = await prepareExperiment({ ...inputs, schedulers: [findScheduler('verl')!], seed: 1 });
    expect(run.cost.description).toContain(`calibrated: ${DEFAULT_CALIBRATION_PATH}`);
  });
});
