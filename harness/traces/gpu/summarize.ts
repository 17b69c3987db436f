import { OpActivity, SampledActivity, type DeviceActivity } from './device-activity.js';
import { KERNEL_CLASS_OTHER } from './kernel-classes.js';
import { GPU_OP_KINDS, type GpuAnnotation, type GpuTrace, type KernelNameStats } from './types.js';

/**
 * What a recorded GPU trace says about the run: per-GPU busy time (the union of operation
 * intervals across streams), idle gaps, time by kernel class, per-stage and per-step times,
 * and utilisation over time. Pure: a GpuTrace in, plain JSON-safe data out. Every time in the
 * summary is seconds from the start of the trace's span.
 */
export interface GpuTraceSummaryOptions {
  /** Idle gaps shorter than this are not counted, seconds. */
  readonly idleGapS: number;
  /** Utilisation bin width, seconds; chosen from the span when absent. */
  readonly binS?: number;
  /** Upper bound on bins per GPU when the width is chosen automatically. */
  readonly maxBins?: number;
  /** Longest gaps listed per GPU. */
  readonly gapsListed?: number;
  /** Kernel names listed by total time. */
  readonly topKernels?: number;
}

export const DEFAULT_IDLE_GAP_S = 0.001;
const DEFAULT_MAX_BINS = 400;

export interface GpuIdleGap {
  readonly startS: number;
  readonly durationS: number;
}

export interface GpuSummary {
  readonly id: string;
  readonly index: number;
  readonly rank: number | null;
  readonly file: string;
  /** GPU name as recorded, or null. */
  readonly name: string | null;
  /** Cost-model catalog id where the name maps to one, else the recorded name, else null. */
  readonly device: string | null;
  readonly catalogId: string | null;
  /** Kernels recorded (null for sampled logs). */
  readonly kernels: number | null;
  /** Memory copies and sets recorded (null for sampled logs). */
  readonly memoryOps: number | null;
  /** Busy seconds: the union of operation intervals, or utilisation × time for sampled logs. */
  readonly busyS: number;
  /** busyS over the seconds of the span the data covers. */
  readonly busyFraction: number;
  /** How busy is measured: 'kernel-union' or the sampled counter ('utilization.gpu', 'GPUTL', …). */
  readonly busyMeasure: string;
  /** Seconds of operations per kernel class, summed over streams (null for sampled logs). */
  readonly byKernelClass: Readonly<Record<string, number>> | null;
  readonly ncclS: number | null;
  readonly idle: { readonly gaps: number; readonly totalS: number; readonly longest: readonly GpuIdleGap[] };
}

export interface GpuStageSummary {
  readonly name: string;
  /** Which ranges were used: GPU-side (`gpu_user_annotation`) where recorded, else CPU-side. */
  readonly source: 'gpu' | 'cpu' | 'mixed';
  readonly count: number;
  readonly totalS: number;
  readonly meanS: number;
  /** GPU busy seconds inside the stage's ranges (for CPU-side ranges, averaged over the file's GPUs). */
  readonly gpuBusyS: number;
}

export interface GpuStepSummary {
  /** N of `ProfilerStep#N`. */
  readonly step: number;
  /** Files (ranks) that recorded the step. */
  readonly files: number;
  readonly source: 'gpu' | 'cpu' | 'mixed';
  readonly startS: number;
  /** The slowest rank's step time: the iteration time. */
  readonly durationS: number;
  readonly meanDurationS: number;
  /** Mean over the GPUs of the busy share of the step. */
  readonly busyFraction: number;
  /** Seconds per stage annotation that started inside the step (mean over files). */
  readonly stagesS: Readonly<Record<string, number>>;
}

export interface GpuUtilizationSeries {
  readonly gpu: string;
  readonly measure: string;
  /** Utilisation in [0, 1] per bin; null where the data covers none of the bin. */
  readonly utilization: readonly (number | null)[];
}

export interface GpuTraceSummary {
  readonly format: string;
  readonly sources: readonly string[];
  readonly ranks: readonly { readonly file: string; readonly rank: number | null; readonly worldSize: number | null }[];
  readonly spanS: number;
  /**
   * Where the span starts on the trace's clock (`GpuTrace` times, as `deviceActivities` uses
   * them): add it to a summary time to query a DeviceActivity.
   */
  readonly spanStartS: number;
  readonly gpus: readonly GpuSummary[];
  /** Seconds of operations per kernel class over every GPU and stream (not a union). */
  readonly byKernelClass: Readonly<Record<string, number>>;
  /** NCCL share of all operation time, or null without operations. */
  readonly ncclShare: number | null;
  readonly stages: readonly GpuStageSummary[];
  readonly steps: readonly GpuStepSummary[];
  readonly topKernels: readonly KernelNameStats[];
  readonly idleGapThresholdS: number;
  /** Utilisation over time: bin k covers `[k·binS, (k+1)·binS)` from the span's start. */
  readonly utilization: { readonly binS: number; readonly bins: number; readonly series: readonly GpuUtilizationSeries[] };
  /** The profiler's recording window, when the trace has one, seconds. */
  readonly profilerWindowS: number | null;
  readonly notes: readonly string[];
}

/** Per-GPU activity, keyed by device id, in the trace's device order. */
export function deviceActivities(trace: GpuTrace): Map<string, DeviceActivity> {
  const activities = new Map<string, DeviceActivity>();
  for (const { device, ops, samples } of trace.devices) {
    if (ops && ops.count > 0) activities.set(device.id, new OpActivity(ops));
    else if (samples && samples.tS.length > 0) activities.set(device.id, new SampledActivity(samples));
  }
  return activities;
}

/** 1, 2 or 5 × 10^k, the smallest not below `x`. */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 1e-6;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * power >= x * (1 - 1e-12)) return m * power;
  return 10 * power;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function summarizeGpuTrace(trace: GpuTrace, options: GpuTraceSummaryOptions, activities: Map<string, DeviceActivity> = deviceActivities(trace)): GpuTraceSummary {
  // The span: everything recorded on a GPU, plus the annotated ranges.
  let spanStart = Infinity;
  let spanEnd = -Infinity;
  for (const activity of activities.values()) {
    if (!activity.extent) continue;
    spanStart = Math.min(spanStart, activity.extent.startS);
    spanEnd = Math.max(spanEnd, activity.extent.endS);
  }
  for (const a of trace.annotations) {
    spanStart = Math.min(spanStart, a.startS);
    spanEnd = Math.max(spanEnd, a.endS);
  }
  if (!Number.isFinite(spanStart)) {
    spanStart = 0;
    spanEnd = 0;
  }
  const spanS = spanEnd - spanStart;
  const rel = (t: number) => t - spanStart;

  const classes = trace.kernelClasses;
  const ncclIndex = classes.indexOf('nccl');
  const memcpyKind = GPU_OP_KINDS.indexOf('memcpy');
  const memsetKind = GPU_OP_KINDS.indexOf('memset');
  const totalByClass = new Float64Array(classes.length);
  const gapsListed = options.gapsListed ?? 10;

  const gpus: GpuSummary[] = trace.devices.map(({ device, ops, samples }) => {
    const activity = activities.get(device.id);
    const busyS = activity ? activity.busyWithin(spanStart, spanEnd) : 0;
    const coveredS = activity ? activity.coveredWithin(spanStart, spanEnd) : 0;
    const gaps = activity ? activity.idleGaps(spanStart, spanEnd, options.idleGapS) : [];
    let byKernelClass: Record<string, number> | null = null;
    let kernels: number | null = null;
    let memoryOps: number | null = null;
    if (ops) {
      const perClass = new Float64Array(classes.length);
      kernels = 0;
      memoryOps = 0;
      for (let i = 0; i < ops.count; i++) {
        const k = ops.classIndex[i] as number;
        perClass[k] = (perClass[k] as number) + (ops.endS[i] as number) - (ops.startS[i] as number);
        const kind = ops.kind[i] as number;
        if (kind === memcpyKind || kind === memsetKind) memoryOps++;
        else kernels++;
      }
      byKernelClass = Object.fromEntries(classes.map((name, k) => [name, perClass[k] as number]));
      perClass.forEach((seconds, k) => (totalByClass[k] = (totalByClass[k] as number) + seconds));
    }
    const longest = [...gaps]
      .sort((a, b) => b.endS - b.startS - (a.endS - a.startS) || a.startS - b.startS)
      .slice(0, gapsListed)
      .map((g) => ({ startS: rel(g.startS), durationS: g.endS - g.startS }));
    return {
      id: device.id,
      index: device.index,
      rank: device.rank ?? null,
      file: device.file,
      name: device.rawName ?? null,
      device: device.catalogId ?? device.rawName ?? null,
      catalogId: device.catalogId ?? null,
      kernels,
      memoryOps,
      busyS,
      busyFraction: coveredS > 0 ? busyS / coveredS : 0,
      busyMeasure: ops ? 'kernel-union' : (samples?.metric ?? 'none'),
      byKernelClass,
      ncclS: byKernelClass && ncclIndex >= 0 ? (byKernelClass.nccl ?? 0) : null,
      idle: { gaps: gaps.length, totalS: gaps.reduce((sum, g) => sum + (g.endS - g.startS), 0), longest },
    };
  });

  const hasOps = trace.devices.some((d) => d.ops);
  const byKernelClass: Record<string, number> = hasOps ? Object.fromEntries(classes.map((name, k) => [name, totalByClass[k] as number])) : {};
  const allOpsS = totalByClass.reduce((a, b) => a + b, 0);
  const ncclShare = hasOps && allOpsS > 0 ? (ncclIndex >= 0 ? (totalByClass[ncclIndex] as number) : 0) / allOpsS : null;

  const { stages, selected } = summarizeStages(trace, activities);
  const steps = summarizeSteps(trace, activities, selected, rel);

  let binS = options.binS ?? niceCeil(spanS / (options.maxBins ?? DEFAULT_MAX_BINS));
  if (options.binS === undefined) {
    for (const activity of activities.values()) if (activity instanceof SampledActivity) binS = Math.max(binS, niceCeil(activity.periodS));
  }
  const bins = spanS > 0 ? Math.max(1, Math.ceil(spanS / binS - 1e-9)) : 0;
  const series: GpuUtilizationSeries[] = gpus.map((gpu) => {
    const activity = activities.get(gpu.id);
    const values = activity && bins > 0 ? activity.perBin(spanStart, spanEnd, binS) : new Float64Array(bins);
    return { gpu: gpu.id, measure: gpu.busyMeasure, utilization: Array.from(values, (v) => (Number.isNaN(v) ? null : v)) };
  });

  const window = trace.profilerWindows.length > 0 ? Math.max(...trace.profilerWindows.map((w) => w.endS)) - Math.min(...trace.profilerWindows.map((w) => w.startS)) : null;
  return {
    format: trace.format,
    sources: trace.sources,
    ranks: trace.ranks.map((r) => ({ file: r.file, rank: r.rank ?? null, worldSize: r.worldSize ?? null })),
    spanS,
    spanStartS: spanStart,
    gpus,
    byKernelClass,
    ncclShare,
    stages,
    steps,
    topKernels: trace.kernelNames.slice(0, options.topKernels ?? 15),
    idleGapThresholdS: options.idleGapS,
    utilization: { binS, bins, series },
    profilerWindowS: window,
    notes: [...trace.notes, ...coverageNotes(trace)],
  };
}

function coverageNotes(trace: GpuTrace): string[] {
  const notes: string[] = [];
  const worldSizes = [...new Set(trace.ranks.map((r) => r.worldSize).filter((w): w is number => w !== undefined))];
  if (worldSizes.length === 1 && (worldSizes[0] as number) > trace.ranks.length) {
    notes.push(`${trace.ranks.length} of ${worldSizes[0]} ranks recorded: figures describe these ranks only`);
  }
  if (trace.sources.length > 1 && trace.format === 'kineto') {
    notes.push('ranks are aligned on their recorded clocks as they are (no clock-skew correction)');
  }
  if (trace.kernelClasses.includes(KERNEL_CLASS_OTHER) && trace.kernelNames.length > 0) {
    const other = trace.kernelNames.filter((k) => k.kernelClass === KERNEL_CLASS_OTHER).reduce((s, k) => s + k.totalS, 0);
    const all = trace.kernelNames.reduce((s, k) => s + k.totalS, 0);
    if (all > 0 && other / all > 0.25) {
      notes.push(`${Math.round((100 * other) / all)}% of operation time is in class 'other': add rules with --kernel-classes to classify it`);
    }
  }
  return notes;
}

interface SelectedStage {
  readonly annotation: GpuAnnotation;
}

/** Stage ranges: GPU-side where a file recorded them for that name, else CPU-side; steps excluded. */
function selectStageRanges(trace: GpuTrace): GpuAnnotation[] {
  const gpuNamesByFile = new Set<string>();
  for (const a of trace.annotations) if (a.step === undefined && a.source === 'gpu') gpuNamesByFile.add(`${a.fileIndex}\u0000${a.name}`);
  return trace.annotations.filter(
    (a) => a.step === undefined && (a.source === 'gpu' || !gpuNamesByFile.has(`${a.fileIndex}\u0000${a.name}`)),
  );
}

function busyInRange(trace: GpuTrace, activities: Map<string, DeviceActivity>, a: GpuAnnotation): number {
  if (a.deviceId !== undefined) return activities.get(a.deviceId)?.busyWithin(a.startS, a.endS) ?? 0;
  const file = trace.sources[a.fileIndex];
  const devices = trace.devices.filter((d) => d.device.file === file).map((d) => activities.get(d.device.id)).filter((x): x is DeviceActivity => !!x);
  if (devices.length === 0) return 0;
  return devices.reduce((sum, activity) => sum + activity.busyWithin(a.startS, a.endS), 0) / devices.length;
}

function summarizeStages(trace: GpuTrace, activities: Map<string, DeviceActivity>): { stages: GpuStageSummary[]; selected: SelectedStage[] } {
  const ranges = selectStageRanges(trace);
  const byStage = new Map<string, { sources: Set<string>; count: number; totalS: number; gpuBusyS: number }>();
  for (const a of ranges) {
    let stage = byStage.get(a.name);
    if (!stage) {
      stage = { sources: new Set(), count: 0, totalS: 0, gpuBusyS: 0 };
      byStage.set(a.name, stage);
    }
    stage.sources.add(a.source);
    stage.count++;
    stage.totalS += a.endS - a.startS;
    stage.gpuBusyS += busyInRange(trace, activities, a);
  }
  const stages = [...byStage.entries()]
    .map(([name, s]) => ({
      name,
      source: (s.sources.size > 1 ? 'mixed' : [...s.sources][0]) as GpuStageSummary['source'],
      count: s.count,
      totalS: s.totalS,
      meanS: s.totalS / s.count,
      gpuBusyS: s.gpuBusyS,
    }))
    .sort((a, b) => b.totalS - a.totalS || byName(a.name, b.name));
  return { stages, selected: ranges.map((annotation) => ({ annotation })) };
}

function summarizeSteps(trace: GpuTrace, activities: Map<string, DeviceActivity>, stages: readonly SelectedStage[], rel: (t: number) => number): GpuStepSummary[] {
  // Per file: CPU-side ProfilerStep ranges when recorded (they time the whole host step), else GPU-side.
  const perFile = new Map<number, GpuAnnotation[]>();
  for (const a of trace.annotations) {
    if (a.step === undefined) continue;
    const list = perFile.get(a.fileIndex) ?? [];
    list.push(a);
    perFile.set(a.fileIndex, list);
  }
  interface FileStep {
    readonly source: 'gpu' | 'cpu';
    readonly startS: number;
    readonly endS: number;
    readonly busyFractions: number[];
    readonly stagesS: Map<string, number>;
  }
  const byStep = new Map<number, FileStep[]>();
  for (const [fileIndex, list] of [...perFile].sort((a, b) => a[0] - b[0])) {
    const source = list.some((a) => a.source === 'cpu') ? 'cpu' : 'gpu';
    const windows = new Map<number, { startS: number; endS: number }>();
    for (const a of list) {
      if (a.source !== source) continue;
      const w = windows.get(a.step as number);
      windows.set(a.step as number, w ? { startS: Math.min(w.startS, a.startS), endS: Math.max(w.endS, a.endS) } : { startS: a.startS, endS: a.endS });
    }
    const file = trace.sources[fileIndex];
    const fileDevices = trace.devices.filter((d) => d.device.file === file).map((d) => activities.get(d.device.id)).filter((x): x is DeviceActivity => !!x);
    for (const [step, w] of windows) {
      const length = w.endS - w.startS;
      const stagesS = new Map<string, number>();
      for (const { annotation } of stages) {
        if (annotation.fileIndex !== fileIndex || annotation.startS < w.startS || annotation.startS >= w.endS) continue;
        stagesS.set(annotation.name, (stagesS.get(annotation.name) ?? 0) + (annotation.endS - annotation.startS));
      }
      const entry: FileStep = {
        source,
        startS: w.startS,
        endS: w.endS,
        busyFractions: fileDevices.map((activity) => (length > 0 ? activity.busyWithin(w.startS, w.endS) / length : 0)),
        stagesS,
      };
      const listForStep = byStep.get(step) ?? [];
      listForStep.push(entry);
      byStep.set(step, listForStep);
    }
  }
  return [...byStep.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([step, files]) => {
      const durations = files.map((f) => f.endS - f.startS);
      const fractions = files.flatMap((f) => f.busyFractions);
      const stageNames = [...new Set(files.flatMap((f) => [...f.stagesS.keys()]))].sort(byName);
      const sources = new Set(files.map((f) => f.source));
      return {
        step,
        files: files.length,
        source: (sources.size > 1 ? 'mixed' : [...sources][0]) as GpuStepSummary['source'],
        startS: rel(Math.min(...files.map((f) => f.startS))),
        durationS: Math.max(...durations),
        meanDurationS: durations.reduce((a, b) => a + b, 0) / durations.length,
        busyFraction: fractions.length > 0 ? fractions.reduce((a, b) => a + b, 0) / fractions.length : 0,
        stagesS: Object.fromEntries(stageNames.map((name) => [name, files.reduce((sum, f) => sum + (f.stagesS.get(name) ?? 0), 0) / files.length])),
      };
    });
}
