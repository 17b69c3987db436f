import type { GenerationCluster } from '../generation/cluster.js';
import { createGenerationCluster } from '../generation/run.js';
import type { EngineLimits, GenerationStepCost, SequenceState } from '../generation/types.js';
import type { SampleTable } from '../samples.js';

/** A prompt whose generation was interrupted at a weight sync: its unfinished samples with their progress. */
export interface InterruptedPrompt {
  readonly group: number;
  readonly states: readonly SequenceState[];
}

/**
 * The rollout servers of a disaggregated pipeline: vLLM-style instances (one per server) on one
 * clock, fed one prompt at a time. Every response of a prompt is its own request, sent to the
 * server with the fewest requests so far — veRL's AsyncLLMServerManager._choose_server
 * (verl/experimental/agent_loop/agent_loop.py, volcengine/verl b178a3cd) counts requests and
 * never decrements, which deals the responses round-robin. A prompt is complete when all its
 * responses are (the unit the fully-async rollouter puts in the message queue).
 *
 * At a weight sync `interruptAll` cancels everything in flight at each server's next step
 * boundary and returns it; `resume` sends an interrupted response back as a new request whose
 * prompt is prompt + generated tokens (veRL's partial rollout: the KV cache was cleared for the
 * sync, so the engine prefills them again — counted as recomputed tokens).
 */
export class Rollouter {
  readonly cluster: GenerationCluster;
  private nextServer = 0;
  private readonly remaining: Int32Array;
  private readonly completed: number[] = [];

  constructor(
    readonly table: SampleTable,
    cost: GenerationStepCost,
    limits: EngineLimits,
    readonly servers: number,
    startS: number,
  ) {
    this.remaining = new Int32Array(table.prompts);
    for (let g = 0; g < table.prompts; g++) this.remaining[g] = table.firstSampleOfGroup[g + 1]! - table.firstSampleOfGroup[g]!;
    this.cluster = createGenerationCluster({
      cost,
      limits,
      assignment: Array.from({ length: servers }, () => []),
      sampleCount: table.count,
      startS,
      onFinish: (finish) => {
        const group = table.groupOf[finish.sampleId]!;
        this.remaining[group]!--;
        if (this.remaining[group] === 0) this.completed.push(group);
      },
    });
  }

  get nowS(): number {
    return this.cluster.nowS;
  }

  /** Sends every response of prompt `group` at `atS`. */
  submit(group: number, atS: number): void {
    const t = this.table;
    for (let id = t.firstSampleOfGroup[group]!; id < t.firstSampleOfGroup[group + 1]!; id++) {
      const server = this.take();
      this.cluster.enqueue(server, [{ groupIndex: group, promptTokens: t.promptTokens[id]!, sampleIds: [id], responseTokens: [t.responseTokens[id]!] }], atS);
    }
  }

  /** Sends an interrupted prompt's unfinished responses again at `atS` (prefill of prompt + generated). */
  resume(prompt: InterruptedPrompt, atS: number): void {
    for (const state of prompt.states) this.cluster.addSequences(this.take(), [{ ...state, kvResident: false }], atS);
  }

  /**
   * Runs the servers until a prompt completes (true; take it with `takeCompleted`), nothing is
   * left to run, or the next event is after `untilS` (false).
   */
  runToCompletion(untilS = Infinity): boolean {
    return this.cluster.runUntil(() => this.completed.length > 0, untilS);
  }

  takeCompleted(): number[] {
    return this.completed.splice(0, this.completed.length);
  }

  /** Prompts not yet complete among those sent. */
  get unfinishedSequences(): number {
    return this.cluster.unfinishedCount;
  }

  /**
   * Cancels every unfinished response on every server at its first step boundary at or after
   * `atS` (a step in flight is not cut); returns them by prompt, in the order their prompts were
   * first met, and when the last server stopped.
   */
  interruptAll(atS: number): { prompts: InterruptedPrompt[]; atS: number; sequences: number; generatedTokens: number } {
    const byGroup = new Map<number, SequenceState[]>();
    let stoppedS = atS;
    let sequences = 0;
    let generatedTokens = 0;
    for (let i = 0; i < this.servers; i++) {
      const taken = this.cluster.takeUnfinished(i, atS);
      stoppedS = Math.max(stoppedS, taken.atS);
      for (const state of taken.states) {
        let list = byGroup.get(state.groupIndex);
        if (!list) byGroup.set(state.groupIndex, (list = []));
        list.push(state);
        sequences++;
        generatedTokens += state.generatedTokens;
      }
    }
    const groups = [...byGroup.keys()].sort((a, b) => a - b);
    return { prompts: groups.map((group) => ({ group, states: byGroup.get(group)! })), atS: stoppedS, sequences, generatedTokens };
  }

  private take(): number {
    const server = this.nextServer;
    this.nextServer = (this.nextServer + 1) % this.servers;
    return server;
  }
}
