import { join } from 'node:path';
import { projectRoot } from '../util/shared-data.js';

/**
 * The scenarios shipped with rlhf-replay (harness/scenario/scenarios/<name>.json), by name. Tests
 * and tools take this list, not whatever the folder holds: a user's own scenario belongs in a
 * folder of its own (scenario paths resolve relative to their file or as `package:<path>`).
 */
export const SHIPPED_SCENARIOS = [
  'rlhfuse-65b-33b',
  'rlhfuse-65b-33b-gen512',
  'rlhfuse-65b-33b-gen1024',
  'rlhfuse-13b-33b',
  'rlhfuse-13b-33b-gen512',
  'rlhfuse-13b-33b-gen1024',
  'rlhfless-3b-ppo',
  'rlhfless-3b-grpo',
  'rlhfless-7b-ppo',
  'rlhfless-7b-grpo',
  'rlhfless-sim-70b',
  'rlhfless-sim-70b-2k',
  'rlhfless-sim-70b-4k',
  'qwen3-30b-a3b-grpo-megatron-ep8',
] as const;

export type ShippedScenario = (typeof SHIPPED_SCENARIOS)[number];

export const SHIPPED_SCENARIO_FOLDER = join(projectRoot, 'harness', 'scenario', 'scenarios');

export function shippedScenarioPath(name: ShippedScenario): string {
  return join(SHIPPED_SCENARIO_FOLDER, `${name}.json`);
}
