import type { LengthGroupStream, LengthReadOptions } from '../length-stream.js';
import type { ProblemCollector } from '../problems.js';
import type { TraceProbe } from './probe.js';
import type { GpuProfile, StageTimingTrace } from '../types.js';

/** What a trace holds; decides which reader (readWorkload, readGpuProfile, readStageTimings) takes it. */
export type TraceKind = 'lengths' | 'gpu-profile' | 'stage-timings' | 'table';

/** How the format is laid out on disk, for detection and for the "it could be" list. */
export type TraceContainer = 'csv' | 'jsonl' | 'text' | 'directory';

interface TraceFormatBase {
  /** Registry name, what `--format` takes and what `meta.format` records. */
  readonly name: string;
  readonly kind: TraceKind;
  readonly container: TraceContainer;
  /** One line: what the format is and where it comes from. */
  readonly description: string;
  /**
   * Keys detection requires: CSV header columns or keys of the first JSON object. The "it could be"
   * list ranks formats by how many of these a file has. Empty for formats with their own `detect`.
   */
  readonly keys: readonly string[];
  /** What a file needs to be recognised, for error messages ("CSV with columns a, b, c"). */
  readonly signature: string;
  /** True when the probe is this format. Defaults to "container matches and every key is present". */
  readonly detect?: (probe: TraceProbe) => boolean;
  /**
   * For text formats whose marker may sit beyond the probe's head (a log that opens with a long
   * config dump): a line to look for in the first DEEP_SCAN_BYTES when nothing else matched.
   */
  readonly deepDetect?: { readonly pattern: RegExp; readonly mustInclude?: string };
}

export interface LengthsFormat extends TraceFormatBase {
  readonly kind: 'lengths';
  open(path: string, options: LengthReadOptions): Promise<LengthGroupStream>;
}

export interface GpuProfileFormat extends TraceFormatBase {
  readonly kind: 'gpu-profile';
  read(path: string, problems: ProblemCollector): Promise<GpuProfile>;
}

export interface StageTimingsFormat extends TraceFormatBase {
  readonly kind: 'stage-timings';
  read(path: string, problems: ProblemCollector): Promise<StageTimingTrace>;
  /**
   * A workload the same file also yields, read another way: a veRL log holds stage timings and,
   * synthesized from each step's length statistics, per-sample response lengths. Readers of
   * response lengths take such a file through `open`; `what` names that workload in messages.
   */
  readonly workload?: { readonly what: string; open(path: string, options: LengthReadOptions): Promise<LengthGroupStream> };
}

/** Side tables that are not workloads themselves (PolyTrace reward timings, DAPO filter indices): readable and validatable. */
export interface TableFormat extends TraceFormatBase {
  readonly kind: 'table';
  /** Reads and validates the table; returns its row count and anything worth saying. */
  read(path: string, problems: ProblemCollector): Promise<{ readonly rows: number; readonly notes: readonly string[] }>;
}

export type TraceFormat = LengthsFormat | GpuProfileFormat | StageTimingsFormat | TableFormat;

/** The kinds a format's files hold: its own, and response lengths where it also yields a workload. */
export function kindsOf(format: TraceFormat): readonly TraceKind[] {
  return format.kind === 'stage-timings' && format.workload ? [format.kind, 'lengths'] : [format.kind];
}

export function holdsKind(format: TraceFormat, kind: TraceKind): boolean {
  return kindsOf(format).includes(kind);
}

/** How to stream a format's files as response lengths, if they hold any. */
export function lengthsOpener(format: TraceFormat): LengthsFormat['open'] | undefined {
  if (format.kind === 'lengths') return (path, options) => format.open(path, options);
  if (format.kind === 'stage-timings' && format.workload) return (path, options) => format.workload!.open(path, options);
  return undefined;
}

/** What a format's files hold, in words ("per-iteration stage timings and response lengths (…)"). */
export function describeKinds(format: TraceFormat): string {
  return format.kind === 'stage-timings' && format.workload ? `${KIND_DESCRIPTIONS[format.kind]} and ${format.workload.what}` : KIND_DESCRIPTIONS[format.kind];
}

export const KIND_DESCRIPTIONS: Readonly<Record<TraceKind, string>> = {
  lengths: 'response lengths (a workload)',
  'gpu-profile': 'GPU operator timings (a GPU profile)',
  'stage-timings': 'per-iteration stage timings',
  table: 'a side table (not a workload)',
};
