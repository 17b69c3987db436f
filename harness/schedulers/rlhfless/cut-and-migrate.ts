import type { GenerationInstance } from '../generation/instance.js';
import type { SequenceState } from '../generation/types.js';
import type { MigrationDestination } from './parameters.js';

/**
 * Cut-and-migrate (RLHFless §3.4) decisions, kept apart from the engine loop so they can be
 * tested on their own. A *slot* is a free sequence slot plus KV room for the migrated sequences'
 * current context (prompt + tokens generated so far) [X]; waiting sequences need a slot only.
 * How many sequence slots an actor has is the `slotCapacity` assumption (the responses it started
 * the step with, by default; see parameters.ts): the engine loop passes each actor's free slots.
 */

/** What a destination offers: free sequence slots, free KV and how many sequences it runs. */
export interface DestinationRoom {
  readonly freeSequenceSlots: number;
  readonly freeKvTokens: number;
  readonly runningSequences: number;
}

/** Free slots of an actor that started with `capacity` slots and holds `unfinished` responses, within the engine's own free slots. */
export function freeSlots(capacity: number, unfinished: number, engineFreeSlots: number): number {
  return Math.max(0, Math.min(engineFreeSlots, capacity - unfinished));
}

/** The actor has reached its cut threshold: at least tau of everything it was given has finished, and something is left. */
export function reachedCutThreshold(instance: GenerationInstance, given: number, tau: number): boolean {
  return instance.unfinished > 0 && instance.finished >= tau * given - 1e-9;
}

/** Whether free slots and KV summed over the other live actors hold every unfinished sequence of `source`. */
export function othersHaveRoom(source: GenerationInstance, otherFreeSlots: number, otherFreeKvTokens: number): boolean {
  return otherFreeSlots >= source.unfinished && otherFreeKvTokens >= source.residentKvTokens();
}

/** KV tokens a group's states bring along: the prompt once (when any is resident) plus each resident sequence's tokens. */
export function migratedKvTokens(states: readonly SequenceState[]): number {
  let tokens = 0;
  let prompt = 0;
  for (const s of states) {
    if (!s.kvResident) continue;
    tokens += s.generatedTokens;
    prompt = s.promptTokens;
  }
  return tokens + prompt;
}

/** Consecutive states of the same prompt group (takeUnfinished returns a group's sequences together). */
export function groupStates(states: readonly SequenceState[]): SequenceState[][] {
  const groups: SequenceState[][] = [];
  for (const state of states) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.groupIndex === state.groupIndex && last[0]!.kvResident === state.kvResident) last.push(state);
    else groups.push([state]);
  }
  return groups;
}

interface Room {
  slots: number;
  kv: number;
  running: number;
}

/**
 * Assigns each migrated group to a destination [X]: 'most-free-kv' takes the live actor with the
 * most free KV, 'fewest-running' the one running the fewest sequences; only actors with a slot
 * and KV room for the group qualify, and a group that fits nowhere goes to the one with the most
 * free KV (the engine then queues it for recompute). Returns the destination per group.
 */
export function chooseDestinations(groups: readonly SequenceState[][], destinations: readonly DestinationRoom[], rule: MigrationDestination): number[] {
  const room: Room[] = destinations.map((d) => ({ slots: d.freeSequenceSlots, kv: d.freeKvTokens, running: d.runningSequences }));
  return groups.map((group) => {
    const kv = migratedKvTokens(group);
    let best = -1;
    let fallback = 0;
    for (let j = 0; j < room.length; j++) {
      const r = room[j]!;
      if (r.kv > room[fallback]!.kv) fallback = j;
      if (r.slots < group.length || r.kv < kv) continue;
      if (best < 0) best = j;
      else if (rule === 'most-free-kv' ? r.kv > room[best]!.kv : r.running < room[best]!.running) best = j;
    }
    const chosen = best >= 0 ? best : fallback;
    const r = room[chosen]!;
    r.slots -= group.length;
    r.kv -= kv;
    r.running += group.length;
    return chosen;
  });
}
