import { deepspeedChat } from './baseline/deepspeed-chat.js';
import { openrlhf } from './baseline/openrlhf.js';
import { realhf } from './baseline/realhf.js';
import { rlhfuseBase } from './baseline/rlhfuse-base.js';
import { verl } from './baseline/verl.js';
import type { SchedulerEntry } from './types.js';

/** Every scheduler by registry name, one file each. `rlhf-replay replay --scheduler a,b` picks some. */
export const schedulers: readonly SchedulerEntry[] = [deepspeedChat, realhf, verl, openrlhf, rlhfuseBase];

export function findScheduler(name: string): SchedulerEntry | undefined {
  return schedulers.find((entry) => entry.name === name);
}
