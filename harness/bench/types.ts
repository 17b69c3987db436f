import type { CliIo } from '../util/cli-io.js';

/**
 * A benchmark suite measures the harness's own speed (ingestion, cost-model lookups, the engine,
 * pipeline search). Suites use tinybench for repeated timings and report each figure with its
 * unit; `rlhf-replay bench` runs them, prints a table and writes JSON.
 */
export interface BenchFigure {
  /** Suite-unique name, e.g. 'decode-step estimates' or 'ingest csv 1.5M rows'. */
  readonly name: string;
  readonly value: number;
  /** Unit with direction implied by the name: 'ops/s', 'rows/s', 's', 'MB', 'ms'. */
  readonly unit: string;
  /** Whether larger is better (throughputs) or smaller (latencies, memory). */
  readonly better: 'higher' | 'lower';
  /** Repeated samples behind `value` (for statistical comparison in nightly runs), same unit. */
  readonly samples?: readonly number[];
  /** Goal from the issue or design, if any, and whether this run met it. */
  readonly goal?: { readonly value: number; readonly met: boolean; readonly note?: string };
  readonly note?: string;
}

export interface BenchOptions {
  /** Smaller inputs and fewer repetitions, for smoke runs in tests and CI. */
  readonly quick: boolean;
  readonly io: CliIo;
  /** Scratch folder for generated inputs; removed after the run. */
  readonly scratchDir: string;
  /**
   * The figures the caller wants, by name (a nightly case names a few); a suite may skip the work
   * that only makes other figures. Absent: every figure.
   */
  readonly only?: readonly string[];
}

export interface BenchSuite {
  readonly name: string;
  readonly description: string;
  run(options: BenchOptions): Promise<readonly BenchFigure[]>;
}
