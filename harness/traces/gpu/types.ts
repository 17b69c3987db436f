/**
 * Recorded GPU activity, as every GPU-trace reader produces it (torch.profiler / Kineto JSON,
 * Nsight Systems CSV, nvidia-smi and DCGM utilisation logs). Times are seconds on the trace's
 * own clock, shifted so the first timestamp read is near 0 (`clockOriginS` gives the shift);
 * sizes are bytes. Readers convert from the source's units before a value lands here.
 */

export type GpuTraceFormatName = 'kineto' | 'nsys-csv' | 'nvidia-smi' | 'dcgm';

/** What a recorded GPU operation is, before classification by name. */
export type GpuOpKind = 'kernel' | 'memcpy' | 'memset';
export const GPU_OP_KINDS: readonly GpuOpKind[] = ['kernel', 'memcpy', 'memset'];

/** One GPU seen in a trace. */
export interface GpuDevice {
  /** Unique within the trace: 'gpu0', 'rank3.gpu0', or '<file stem>.gpu0' when ranks are unknown. */
  readonly id: string;
  /** Device index on its host (CUDA ordinal, nvidia-smi index, DCGM entity id). */
  readonly index: number;
  /** Distributed rank of the process that recorded it, when the trace says. */
  readonly rank?: number;
  /** File it was read from. */
  readonly file: string;
  /** GPU name as the trace records it, when it does. */
  readonly rawName?: string;
  /** Cost-model catalog id ('a100-80gb', 'h100-sxm', …) where the name maps to one. */
  readonly catalogId?: string;
}

/**
 * The GPU operations (kernels, copies, sets) of one device, column-wise so a device with
 * millions of kernels stays compact. Row i is one operation.
 */
export interface GpuOpColumns {
  readonly count: number;
  readonly startS: Float64Array;
  readonly endS: Float64Array;
  /** Index into `GpuTrace.kernelClasses`. */
  readonly classIndex: Uint8Array;
  /** Index into `GPU_OP_KINDS` (kernel, memcpy, memset). */
  readonly kind: Uint8Array;
  /** CUDA stream (Kineto tid / args.stream, Nsight `Strm`). */
  readonly stream: Int32Array;
}

/** A sampled utilisation log of one device (nvidia-smi, DCGM). */
export interface GpuUtilizationSamples {
  /** Which counter the utilisation is: 'utilization.gpu', 'GPUTL', 'GRACT', 'SMACT'. */
  readonly metric: string;
  /** Sample times, seconds, ascending. */
  readonly tS: Float64Array;
  /** Utilisation in [0, 1]; NaN where the tool printed N/A. */
  readonly utilization: Float64Array;
  readonly memoryUsedBytes?: Float64Array;
  readonly powerW?: Float64Array;
}

export interface GpuDeviceTrace {
  readonly device: GpuDevice;
  /** Operations, for traces that record them (Kineto, Nsight). */
  readonly ops?: GpuOpColumns;
  /** Utilisation samples, for logs that record them (nvidia-smi, DCGM). */
  readonly samples?: GpuUtilizationSamples;
}

/**
 * A named range the program annotated (torch.profiler `record_function`, `ProfilerStep#N`).
 * CPU-side ranges (`user_annotation`) time the host thread; GPU-side ranges
 * (`gpu_user_annotation`) span the GPU work launched inside them.
 */
export interface GpuAnnotation {
  readonly name: string;
  readonly source: 'cpu' | 'gpu';
  /** Index into `GpuTrace.sources`. */
  readonly fileIndex: number;
  /** For GPU-side ranges, the device they ran on. */
  readonly deviceId?: string;
  readonly startS: number;
  readonly endS: number;
  /** N for a `ProfilerStep#N` range. */
  readonly step?: number;
}

/** Distributed identity of one recorded file (Kineto `distributedInfo`). */
export interface GpuTraceRank {
  readonly file: string;
  readonly rank?: number;
  readonly worldSize?: number;
  readonly backend?: string;
}

/** Per kernel name: how often it ran and for how long (summed over devices and streams). */
export interface KernelNameStats {
  readonly name: string;
  readonly kernelClass: string;
  readonly count: number;
  readonly totalS: number;
}

export interface GpuTrace {
  readonly format: GpuTraceFormatName;
  readonly sources: readonly string[];
  readonly devices: readonly GpuDeviceTrace[];
  /** Class names indexed by `GpuOpColumns.classIndex`. */
  readonly kernelClasses: readonly string[];
  readonly annotations: readonly GpuAnnotation[];
  readonly ranks: readonly GpuTraceRank[];
  readonly kernelNames: readonly KernelNameStats[];
  /** The source timestamp (in seconds) that became 0. */
  readonly clockOriginS: number;
  /** The profiler's own recording window(s), when recorded (Kineto `Trace` spans), seconds. */
  readonly profilerWindows: readonly { readonly startS: number; readonly endS: number }[];
  /** Records read (events, CSV rows, log lines), for progress and sanity. */
  readonly recordsRead: number;
  /** Anything a reader assumed or dropped, in words a report can print. */
  readonly notes: readonly string[];
}
