import type { SampleGroup } from '../traces/types.js';

/**
 * An iteration's samples as flat typed arrays, numbered 0..count-1 in trace order (group by
 * group). Every stage model and scheduler indexes samples by this number, so per-sample records
 * (finish times, the ledger) are plain arrays.
 */
export interface SampleTable {
  readonly count: number;
  /** Prompt groups (one prompt and its n responses). */
  readonly prompts: number;
  readonly groupOf: Int32Array;
  /** Per sample: its prompt's tokens (after the scenario's prompt cap). */
  readonly promptTokens: Int32Array;
  /** Per sample: response tokens (after the scenario's response cap). */
  readonly responseTokens: Int32Array;
  /** Samples of group g are firstSampleOfGroup[g] .. firstSampleOfGroup[g + 1] - 1. */
  readonly firstSampleOfGroup: Int32Array;
  /** Σ per-sample prompt tokens (a prompt shared by n samples counts n times: each is trained on). */
  readonly totalPromptTokens: number;
  readonly totalResponseTokens: number;
  /** Distinct prompt tokens (each group's prompt once). */
  readonly distinctPromptTokens: number;
  readonly longestResponseTokens: number;
  readonly longestPromptTokens: number;
  /** How many responses / prompts were longer than the scenario's caps and were cut to them. */
  readonly clippedResponses: number;
  readonly clippedPrompts: number;
}

export interface LengthCaps {
  readonly maxPromptTokens: number;
  readonly maxResponseTokens: number;
}

export function buildSampleTable(groups: readonly SampleGroup[], caps: LengthCaps): SampleTable {
  let count = 0;
  for (const group of groups) count += group.responseTokens.length;
  const groupOf = new Int32Array(count);
  const promptTokens = new Int32Array(count);
  const responseTokens = new Int32Array(count);
  const firstSampleOfGroup = new Int32Array(groups.length + 1);
  let totalPromptTokens = 0;
  let totalResponseTokens = 0;
  let distinctPromptTokens = 0;
  let longestResponseTokens = 0;
  let longestPromptTokens = 0;
  let clippedResponses = 0;
  let clippedPrompts = 0;
  let id = 0;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    firstSampleOfGroup[g] = id;
    let prompt = Math.max(0, Math.round(group.promptTokens));
    if (prompt > caps.maxPromptTokens) {
      prompt = caps.maxPromptTokens;
      clippedPrompts++;
    }
    distinctPromptTokens += prompt;
    if (prompt > longestPromptTokens) longestPromptTokens = prompt;
    for (const recorded of group.responseTokens) {
      let response = Math.max(0, Math.round(recorded));
      if (response > caps.maxResponseTokens) {
        response = caps.maxResponseTokens;
        clippedResponses++;
      }
      groupOf[id] = g;
      promptTokens[id] = prompt;
      responseTokens[id] = response;
      totalPromptTokens += prompt;
      totalResponseTokens += response;
      if (response > longestResponseTokens) longestResponseTokens = response;
      id++;
    }
  }
  firstSampleOfGroup[groups.length] = id;
  return {
    count,
    prompts: groups.length,
    groupOf,
    promptTokens,
    responseTokens,
    firstSampleOfGroup,
    totalPromptTokens,
    totalResponseTokens,
    distinctPromptTokens,
    longestResponseTokens,
    longestPromptTokens,
    clippedResponses,
    clippedPrompts,
  };
}

/** Per-sample sequence length (prompt + response), what inference and training process. */
export function sequenceTokens(table: SampleTable): Int32Array {
  const out = new Int32Array(table.count);
  for (let i = 0; i < table.count; i++) out[i] = table.promptTokens[i]! + table.responseTokens[i]!;
  return out;
}

/** Notes a scheduler adds to its result when caps changed the trace. */
export function clippingNotes(table: SampleTable, caps: LengthCaps): string[] {
  const notes: string[] = [];
  if (table.clippedResponses > 0) notes.push(`${table.clippedResponses} responses longer than the scenario's max response (${caps.maxResponseTokens} tokens) were cut to it`);
  if (table.clippedPrompts > 0) notes.push(`${table.clippedPrompts} prompts longer than the scenario's max prompt (${caps.maxPromptTokens} tokens) were cut to it`);
  return notes;
}
