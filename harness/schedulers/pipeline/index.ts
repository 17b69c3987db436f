/** Pipeline-parallel schedules: problem, evaluation, 1F1B orders, validation, list scheduling, local search, memory descent. */
export type { Evaluation, InfeasibleReason, NodeOrders, PipelineProblem, PipelineSpec, ScheduledTask, ScheduleScore, TaskKind, TaskRef, Timeline } from './types.js';
export { compileProblem, decodeOrders, encodeOrders, orderShapeErrors, problemErrors, type CompiledProblem } from './problem.js';
export { evaluateSchedule, scheduleTimeline, ScheduleEvaluator, type ScheduleSnapshot } from './evaluate.js';
export { compareScores, compareWithTolerance } from './objective.js';
export { oneFOneBOrders, oneFOneBStageOrder } from './one-f-one-b.js';
export { validateSchedule, type ValidateOptions, type ValidationReport } from './validate.js';
export { listScheduleOrders, type ListScheduleRule } from './list-schedule.js';
export { annealMakespan, annealMemory, type AnnealOutcome, type MakespanAnnealOptions, type MemoryAnnealOptions } from './anneal.js';
export { descendMemory, memoryLevels, type DescentStart, type MemoryDescentOptions, type MemoryDescentOutcome, type MemoryProbe } from './memory-descent.js';
export { peakMemoryLowerBound } from './memory-bound.js';
export { soloOneFOneBLatestStarts } from './solo-latest-starts.js';
export { BudgetMeter, type EvaluationMeter, type SearchBudget } from './search-budget.js';
