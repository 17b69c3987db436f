import type { IterationResult, Span } from './types.js';

/**
 * Simulated timelines as a Chrome Trace Event Format document, which Perfetto
 * (ui.perfetto.dev) and chrome://tracing open: one process per scheduler, one track (thread) per
 * GPU pool, one slice per task span, and an "iterations" track whose slices mark each
 * iteration's boundaries (plus an instant event at every boundary). A scheduler's iterations are
 * laid end to end. Times are microseconds; the output is deterministic.
 */
export interface TraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'i' | 'M';
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly cat?: string;
  readonly s?: 'p' | 'g' | 't';
  readonly args?: Readonly<Record<string, unknown>>;
}

export interface ChromeTrace {
  readonly traceEvents: readonly TraceEvent[];
  readonly displayTimeUnit: 'ms';
  readonly otherData: Readonly<Record<string, string>>;
}

const ITERATION_TRACK = 0;

function microseconds(seconds: number): number {
  return Math.round(seconds * 1e9) / 1e3;
}

function trackLabel(span: Span): string {
  if (span.gpus === 0) return `${span.pool} (CPU)`;
  const last = span.firstGpu + span.gpus - 1;
  return `${span.pool} (GPU ${span.firstGpu === last ? span.firstGpu : `${span.firstGpu}–${last}`})`;
}

export function chromeTrace(results: readonly IterationResult[], otherData: Readonly<Record<string, string>> = {}): ChromeTrace {
  const schedulers: string[] = [];
  for (const result of results) if (!schedulers.includes(result.scheduler)) schedulers.push(result.scheduler);
  const events: TraceEvent[] = [];
  schedulers.forEach((scheduler, s) => {
    const pid = s + 1;
    const own = results.filter((r) => r.scheduler === scheduler).sort((a, b) => a.iteration - b.iteration);
    // Tracks: one per pool name, ordered by first GPU then name; the iteration track first.
    const tracks = new Map<string, { label: string; firstGpu: number }>();
    for (const result of own) {
      for (const span of result.spans) if (!tracks.has(span.pool)) tracks.set(span.pool, { label: trackLabel(span), firstGpu: span.gpus === 0 ? -1 : span.firstGpu });
    }
    const ordered = [...tracks.entries()].sort((a, b) => a[1].firstGpu - b[1].firstGpu || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const tidOf = new Map(ordered.map(([pool], i) => [pool, i + 1]));
    events.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: scheduler } });
    events.push({ name: 'process_sort_index', ph: 'M', pid, tid: 0, args: { sort_index: pid } });
    events.push({ name: 'thread_name', ph: 'M', pid, tid: ITERATION_TRACK, args: { name: 'iterations' } });
    events.push({ name: 'thread_sort_index', ph: 'M', pid, tid: ITERATION_TRACK, args: { sort_index: 0 } });
    for (const [pool, { label }] of ordered) {
      const tid = tidOf.get(pool)!;
      events.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name: label } });
      events.push({ name: 'thread_sort_index', ph: 'M', pid, tid, args: { sort_index: tid } });
    }
    let offsetS = 0;
    for (const result of own) {
      events.push({ name: `iteration ${result.iteration}`, ph: 'i', s: 'p', pid, tid: ITERATION_TRACK, ts: microseconds(offsetS), cat: 'iteration' });
      events.push({
        name: `iteration ${result.iteration}`,
        ph: 'X',
        pid,
        tid: ITERATION_TRACK,
        ts: microseconds(offsetS),
        dur: microseconds(result.iterationTimeS),
        cat: 'iteration',
        args: { iterationTimeS: result.iterationTimeS, samplesPerS: result.samplesPerS, costUsd: result.costUsd, utilization: result.utilization },
      });
      const spans = [...result.spans].sort((a, b) => a.startS - b.startS || a.firstGpu - b.firstGpu || (a.task < b.task ? -1 : a.task > b.task ? 1 : 0));
      for (const span of spans) {
        events.push({
          name: span.task,
          ph: 'X',
          pid,
          tid: tidOf.get(span.pool)!,
          ts: microseconds(offsetS + span.startS),
          dur: microseconds(span.endS - span.startS),
          cat: span.stage,
          args: {
            iteration: span.iteration,
            gpus: span.gpus,
            firstGpu: span.firstGpu,
            ...(span.model !== undefined ? { model: span.model } : {}),
            ...(span.idleS !== undefined ? { idleS: span.idleS } : {}),
            ...(span.detail ?? {}),
          },
        });
      }
      offsetS += result.iterationTimeS;
    }
    events.push({ name: 'end', ph: 'i', s: 'p', pid, tid: ITERATION_TRACK, ts: microseconds(offsetS), cat: 'iteration' });
  });
  return { traceEvents: events, displayTimeUnit: 'ms', otherData: Object.fromEntries(Object.keys(otherData).sort().map((k) => [k, otherData[k]!])) };
}
