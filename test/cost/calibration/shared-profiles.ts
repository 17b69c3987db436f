import { readProfileInputs, type ProfileInputs } from '../../../harness/cost/calibration/inputs.js';
import { projectRoot, sharedDataPath } from '../../../harness/util/shared-data.js';

/** Every public GPU profile in ../shared/research/data, read as `rlhf-replay calibrate` reads them (one read per test file). */
let cached: Promise<ProfileInputs> | undefined;
export function sharedProfiles(): Promise<ProfileInputs> {
  cached ??= readProfileInputs([sharedDataPath('vidur'), sharedDataPath('splitwise-sim')], { cwd: projectRoot });
  return cached;
}
