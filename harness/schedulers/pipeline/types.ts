/**
 * A pipeline-parallel training schedule problem: several pipelines (models, or replicas of one
 * model) whose stages sit on shared nodes (a node is one stage slot, i.e. one TP group). Every
 * micro-batch runs a forward task F on each stage in order and then a backward task B on each
 * stage in reverse order. A schedule is a task order per node; the evaluator turns it into times.
 *
 * Durations share one unit per problem: seconds when a cost model supplies them, abstract units
 * (the FlexFusion artifact's f = 5, B = 2f) otherwise.
 */
export type TaskKind = 'F' | 'B';

export interface PipelineSpec {
  /** The model this pipeline trains, e.g. 'actor' or 'critic'; replicas of one model share it. */
  readonly model: string;
  /** Which replica of `model` this pipeline is (0 for a model with a single pipeline). */
  readonly replica: number;
  readonly microBatches: number;
  /** The node that holds forward stage s (stage 0 first); every stage on a different node. */
  readonly stageNodes: readonly number[];
  /** Duration of one micro-batch's F on stage s. */
  readonly forwardDurations: readonly number[];
  /** Duration of one micro-batch's B on stage s. */
  readonly backwardDurations: readonly number[];
  /** Activation memory a micro-batch holds on stage s from its F until its B ends. */
  readonly activationPerMicroBatch: readonly number[];
}

export interface PipelineProblem {
  readonly nodeCount: number;
  readonly pipelines: readonly PipelineSpec[];
  /**
   * Time to send an activation or gradient from one node to another (added when a task's
   * predecessor ran on a different node). 0, the default, is communication-free like the artifact.
   */
  readonly sendDuration?: number;
  /** Memory cap per node; a schedule whose node memory ever exceeds it is infeasible. */
  readonly memoryLimit?: number;
}

/** One entry of a node's order. Which micro-batch it is follows from the order: the k-th F of a pipeline on a node is micro-batch k. */
export interface TaskRef {
  readonly pipeline: number;
  readonly kind: TaskKind;
}

/** A schedule: for each node, the tasks it runs in order. */
export type NodeOrders = readonly (readonly TaskRef[])[];

/** Lexicographic quality of a schedule (the artifact's objective, §3.5), lower is better in every field. */
export interface ScheduleScore {
  readonly makespan: number;
  /** Max over nodes and time of the node's activation memory. */
  readonly peakMemory: number;
  /** Sum over nodes of each node's peak activation memory. */
  readonly sumNodePeakMemory: number;
  /** Sum of every task's finish time. */
  readonly sumFinishTimes: number;
}

export type InfeasibleReason = 'deadlock' | 'memory-limit';

export type Evaluation =
  | ({ readonly feasible: true } & ScheduleScore)
  | { readonly feasible: false; readonly reason: InfeasibleReason };

/** One task of an evaluated schedule, with its times. */
export interface ScheduledTask {
  readonly node: number;
  readonly pipeline: number;
  readonly model: string;
  readonly replica: number;
  readonly microBatch: number;
  /** The forward stage index this task belongs to (a B on stage s has stage s). */
  readonly stage: number;
  readonly kind: TaskKind;
  readonly start: number;
  readonly end: number;
  /** Node memory right after this task (F adds its activation, B frees it). */
  readonly memoryAfter: number;
}

export interface Timeline {
  readonly score: ScheduleScore;
  /** Tasks in node order, then in each node's run order. */
  readonly tasks: readonly ScheduledTask[];
  readonly nodePeakMemory: readonly number[];
}
