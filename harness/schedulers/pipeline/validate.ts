import type { NodeOrders, PipelineProblem, ScheduledTask, TaskKind } from './types.js';

/**
 * An independent check of a schedule, written apart from the evaluator and deliberately simple
 * (string-keyed maps, an explicit graph, a topological sort) so that a bug in the fast evaluator
 * or a search cannot hide behind itself. It rebuilds the start times from the per-node orders
 * and, if given, checks a claimed timeline against them and against every constraint of §3.3.
 */
export interface ValidationReport {
  readonly valid: boolean;
  readonly problems: readonly string[];
  /** Recomputed from the orders (NaN when they deadlock or do not fit the problem). */
  readonly makespan: number;
  readonly peakMemory: number;
}

export interface ValidateOptions {
  /** A timeline someone computed for these orders (e.g. the evaluator's); checked task by task. */
  readonly timeline?: readonly ScheduledTask[];
  /** Per-node memory cap; defaults to the problem's. */
  readonly memoryLimit?: number;
  /** Absolute tolerance on times and memory. */
  readonly tolerance?: number;
}

interface Task {
  readonly key: string;
  readonly node: number;
  readonly pipeline: number;
  readonly microBatch: number;
  readonly stage: number;
  readonly kind: TaskKind;
  readonly duration: number;
  start: number;
  end: number;
}

const taskKey = (pipeline: number, microBatch: number, stage: number, kind: TaskKind) => `${pipeline}/${microBatch}/${stage}/${kind}`;

/** The task a task waits for inside its micro-batch (§3.3 rule 1), or undefined for F on stage 0. */
function chainPredecessorKey(problem: PipelineProblem, task: Pick<Task, 'pipeline' | 'microBatch' | 'stage' | 'kind'>): string | undefined {
  const last = problem.pipelines[task.pipeline]!.stageNodes.length - 1;
  if (task.kind === 'F') return task.stage === 0 ? undefined : taskKey(task.pipeline, task.microBatch, task.stage - 1, 'F');
  return task.stage === last ? taskKey(task.pipeline, task.microBatch, last, 'F') : taskKey(task.pipeline, task.microBatch, task.stage + 1, 'B');
}

export function validateSchedule(problem: PipelineProblem, orders: NodeOrders, options: ValidateOptions = {}): ValidationReport {
  const problems: string[] = [];
  const tolerance = options.tolerance ?? 1e-6;
  const memoryLimit = options.memoryLimit ?? problem.memoryLimit ?? Infinity;
  const send = problem.sendDuration ?? 0;
  const invalid = (): ValidationReport => ({ valid: false, problems, makespan: Number.NaN, peakMemory: Number.NaN });

  // 1. Every order entry names a real task on the right node; every task appears exactly once.
  const tasks = new Map<string, Task>();
  const nodeSequences: Task[][] = [];
  if (orders.length !== problem.nodeCount) {
    problems.push(`orders cover ${orders.length} nodes, the problem has ${problem.nodeCount}`);
    return invalid();
  }
  orders.forEach((order, node) => {
    const seen = new Map<string, number>();
    const sequence: Task[] = [];
    order.forEach((ref, position) => {
      const pipeline = problem.pipelines[ref.pipeline];
      const stage = pipeline?.stageNodes.indexOf(node) ?? -1;
      if (pipeline === undefined || stage < 0) {
        problems.push(`node ${node} position ${position}: pipeline ${ref.pipeline} has no stage on node ${node}`);
        return;
      }
      const counter = `${ref.pipeline}/${ref.kind}`;
      const microBatch = seen.get(counter) ?? 0;
      seen.set(counter, microBatch + 1);
      if (microBatch >= pipeline.microBatches) {
        problems.push(`node ${node}: more than ${pipeline.microBatches} ${ref.kind} tasks of pipeline ${ref.pipeline}`);
        return;
      }
      const duration = ref.kind === 'F' ? pipeline.forwardDurations[stage]! : pipeline.backwardDurations[stage]!;
      const task: Task = { key: taskKey(ref.pipeline, microBatch, stage, ref.kind), node, pipeline: ref.pipeline, microBatch, stage, kind: ref.kind, duration, start: Number.NaN, end: Number.NaN };
      tasks.set(task.key, task);
      sequence.push(task);
    });
    nodeSequences.push(sequence);
  });
  problem.pipelines.forEach((pipeline, p) => {
    for (let microBatch = 0; microBatch < pipeline.microBatches; microBatch++) {
      for (let stage = 0; stage < pipeline.stageNodes.length; stage++) {
        for (const kind of ['F', 'B'] as const) {
          if (!tasks.has(taskKey(p, microBatch, stage, kind))) problems.push(`missing ${kind} of pipeline ${p} micro-batch ${microBatch} stage ${stage} on node ${pipeline.stageNodes[stage]}`);
        }
      }
    }
  });
  if (problems.length > 0) return invalid();

  // 2. Start times by a topological sweep over the explicit graph (node order + chain edges).
  const waitsFor = new Map<string, { task: Task; extra: number }[]>();
  for (const task of tasks.values()) waitsFor.set(task.key, []);
  for (const sequence of nodeSequences) {
    for (let i = 1; i < sequence.length; i++) waitsFor.get(sequence[i]!.key)!.push({ task: sequence[i - 1]!, extra: 0 });
  }
  for (const task of tasks.values()) {
    const before = chainPredecessorKey(problem, task);
    if (before === undefined) continue;
    const predecessor = tasks.get(before)!;
    waitsFor.get(task.key)!.push({ task: predecessor, extra: predecessor.node === task.node ? 0 : send });
  }
  const waitingCount = new Map<string, number>();
  const dependants = new Map<string, Task[]>();
  for (const [key, list] of waitsFor) {
    waitingCount.set(key, list.length);
    for (const { task } of list) {
      if (!dependants.has(task.key)) dependants.set(task.key, []);
      dependants.get(task.key)!.push(tasks.get(key)!);
    }
  }
  const ready = [...tasks.values()].filter((task) => waitingCount.get(task.key) === 0);
  let placed = 0;
  while (ready.length > 0) {
    const task = ready.pop()!;
    task.start = Math.max(0, ...waitsFor.get(task.key)!.map(({ task: before, extra }) => before.end + extra));
    task.end = task.start + task.duration;
    placed++;
    for (const next of dependants.get(task.key) ?? []) {
      const left = waitingCount.get(next.key)! - 1;
      waitingCount.set(next.key, left);
      if (left === 0) ready.push(next);
    }
  }
  if (placed < tasks.size) {
    problems.push(`the orders deadlock: ${tasks.size - placed} of ${tasks.size} tasks can never start`);
    return invalid();
  }

  // 3. The times to check: a claimed timeline if given (it must match the recomputed one), else the recomputed ones.
  const times = new Map<string, { start: number; end: number; node: number }>();
  if (options.timeline !== undefined) {
    for (const claimed of options.timeline) {
      const key = taskKey(claimed.pipeline, claimed.microBatch, claimed.stage, claimed.kind);
      const reference = tasks.get(key);
      if (reference === undefined) {
        problems.push(`timeline has a task that does not exist: ${key}`);
        continue;
      }
      if (times.has(key)) problems.push(`timeline lists ${key} twice`);
      times.set(key, { start: claimed.start, end: claimed.end, node: claimed.node });
      if (claimed.node !== reference.node) problems.push(`${key} runs on node ${claimed.node}, its stage is on node ${reference.node}`);
      if (Math.abs(claimed.start - reference.start) > tolerance || Math.abs(claimed.end - reference.end) > tolerance) {
        problems.push(`${key} claimed [${claimed.start}, ${claimed.end}], the orders give [${reference.start}, ${reference.end}]`);
      }
    }
    if (times.size !== tasks.size) problems.push(`timeline has ${times.size} distinct tasks, the problem ${tasks.size}`);
  } else {
    for (const task of tasks.values()) times.set(task.key, { start: task.start, end: task.end, node: task.node });
  }
  const timeOf = (key: string) => times.get(key) ?? { start: Number.NaN, end: Number.NaN, node: -1 };

  // 4. Constraints on those times: durations, chain dependencies, per-node micro-batch order, no overlap.
  for (const task of tasks.values()) {
    const t = timeOf(task.key);
    if (!(t.start >= -tolerance)) problems.push(`${task.key} starts at ${t.start}`);
    if (Math.abs(t.end - t.start - task.duration) > tolerance) problems.push(`${task.key} lasts ${t.end - t.start}, expected ${task.duration}`);
    const before = chainPredecessorKey(problem, task);
    if (before !== undefined) {
      const b = timeOf(before);
      const extra = tasks.get(before)!.node === task.node ? 0 : send;
      if (t.start < b.end + extra - tolerance) problems.push(`${task.key} starts at ${t.start} before ${before} ends (${b.end}${extra > 0 ? ` + send ${extra}` : ''})`);
    }
    if (task.microBatch > 0) {
      const previous = timeOf(taskKey(task.pipeline, task.microBatch - 1, task.stage, task.kind));
      if (t.start < previous.start) problems.push(`${task.key} starts before micro-batch ${task.microBatch - 1}'s ${task.kind} on the same stage`);
    }
  }
  for (let node = 0; node < problem.nodeCount; node++) {
    const onNode = [...tasks.values()].filter((task) => timeOf(task.key).node === node).sort((a, b) => timeOf(a.key).start - timeOf(b.key).start || timeOf(a.key).end - timeOf(b.key).end);
    for (let i = 1; i < onNode.length; i++) {
      const previous = timeOf(onNode[i - 1]!.key);
      const current = timeOf(onNode[i]!.key);
      if (current.start < previous.end - tolerance) problems.push(`node ${node}: ${onNode[i]!.key} overlaps ${onNode[i - 1]!.key}`);
    }
  }

  // 5. Memory: a node holds a micro-batch's activation on a stage from its F until its B ends.
  let peakMemory = 0;
  let makespan = 0;
  for (const sequence of nodeSequences) {
    let memory = 0;
    for (const task of sequence) {
      const activation = problem.pipelines[task.pipeline]!.activationPerMicroBatch[task.stage]!;
      memory += task.kind === 'F' ? activation : -activation;
      peakMemory = Math.max(peakMemory, memory);
      makespan = Math.max(makespan, task.end);
    }
  }
  if (peakMemory > memoryLimit + tolerance) problems.push(`peak memory ${peakMemory} exceeds the limit ${memoryLimit}`);
  return { valid: problems.length === 0, problems, makespan, peakMemory };
}
