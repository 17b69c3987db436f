import type { GpuTraceSummary } from '../traces/gpu/summarize.js';
import type { GpuAnnotation, GpuTrace } from '../traces/gpu/types.js';
import { matchAnnotation, stageOrder, type StageMap, type StageMatch } from './stage-map.js';

/**
 * What a recorded GPU trace says about the run, in the simulator's terms: per step, its time and
 * the seconds of each mapped stage; which annotation names were mapped to which stage, and which
 * were not. Pure: a trace, its summary and a stage map in, plain data out.
 */
export interface RecordedStep {
  /** N of `ProfilerStep#N`, or the occurrence number when steps are inferred. */
  readonly step: number;
  /** Seconds from the start of the trace's span; undefined when steps are inferred. */
  readonly startS: number | undefined;
  /** The slowest rank's step time; undefined when there are no step markers. */
  readonly durationS: number | undefined;
  /** Mean busy share of the step over the GPUs; undefined when there are no step markers. */
  readonly busyFraction: number | undefined;
  /** Seconds per mapped stage (mean over ranks; names mapped to one stage are added). */
  readonly stagesS: Readonly<Record<string, number>>;
}

/** One recorded annotation name and what it was mapped to (null: nothing). */
export interface AnnotationUse {
  readonly name: string;
  readonly stage: string | null;
  readonly tasks: readonly string[] | null;
  readonly via: StageMatch['via'] | null;
  /** Ranges recorded (over all ranks). */
  readonly count: number;
  readonly totalS: number;
}

export type StepSource = 'profiler-steps' | 'stage-occurrences' | 'none';

export interface RecordedRun {
  readonly format: string;
  readonly files: number;
  /** GPUs the trace recorded. */
  readonly gpus: number;
  /** GPUs of the run: the world size every file reports, else the GPUs recorded. */
  readonly runGpus: number;
  readonly spanS: number;
  /** Where the steps come from: ProfilerStep#N markers, the k-th range of each stage, or nowhere. */
  readonly stepsFrom: StepSource;
  readonly steps: readonly RecordedStep[];
  readonly annotations: readonly AnnotationUse[];
  /** Stages at least one annotation was mapped to, in the map's order. */
  readonly matchedStages: readonly string[];
  /** Mean over the GPUs of their busy share of the span; null without GPUs. */
  readonly busyFraction: number | null;
  readonly notes: readonly string[];
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

function runGpusOf(trace: GpuTrace, gpus: number): number {
  const sizes = new Set(trace.ranks.map((r) => r.worldSize));
  const [only] = [...sizes];
  return sizes.size === 1 && only !== undefined && only >= gpus ? only : gpus;
}

/** Adds seconds of annotation names into their stages. */
function toStages(byName: Readonly<Record<string, number>>, matches: ReadonlyMap<string, StageMatch>): Record<string, number> {
  const stages: Record<string, number> = {};
  for (const name of Object.keys(byName).sort()) {
    const match = matches.get(name);
    if (match) stages[match.stage] = (stages[match.stage] ?? 0) + byName[name]!;
  }
  return stages;
}

/** Stage ranges as `traces gpu` selects them: GPU-side where a file recorded the name there, else CPU-side. */
function stageRanges(trace: GpuTrace, names: ReadonlySet<string>): GpuAnnotation[] {
  const gpuSide = new Set<string>();
  for (const a of trace.annotations) if (a.step === undefined && a.source === 'gpu' && names.has(a.name)) gpuSide.add(`${a.fileIndex}\u0000${a.name}`);
  return trace.annotations.filter((a) => a.step === undefined && names.has(a.name) && (a.source === 'gpu' || !gpuSide.has(`${a.fileIndex}\u0000${a.name}`)));
}

/**
 * Steps for a trace without ProfilerStep markers: the k-th range of each mapped name on a rank is
 * taken as step k (each stage runs once per iteration in the sequential frameworks), averaged
 * over the ranks that recorded it.
 */
function stepsFromOccurrences(trace: GpuTrace, matches: ReadonlyMap<string, StageMatch>): RecordedStep[] {
  const byLane = new Map<string, Map<string, GpuAnnotation[]>>();
  for (const a of stageRanges(trace, new Set(matches.keys()))) {
    const lane = `${a.fileIndex}\u0000${a.deviceId ?? 'cpu'}`;
    let names = byLane.get(lane);
    if (!names) byLane.set(lane, (names = new Map()));
    const list = names.get(a.name) ?? [];
    list.push(a);
    names.set(a.name, list);
  }
  const perStep = new Map<number, Record<string, number>[]>();
  for (const lane of [...byLane.keys()].sort()) {
    const names = byLane.get(lane)!;
    const steps = new Map<number, Record<string, number>>();
    for (const name of [...names.keys()].sort()) {
      const ranges = names.get(name)!.sort((a, b) => a.startS - b.startS);
      ranges.forEach((range, k) => {
        const record = steps.get(k) ?? {};
        record[name] = (record[name] ?? 0) + (range.endS - range.startS);
        steps.set(k, record);
      });
    }
    for (const [k, record] of steps) perStep.set(k, [...(perStep.get(k) ?? []), toStages(record, matches)]);
  }
  return [...perStep.keys()]
    .sort((a, b) => a - b)
    .map((step) => {
      const lanes = perStep.get(step)!;
      const stages = [...new Set(lanes.flatMap((l) => Object.keys(l)))].sort();
      const stagesS = Object.fromEntries(stages.map((stage) => [stage, mean(lanes.filter((l) => stage in l).map((l) => l[stage]!))]));
      return { step, startS: undefined, durationS: undefined, busyFraction: undefined, stagesS };
    });
}

export function measureRecordedRun(trace: GpuTrace, summary: GpuTraceSummary, map: StageMap): RecordedRun {
  const notes: string[] = [];
  const matches = new Map<string, StageMatch>();
  for (const stage of summary.stages) {
    const match = matchAnnotation(map, stage.name);
    if (match) matches.set(stage.name, match);
  }
  const annotations: AnnotationUse[] = summary.stages.map((s) => {
    const match = matches.get(s.name);
    return { name: s.name, stage: match?.stage ?? null, tasks: match?.tasks ?? null, via: match?.via ?? null, count: s.count, totalS: s.totalS };
  });
  const order = stageOrder(map);
  const matchedStages = order.filter((stage) => [...matches.values()].some((m) => m.stage === stage));

  for (const stage of matchedStages) {
    const names = [...matches].filter(([, m]) => m.stage === stage).map(([name]) => name).sort();
    if (names.length > 1) notes.push(`annotations ${names.map((n) => `'${n}'`).join(', ')} all map to stage '${stage}': their times are added`);
  }
  if (summary.stages.length === 0) notes.push('the trace has no stage annotations (user_annotation / gpu_user_annotation ranges)');
  else if (matches.size === 0) {
    const names = summary.stages.slice(0, 8).map((s) => `'${s.name}'`).join(', ');
    notes.push(
      `no annotation matched an RLHF stage (recorded: ${names}${summary.stages.length > 8 ? ', …' : ''}): only step times and utilisation are compared; map names to stages with --stage-map`,
    );
  }

  let stepsFrom: StepSource = 'none';
  let steps: RecordedStep[] = [];
  if (summary.steps.length > 0) {
    stepsFrom = 'profiler-steps';
    steps = summary.steps.map((s) => ({ step: s.step, startS: s.startS, durationS: s.durationS, busyFraction: s.busyFraction, stagesS: toStages(s.stagesS, matches) }));
  } else if (matches.size > 0) {
    stepsFrom = 'stage-occurrences';
    steps = stepsFromOccurrences(trace, matches);
    notes.push('no ProfilerStep#N markers: the k-th range of each stage on a rank is taken as step k, and there is no step time to compare');
  } else {
    notes.push('no ProfilerStep#N markers and no mapped stages: only utilisation is compared');
  }

  const gpus = summary.gpus.length;
  return {
    format: summary.format,
    files: summary.sources.length,
    gpus,
    runGpus: runGpusOf(trace, gpus),
    spanS: summary.spanS,
    stepsFrom,
    steps,
    annotations,
    matchedStages,
    busyFraction: gpus > 0 ? mean(summary.gpus.map((g) => g.busyFraction)) : null,
    notes,
  };
}
