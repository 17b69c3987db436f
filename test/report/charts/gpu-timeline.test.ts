import { describe, expect, it } from 'vitest';
import { gpuTimelineChart } from '../../../harness/report/charts/gpu-timeline.js';
import { assignLanes } from '../../../harness/report/charts/timeline-lanes.js';
import { compileClean, drawnItems, expectGolden, expectNoMarkerInExpressions } from './chart-test-kit.js';
import { sample } from './sample.js';

describe('gpuTimelineChart', () => {
  it('matches its golden spec', () => {
    expectGolden('gpu-timeline', sample('gpu-timeline').spec);
  });

  it('draws one bar per span, as wide as its duration', async () => {
    const bars = await drawnItems(compileClean(sample('gpu-timeline').spec), 'rect');
    expect(bars).toHaveLength(4);
    const generate = bars.find((b) => b.datum.stage === 'generation')!;
    const infer = bars.find((b) => b.datum.stage === 'inference')!;
    // 6 s against 1.5 s on the shared time axis.
    expect(generate.width / infer.width).toBeCloseTo(4, 6);
  });

  it('stacks overlapping spans of a pool in lanes and reuses a lane once free', () => {
    expect(
      assignLanes([
        { row: 'p', start: 0, end: 6 },
        { row: 'p', start: 5, end: 9 },
        { row: 'p', start: 6, end: 7 },
        { row: 'q', start: 0, end: 1 },
        { row: 'p', start: 1, end: 2 },
      ]),
    ).toEqual([0, 1, 0, 0, 1]);
  });

  it('describes each span in its tooltip', () => {
    const spec = gpuTimelineChart([{ pool: 'actor', gpus: [0, 1], task: 'train mb0', stage: 'training', iteration: 3, start: 1, end: 2.5 }]) as {
      data: { values: { tooltip: string[] }[] };
    };
    expect(spec.data.values[0]!.tooltip).toEqual(['train mb0 (training)', 'actor: 2 GPUs (0, 1)', 'iteration 3', '1–2.5 s (1.5 s)']);
  });

  it('rejects a span that ends before it starts', () => {
    expect(() => gpuTimelineChart([{ pool: 'a', gpus: 1, task: 't', stage: 's', iteration: 0, start: 2, end: 1 }])).toThrow(/ends \(1\) before it starts \(2\)/);
  });

  it('never puts caller strings into Vega expressions', () => {
    expectNoMarkerInExpressions(compileClean(sample('gpu-timeline', true).spec));
  });
});
