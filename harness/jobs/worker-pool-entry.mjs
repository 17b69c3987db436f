// Worker entry of the case pool (harness/jobs/worker-pool.ts). The harness is TypeScript
// run through tsx's loader (as bin/rlhf-replay.mjs does); a worker thread starts with Node's
// plain loader, so it registers tsx itself before importing the task module.
import { register } from 'tsx/esm/api';

register();
const { runCaseTask } = await import('./worker-pool-task.ts');

export default runCaseTask;
