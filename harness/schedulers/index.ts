import { fullyAsync } from './async/fully-async.js';
import { oneStepOff } from './async/one-step-off.js';
import { deepspeedChat } from './baseline/deepspeed-chat.js';
import { megatronColocated } from './baseline/megatron-colocated.js';
import { openrlhf } from './baseline/openrlhf.js';
import { realhf } from './baseline/realhf.js';
import { rlhfuseBase } from './rlhfuse/rlhfuse-base.js';
import { verl } from './baseline/verl.js';
import { rlhfuse } from './rlhfuse/rlhfuse.js';
import { rlhfuseInter } from './rlhfuse/rlhfuse-inter.js';
import { rlhfuseIntra } from './rlhfuse/rlhfuse-intra.js';
import { rlhflessSchedulers } from './rlhfless/registry.js';
import type { SchedulerEntry } from './types.js';

/** Every scheduler by registry name, one file each. `rlhf-replay replay --scheduler a,b` picks some. */
export const schedulers: readonly SchedulerEntry[] = [deepspeedChat, realhf, verl, openrlhf, rlhfuseBase, rlhfuse, rlhfuseInter, rlhfuseIntra, ...rlhflessSchedulers, megatronColocated, oneStepOff, fullyAsync];

export function findScheduler(name: string): SchedulerEntry | undefined {
  return schedulers.find((entry) => entry.name === name);
}
