import type { Case, CaseKind } from '../../jobs/cases.js';
import { scheduleTimeline } from '../../schedulers/pipeline/evaluate.js';
import { flexFusionInstances } from '../../schedulers/rlhfuse/fused-pipeline/flexfusion-instances.js';
import { fusedLayout } from '../../schedulers/rlhfuse/fused-pipeline/layout.js';
import { searchFusedSchedule } from '../../schedulers/rlhfuse/fused-pipeline/search.js';
import { serialOneFOneBLatency } from '../../schedulers/rlhfuse/fused-pipeline/serial-baseline.js';
import { InputError } from '../../util/input-error.js';

/**
 * RLHFuse's intra-stage search on one published FlexFusion instance (the artifact's problem
 * inputs; its results are targets and stay in baselines/paper): the searched schedule's makespan
 * and peak activation memory, the greedy's, the lower bound and serial 1F1B, and optionally the
 * searched schedule's tasks for the Gantt chart. Deterministic: an evaluation budget, no clock.
 */
export const PIPELINE_KIND = 'reproduce-pipeline';

export interface PipelineCase extends Case {
  readonly kind: typeof PIPELINE_KIND;
  readonly instance: number;
  readonly seed: number;
  readonly latencyEvaluations: number;
  readonly memoryEvaluations: number;
  readonly gantt: boolean;
}

export interface GanttTask {
  readonly node: number;
  readonly model: string;
  readonly replica: number;
  readonly kind: 'F' | 'B';
  readonly microBatch: number;
  readonly stage: number;
  readonly start: number;
  readonly end: number;
}

export interface PipelineResult {
  readonly name: string;
  readonly makespan: number;
  readonly peakMemory: number;
  readonly greedyMakespan: number;
  readonly greedyPeakMemory: number;
  readonly lowerBound: number;
  /** The serial-1F1B stage-0 peak (the artifact's "memory lower bound": a reference, not a bound). */
  readonly memoryLowerBound: number;
  /** A proven lower bound on the peak memory of any schedule with the searched makespan. */
  readonly provenMemoryLowerBound: number;
  readonly serialOneFOneB: number;
  readonly stoppedBy: string;
  readonly evaluations: { readonly latency: number; readonly memory: number };
  readonly gantt?: readonly GanttTask[];
}

export function runPipelineCase(testCase: PipelineCase): PipelineResult {
  const instance = flexFusionInstances[testCase.instance];
  if (!instance) throw new InputError({ file: testCase.id, field: 'instance', value: testCase.instance, message: `no FlexFusion experiment ${testCase.instance}` });
  const layout = fusedLayout(instance.spec);
  const result = searchFusedSchedule(layout, { seed: testCase.seed, latencyEvaluations: testCase.latencyEvaluations, memoryEvaluations: testCase.memoryEvaluations });
  let gantt: GanttTask[] | undefined;
  if (testCase.gantt) {
    const timeline = scheduleTimeline(layout.problem, result.best.orders);
    if (!timeline.feasible) throw new Error(`searched schedule of ${instance.name} is infeasible (${timeline.reason}): a bug in the search`);
    gantt = timeline.tasks.map((task) => ({ node: task.node, model: task.model, replica: task.replica, kind: task.kind, microBatch: task.microBatch, stage: task.stage, start: task.start, end: task.end }));
  }
  return {
    name: instance.name,
    makespan: result.best.score.makespan,
    peakMemory: result.best.score.peakMemory,
    greedyMakespan: result.greedy.score.makespan,
    greedyPeakMemory: result.greedy.score.peakMemory,
    lowerBound: result.bounds.lowerBound,
    memoryLowerBound: result.memoryLowerBound,
    provenMemoryLowerBound: result.provenMemoryLowerBound,
    serialOneFOneB: serialOneFOneBLatency(layout.problem),
    stoppedBy: result.stoppedBy,
    evaluations: result.evaluations,
    ...(gantt ? { gantt } : {}),
  };
}

export const pipelineKind: CaseKind<PipelineCase, PipelineResult> = { kind: PIPELINE_KIND, run: (testCase) => runPipelineCase(testCase) };
