import { describe, expect, it } from 'vitest';
import { pipelineGanttChart, type PipelineGanttTask } from '../../../harness/report/charts/pipeline-gantt.js';
import { compileClean, drawnItems, expectGolden, expectNoMarkerInExpressions, MARKER } from './chart-test-kit.js';

/** A fused schedule small enough to read: actor down over 2 nodes, critic up, one micro-batch each. */
const tasks: PipelineGanttTask[] = [
  { node: 0, model: 'actor', replica: 0, kind: 'F', microBatch: 0, stage: 0, start: 0, end: 2 },
  { node: 1, model: 'critic', replica: 0, kind: 'F', microBatch: 0, stage: 0, start: 0, end: 1 },
  { node: 0, model: 'critic', replica: 0, kind: 'F', microBatch: 0, stage: 1, start: 2, end: 3 },
  { node: 1, model: 'actor', replica: 0, kind: 'F', microBatch: 0, stage: 1, start: 2, end: 4 },
  { node: 0, model: 'critic', replica: 0, kind: 'B', microBatch: 0, stage: 1, start: 3, end: 5 },
  { node: 1, model: 'actor', replica: 0, kind: 'B', microBatch: 0, stage: 1, start: 4, end: 8 },
  { node: 1, model: 'critic', replica: 0, kind: 'B', microBatch: 0, stage: 0, start: 8, end: 10 },
  { node: 0, model: 'actor', replica: 0, kind: 'B', microBatch: 0, stage: 0, start: 8, end: 12 },
];

describe('pipelineGanttChart', () => {
  it('matches its golden spec', () => {
    expectGolden('pipeline-gantt', pipelineGanttChart(tasks, { timeTitle: 'Time (units)', timeUnit: 'units', description: 'Fused schedule of a two-node example' }));
  });

  it('draws one bar per task on its node row, as wide as its duration, with the micro-batch as label', async () => {
    const vega = compileClean(pipelineGanttChart(tasks));
    const bars = await drawnItems(vega, 'rect');
    expect(bars).toHaveLength(tasks.length);
    const actorBackward = bars.find((b) => b.datum.model === 'actor' && b.datum.kind === 'backward' && b.datum.row === 'node 0')!;
    const criticForward = bars.find((b) => b.datum.model === 'critic' && b.datum.kind === 'forward' && b.datum.row === 'node 0')!;
    expect(actorBackward.width / criticForward.width).toBeCloseTo(4, 6);
    const node0 = bars.filter((b) => b.datum.row === 'node 0');
    const node1 = bars.filter((b) => b.datum.row === 'node 1');
    expect(new Set(node0.map((b) => b.y)).size).toBe(1);
    expect(node1[0]!.y).toBeGreaterThan(node0[0]!.y);
    expect(await drawnItems(vega, 'text')).toHaveLength(tasks.length);
  });

  it('tells models apart by colour and passes apart by opacity, and describes each task', () => {
    const spec = pipelineGanttChart(tasks, { labels: false }) as unknown as {
      layer: { encoding: { color: { scale: { domain: string[] } }; opacity: { scale: { range: number[] } } } }[];
      data: { values: { tooltip: string[] }[] };
    };
    expect(spec.layer).toHaveLength(1);
    expect(spec.layer[0]!.encoding.color.scale.domain).toEqual(['actor', 'critic']);
    expect(spec.layer[0]!.encoding.opacity.scale.range).toEqual([0.45, 1]);
    expect(spec.data.values[5]!.tooltip).toEqual(['actor backward, micro-batch 0', 'node 1, stage 1', '4–8 s (4 s)']);
  });

  it('rejects a task that ends before it starts', () => {
    expect(() => pipelineGanttChart([{ ...tasks[0]!, start: 3, end: 1 }])).toThrow(/ends \(1\) before it starts \(3\)/);
  });

  it('never puts caller strings into Vega expressions', () => {
    expectNoMarkerInExpressions(compileClean(pipelineGanttChart(tasks.map((t) => ({ ...t, model: `${t.model}${MARKER}` })))));
  });
});
