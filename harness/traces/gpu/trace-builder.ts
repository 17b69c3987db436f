import { basename } from 'node:path';
import type { KernelClassifier } from './kernel-classes.js';
import {
  GPU_OP_KINDS,
  type GpuAnnotation,
  type GpuDevice,
  type GpuDeviceTrace,
  type GpuOpColumns,
  type GpuOpKind,
  type GpuTrace,
  type GpuTraceFormatName,
  type GpuTraceRank,
  type GpuUtilizationSamples,
  type KernelNameStats,
} from './types.js';

/** Distinct kernel names tracked one by one; beyond this they are pooled, so memory stays bounded. */
export const MAX_DISTINCT_KERNEL_NAMES = 50_000;
const POOLED_NAMES = '(other kernel names, pooled)';

class GrowableColumns {
  count = 0;
  startS = new Float64Array(1024);
  endS = new Float64Array(1024);
  classIndex = new Uint8Array(1024);
  kind = new Uint8Array(1024);
  stream = new Int32Array(1024);

  push(startS: number, endS: number, classIndex: number, kind: number, stream: number): void {
    if (this.count === this.startS.length) {
      const capacity = this.count * 2;
      const grow = <T extends Float64Array | Uint8Array | Int32Array>(old: T, make: (n: number) => T): T => {
        const next = make(capacity);
        next.set(old);
        return next;
      };
      this.startS = grow(this.startS, (n) => new Float64Array(n));
      this.endS = grow(this.endS, (n) => new Float64Array(n));
      this.classIndex = grow(this.classIndex, (n) => new Uint8Array(n));
      this.kind = grow(this.kind, (n) => new Uint8Array(n));
      this.stream = grow(this.stream, (n) => new Int32Array(n));
    }
    this.startS[this.count] = startS;
    this.endS[this.count] = endS;
    this.classIndex[this.count] = classIndex;
    this.kind[this.count] = kind;
    this.stream[this.count] = stream;
    this.count++;
  }

  freeze(): GpuOpColumns {
    return {
      count: this.count,
      startS: this.startS.slice(0, this.count),
      endS: this.endS.slice(0, this.count),
      classIndex: this.classIndex.slice(0, this.count),
      kind: this.kind.slice(0, this.count),
      stream: this.stream.slice(0, this.count),
    };
  }
}

interface NameStats {
  readonly name: string;
  readonly classIndex: number;
  count: number;
  totalS: number;
}

interface DeviceEntry {
  readonly fileIndex: number;
  readonly index: number;
  rank?: number;
  rawName?: string;
  catalogId?: string;
  ops?: GrowableColumns;
  samples?: GpuUtilizationSamples;
}

interface PendingAnnotation {
  readonly name: string;
  readonly source: 'cpu' | 'gpu';
  readonly fileIndex: number;
  readonly deviceKey?: string;
  readonly startS: number;
  readonly endS: number;
  readonly step?: number;
}

const PROFILER_STEP = /^ProfilerStep#(\d+)$/;

/**
 * Collects what readers find, file by file, and freezes it into a GpuTrace. Readers hand it
 * timestamps in their source unit; it keeps them relative to the first timestamp seen, so
 * microsecond epochs (1.7e15 µs) keep their sub-microsecond differences.
 */
export class GpuTraceBuilder {
  private readonly sources: string[] = [];
  private readonly devices = new Map<string, DeviceEntry>();
  private readonly annotations: PendingAnnotation[] = [];
  private readonly ranks: GpuTraceRank[] = [];
  private readonly names: Record<GpuOpKind, Map<string, NameStats>> = { kernel: new Map(), memcpy: new Map(), memset: new Map() };
  private readonly pooled = new Map<number, NameStats>();
  private distinctNames = 0;
  private readonly notes: string[] = [];
  private readonly windows: { startS: number; endS: number }[] = [];
  private originRaw: number | undefined;
  private originUnitS = 1;
  recordsRead = 0;

  constructor(
    readonly format: GpuTraceFormatName,
    readonly classifier: KernelClassifier,
  ) {}

  addSource(file: string): number {
    this.sources.push(file);
    return this.sources.length - 1;
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  addRank(rank: GpuTraceRank): void {
    this.ranks.push(rank);
  }

  /** Seconds relative to the trace's origin for a source timestamp `raw` in units of `unitS` seconds. */
  relativeS(raw: number, unitS: number): number {
    if (this.originRaw === undefined) {
      this.originRaw = raw;
      this.originUnitS = unitS;
    }
    return unitS === this.originUnitS ? (raw - this.originRaw) * unitS : raw * unitS - this.originRaw * this.originUnitS;
  }

  private deviceKey(fileIndex: number, index: number): string {
    return `${fileIndex}:${index}`;
  }

  private entry(fileIndex: number, index: number): DeviceEntry {
    const key = this.deviceKey(fileIndex, index);
    let entry = this.devices.get(key);
    if (!entry) {
      entry = { fileIndex, index };
      this.devices.set(key, entry);
    }
    return entry;
  }

  /** Declares a device (so it is listed even without activity) and records what is known of it. */
  describeDevice(fileIndex: number, index: number, info: { rank?: number; rawName?: string; catalogId?: string }): void {
    const entry = this.entry(fileIndex, index);
    if (info.rank !== undefined) entry.rank = info.rank;
    if (info.rawName !== undefined) entry.rawName = info.rawName;
    if (info.catalogId !== undefined) entry.catalogId = info.catalogId;
  }

  deviceIndexesOf(fileIndex: number): number[] {
    return [...this.devices.values()].filter((e) => e.fileIndex === fileIndex).map((e) => e.index);
  }

  hasDevice(fileIndex: number, index: number): boolean {
    return this.devices.has(this.deviceKey(fileIndex, index));
  }

  addOp(fileIndex: number, deviceIndex: number, kind: GpuOpKind, name: string, startS: number, endS: number, stream: number): void {
    const entry = this.entry(fileIndex, deviceIndex);
    entry.ops ??= new GrowableColumns();
    const classIndex = this.classifier.classIndex(kind, name);
    entry.ops.push(startS, endS, classIndex, GPU_OP_KINDS.indexOf(kind), stream);
    const names = this.names[kind];
    let stats = names.get(name);
    if (!stats) {
      if (this.distinctNames >= MAX_DISTINCT_KERNEL_NAMES) {
        stats = this.pooled.get(classIndex);
        if (!stats) {
          stats = { name: POOLED_NAMES, classIndex, count: 0, totalS: 0 };
          this.pooled.set(classIndex, stats);
          this.note(`more than ${MAX_DISTINCT_KERNEL_NAMES} distinct kernel names: the rest are pooled per class in the kernel-name table`);
        }
      } else {
        stats = { name, classIndex, count: 0, totalS: 0 };
        names.set(name, stats);
        this.distinctNames++;
      }
    }
    stats.count++;
    stats.totalS += endS - startS;
  }

  setSamples(fileIndex: number, deviceIndex: number, samples: GpuUtilizationSamples): void {
    this.entry(fileIndex, deviceIndex).samples = samples;
  }

  addAnnotation(annotation: { name: string; source: 'cpu' | 'gpu'; fileIndex: number; deviceIndex?: number; startS: number; endS: number }): void {
    const step = PROFILER_STEP.exec(annotation.name);
    this.annotations.push({
      name: annotation.name,
      source: annotation.source,
      fileIndex: annotation.fileIndex,
      ...(annotation.deviceIndex !== undefined ? { deviceKey: this.deviceKey(annotation.fileIndex, annotation.deviceIndex) } : {}),
      startS: annotation.startS,
      endS: annotation.endS,
      ...(step ? { step: Number(step[1]) } : {}),
    });
  }

  addProfilerWindow(startS: number, endS: number): void {
    this.windows.push({ startS, endS });
  }

  /** Device ids: 'gpu0' for one file, 'rank3.gpu0' when every file has a distinct rank, else '<file stem>.gpu0'. */
  private deviceIds(): Map<string, string> {
    const entries = [...this.devices.entries()];
    const singleFile = this.sources.length <= 1;
    const fileRank = new Map<number, number | undefined>();
    for (const [, e] of entries) if (!fileRank.has(e.fileIndex) || e.rank !== undefined) fileRank.set(e.fileIndex, e.rank);
    const ranks = [...fileRank.values()];
    const ranksUsable = ranks.every((r) => r !== undefined) && new Set(ranks).size === ranks.length;
    const ids = new Map<string, string>();
    for (const [key, e] of entries) {
      const prefix = singleFile ? '' : ranksUsable ? `rank${fileRank.get(e.fileIndex)}.` : `${fileStem(this.sources[e.fileIndex] as string)}.`;
      ids.set(key, `${prefix}gpu${e.index}`);
    }
    return ids;
  }

  build(): GpuTrace {
    const ids = this.deviceIds();
    const devices: GpuDeviceTrace[] = [...this.devices.entries()]
      .map(([key, e]) => {
        const device: GpuDevice = {
          id: ids.get(key) as string,
          index: e.index,
          ...(e.rank !== undefined ? { rank: e.rank } : {}),
          file: this.sources[e.fileIndex] as string,
          ...(e.rawName !== undefined ? { rawName: e.rawName } : {}),
          ...(e.catalogId !== undefined ? { catalogId: e.catalogId } : {}),
        };
        return { device, fileIndex: e.fileIndex, ...(e.ops ? { ops: e.ops.freeze() } : {}), ...(e.samples ? { samples: e.samples } : {}) };
      })
      .sort((a, b) => a.fileIndex - b.fileIndex || a.device.index - b.device.index)
      .map(({ fileIndex: _fileIndex, ...rest }) => rest);
    const annotations: GpuAnnotation[] = this.annotations.map((a) => ({
      name: a.name,
      source: a.source,
      fileIndex: a.fileIndex,
      // A GPU-side range on a device with no recorded operation names no listed device.
      ...(a.deviceKey !== undefined && ids.has(a.deviceKey) ? { deviceId: ids.get(a.deviceKey) as string } : {}),
      startS: a.startS,
      endS: a.endS,
      ...(a.step !== undefined ? { step: a.step } : {}),
    }));
    const kernelNames: KernelNameStats[] = [...this.names.kernel.values(), ...this.names.memcpy.values(), ...this.names.memset.values(), ...this.pooled.values()]
      .map((s) => ({ name: s.name, kernelClass: this.classifier.classes[s.classIndex] as string, count: s.count, totalS: s.totalS }))
      .sort((a, b) => b.totalS - a.totalS || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return {
      format: this.format,
      sources: [...this.sources],
      devices,
      kernelClasses: this.classifier.classes,
      annotations,
      ranks: [...this.ranks],
      kernelNames,
      clockOriginS: this.originRaw === undefined ? 0 : this.originRaw * this.originUnitS,
      profilerWindows: [...this.windows],
      recordsRead: this.recordsRead,
      notes: [...this.notes],
    };
  }
}

export function fileStem(file: string): string {
  return basename(file).replace(/\.gz$/i, '').replace(/\.(json|csv|txt|log)$/i, '').replace(/\.pt\.trace$/i, '');
}
