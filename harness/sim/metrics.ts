import type { Allocation, IterationResult, SampleLedgerView, Span } from './types.js';

export interface IterationSummaryInput {
  readonly scheduler: string;
  readonly iteration: number;
  readonly prompts: number;
  readonly samples: number;
  readonly promptTokens: number;
  readonly responseTokens: number;
  readonly spans: readonly Span[];
  readonly allocations: readonly Allocation[];
  readonly priceUsdPerGpuHour: number;
  /** Iteration start; defaults to 0. */
  readonly startS?: number;
  /** Iteration end; defaults to the end of the last span. */
  readonly endS?: number;
  readonly counters?: Readonly<Record<string, number>>;
  readonly ledger?: SampleLedgerView;
  readonly notes?: readonly string[];
}

/** Length of the union of [start, end) intervals. */
export function unionLengthS(intervals: readonly (readonly [number, number])[]): number {
  if (intervals.length === 0) return 0;
  const sorted = [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let total = 0;
  let [currentStart, currentEnd] = sorted[0]!;
  for (let i = 1; i < sorted.length; i++) {
    const [start, end] = sorted[i]!;
    if (start > currentEnd) {
      total += currentEnd - currentStart;
      currentStart = start;
      currentEnd = end;
    } else if (end > currentEnd) {
      currentEnd = end;
    }
  }
  return total + (currentEnd - currentStart);
}

function unionBy(spans: readonly Span[], key: (span: Span) => string): Record<string, number> {
  const groups = new Map<string, [number, number][]>();
  for (const span of spans) {
    const name = key(span);
    let list = groups.get(name);
    if (!list) groups.set(name, (list = []));
    list.push([span.startS, span.endS]);
  }
  const out: Record<string, number> = {};
  for (const name of [...groups.keys()].sort()) out[name] = unionLengthS(groups.get(name)!);
  return out;
}

function sortedRecord(record: Readonly<Record<string, number>> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!record) return out;
  for (const key of Object.keys(record).sort()) out[key] = record[key]!;
  return out;
}

/** Derives every metric of an iteration from its spans and allocations. */
export function summarizeIteration(input: IterationSummaryInput): IterationResult {
  const startS = input.startS ?? 0;
  let lastEndS = startS;
  let busy = 0;
  let idleInSpans = 0;
  for (const span of input.spans) {
    if (span.endS > lastEndS) lastEndS = span.endS;
    busy += span.gpus * (span.endS - span.startS);
    idleInSpans += span.gpus * (span.idleS ?? 0);
  }
  const endS = input.endS ?? lastEndS;
  const iterationTimeS = endS - startS;
  let allocated = 0;
  for (const allocation of input.allocations) allocated += allocation.gpus * (allocation.toS - allocation.fromS);
  const stagesS = unionBy(input.spans, (span) => span.stage);
  const tasksS = unionBy(input.spans, (span) => span.task);
  const totalTokens = input.promptTokens + input.responseTokens;
  return {
    scheduler: input.scheduler,
    iteration: input.iteration,
    iterationTimeS,
    prompts: input.prompts,
    samples: input.samples,
    promptTokens: input.promptTokens,
    responseTokens: input.responseTokens,
    samplesPerS: iterationTimeS > 0 ? input.samples / iterationTimeS : 0,
    tokensPerS: iterationTimeS > 0 ? totalTokens / iterationTimeS : 0,
    gpuSecondsAllocated: allocated,
    gpuSecondsBusy: busy,
    costUsd: (allocated / 3600) * input.priceUsdPerGpuHour,
    utilization: allocated > 0 ? (busy - idleInSpans) / allocated : 0,
    bubbleRatio: busy > 0 ? idleInSpans / busy : 0,
    stagesS,
    tasksS,
    overheadsS: {
      weightSyncS: stagesS['weight-sync'] ?? 0,
      modelLoadS: stagesS['model-load'] ?? 0,
      kvMigrationS: stagesS['kv-migration'] ?? 0,
      reallocationS: stagesS['reallocation'] ?? 0,
    },
    counters: sortedRecord(input.counters),
    spans: input.spans,
    allocations: input.allocations,
    ...(input.ledger ? { ledger: input.ledger } : {}),
    notes: input.notes ?? [],
  };
}
