import { describe, expect, it } from 'vitest';
import { chromeTrace, type TraceEvent } from '../../harness/sim/chrome-trace.js';
import { runVerl } from '../../harness/schedulers/baseline/verl.js';
import { summarizeIteration } from '../../harness/sim/metrics.js';
import type { Span } from '../../harness/sim/types.js';
import { createRng } from '../../harness/util/rng.js';
import { linearCostModel } from './fixtures/linear-cost.js';
import { iterationOf, testScenario } from '../schedulers/fixtures/scenario.js';

const span = (pool: string, firstGpu: number, gpus: number, task: string, startS: number, endS: number, iteration = 0): Span => ({ pool, firstGpu, gpus, task, stage: 'generation', iteration, startS, endS });

function result(scheduler: string, iteration: number, spans: Span[]) {
  return summarizeIteration({ scheduler, iteration, prompts: 1, samples: 1, promptTokens: 1, responseTokens: 1, spans, allocations: [], priceUsdPerGpuHour: 1 });
}

describe('chromeTrace', () => {
  const doc = chromeTrace(
    [result('a', 0, [span('gen/1', 2, 2, 'generate', 0, 1.5), span('gen/0', 0, 2, 'generate', 0, 2)]), result('a', 1, [span('gen/0', 0, 2, 'generate', 0, 1)]), result('b', 0, [span('cluster', 0, 4, 'update', 0.5, 3)])],
    { scenario: 's' },
  );
  const events = doc.traceEvents;
  const named = (name: string, pid: number) => events.filter((e) => e.ph === 'M' && e.name === name && e.pid === pid);

  it('has a process per scheduler and a track per GPU pool, ordered by GPU, after the iterations track', () => {
    expect(named('process_name', 1)[0]!.args).toEqual({ name: 'a' });
    expect(named('process_name', 2)[0]!.args).toEqual({ name: 'b' });
    expect(named('thread_name', 1).map((e) => [e.tid, e.args!['name']])).toEqual([
      [0, 'iterations'],
      [1, 'gen/0 (GPU 0–1)'],
      [2, 'gen/1 (GPU 2–3)'],
    ]);
  });

  it('lays iterations end to end in microseconds and marks their boundaries', () => {
    const slices = events.filter((e) => e.ph === 'X' && e.pid === 1 && e.cat !== 'iteration');
    expect(slices.map((e) => [e.tid, e.ts, e.dur])).toEqual([
      [1, 0, 2e6],
      [2, 0, 1.5e6],
      [1, 2e6, 1e6],
    ]);
    const boundaries = events.filter((e) => e.ph === 'i' && e.pid === 1).map((e) => e.ts);
    expect(boundaries).toEqual([0, 2e6, 3e6]);
    expect(events.filter((e) => e.ph === 'X' && e.cat === 'iteration' && e.pid === 1).map((e) => e.name)).toEqual(['iteration 0', 'iteration 1']);
    expect(doc.otherData).toEqual({ scenario: 's' });
  });

  it('never overlaps two slices on one track for a real scheduler run (Perfetto needs proper nesting)', () => {
    const scenario = testScenario({ nodes: 1, gpusPerNode: 4, instances: 2, layout: { tp: 1, pp: 1, dp: 4, microBatchSamples: 2 }, prompts: 6, miniBatchPrompts: 3 });
    const iteration = iterationOf(Array.from({ length: 6 }, (_, i) => ({ prompt: 10 + i, responses: [5 + 13 * i] })));
    const run = runVerl(scenario, iteration, linearCostModel(), createRng(1));
    const trace = chromeTrace([run, { ...run, iteration: 1 }]);
    const byTrack = new Map<string, TraceEvent[]>();
    for (const e of trace.traceEvents.filter((x) => x.ph === 'X' && x.cat !== 'iteration')) {
      const key = `${e.pid}/${e.tid}`;
      byTrack.set(key, [...(byTrack.get(key) ?? []), e]);
    }
    for (const list of byTrack.values()) {
      list.sort((x, y) => x.ts! - y.ts!);
      for (let i = 1; i < list.length; i++) expect(list[i]!.ts!).toBeGreaterThanOrEqual(list[i - 1]!.ts! + list[i - 1]!.dur! - 1e-6);
    }
    expect(JSON.stringify(chromeTrace([run]))).toBe(JSON.stringify(chromeTrace([run])));
  });
});
