import type { ChartEntry } from '../../report/page-model.js';
import { naturalCompare } from '../../report/charts/common.js';
import { costVsTimeChart, type CostTimeRow } from '../../report/charts/cost-vs-time.js';
import { gpuTimelineChart, type TimelineSpan } from '../../report/charts/gpu-timeline.js';
import { groupedBarChart, type GroupedBarRow } from '../../report/charts/grouped-bar.js';
import { lengthHistogramChart } from '../../report/charts/length-histogram.js';
import { lineWithBandChart, type LineCiRow } from '../../report/charts/line-ci.js';
import { pipelineGanttChart } from '../../report/charts/pipeline-gantt.js';
import { tornadoChart } from '../../report/charts/tornado.js';
import { describeAssumptionRange } from '../../report/assumption-value.js';
import type { CompactSpan } from '../cases/run.js';
import { ABLATION_CONFIG, ABLATION_SCHEDULERS, GRID_SCHEDULERS } from '../experiments/rlhfless.js';
import { RLHFUSE_PROBE_CONFIG, RLHFUSE_SCHEDULERS } from '../experiments/rlhfuse.js';
import type { EstimateBook } from '../figures/book.js';
import type { MetricName } from '../../metrics/iteration.js';
import type { ReproduceResults } from '../results.js';

/**
 * The report's charts, each built from the reproduction's results with the shared chart builders
 * (harness/report/charts). Every chart is a pure function of the results: its spec is a golden
 * file in test/reproduce.
 */
export interface ReportCharts {
  readonly rlhfuse: readonly ChartEntry[];
  readonly rlhfless: readonly ChartEntry[];
  readonly traces: readonly ChartEntry[];
  readonly sensitivity: readonly ChartEntry[];
}

/** A group's configurations in the order people read them: by label, numbers as numbers ('512, 1024, 2048'). */
function configsInOrder(book: EstimateBook, group: string) {
  return book.data.configs(group).sort((a, b) => naturalCompare(a.label, b.label));
}

/** Mean bars with their intervals, read from the book (the same estimates the figures and tables show). */
function bars(book: EstimateBook, group: string, schedulers: readonly string[], metric: MetricName): GroupedBarRow[] {
  const rows: GroupedBarRow[] = [];
  for (const config of configsInOrder(book, group)) {
    for (const scheduler of schedulers) {
      if (!book.data.has(config.id, scheduler, metric)) continue;
      const e = book.mean({ config: config.id, scheduler }, metric);
      rows.push({ group: config.label, series: scheduler, mean: e.mean, ciLow: e.ciLow, ciHigh: e.ciHigh });
    }
  }
  return rows;
}

/** Spans folded onto rows of `rowGpus` GPUs (a node, a decode actor), so a 256-GPU timeline stays readable. */
export function timelineRows(spans: readonly CompactSpan[], rowGpus: number, iteration: number): TimelineSpan[] {
  const out: TimelineSpan[] = [];
  const seen = new Set<string>();
  for (const span of spans) {
    const first = Math.floor(span.firstGpu / rowGpus);
    const last = Math.floor((span.firstGpu + span.gpus - 1) / rowGpus);
    for (let row = first; row <= last; row++) {
      const pool = `GPUs ${row * rowGpus}–${row * rowGpus + rowGpus - 1}`;
      const key = `${pool}|${span.stage}|${span.task}|${span.startS}|${span.endS}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ pool, gpus: span.gpus, task: span.task, stage: span.stage, iteration, start: span.startS, end: span.endS });
    }
  }
  return out.sort((a, b) => {
    const ra = Number(a.pool.slice(5).split('–')[0]);
    const rb = Number(b.pool.slice(5).split('–')[0]);
    return ra - rb || a.start - b.start || (a.task < b.task ? -1 : a.task > b.task ? 1 : 0);
  });
}

function timelineCharts(results: ReproduceResults, configId: string, rowGpus: number, idPrefix: string): ChartEntry[] {
  const run = results.main.find((r) => r.testCase.config.id === configId && r.result.timelines.length > 0);
  if (!run) return [];
  return run.result.timelines.map((timeline) => ({
    id: `${idPrefix}-${timeline.scheduler}`,
    title: `Who is busy when: ${timeline.scheduler}, ${run.testCase.config.label} (iteration ${timeline.iteration}, seed ${run.testCase.seed})`,
    spec: gpuTimelineChart(timelineRows(timeline.spans, rowGpus, timeline.iteration), { timeTitle: 'Time since the iteration started (s)', laneHeight: 6 }),
    description: `Every span the simulation recorded, folded onto rows of ${rowGpus} GPUs; colour is the stage. Overlapping spans of a row are stacked.`,
  }));
}

function rlhfuseCharts(results: ReproduceResults, book: EstimateBook): ChartEntry[] {
  const { data } = book;
  const charts: ChartEntry[] = [];
  if (data.configs('rlhfuse-main').length === 0) return charts;
  charts.push({
    id: 'rlhfuse-throughput',
    title: 'RLHFuse: throughput per system and configuration',
    spec: groupedBarChart(bars(book, 'rlhfuse-main', RLHFUSE_SCHEDULERS, 'samplesPerS'), { valueTitle: 'Throughput (samples/s)', valueUnit: 'samples/s', groupTitle: 'Actor/critic pair, max generation (tokens)', seriesTitle: 'System' }),
    description: 'Mean sample throughput over the measured iterations (after the warm-up), with 95 % bootstrap intervals; 256 Hopper GPUs, batch 512.',
  });
  const rows: LineCiRow[] = [];
  for (const baseline of ['deepspeed-chat', 'realhf', 'rlhfuse-base']) {
    for (const config of configsInOrder(book, 'rlhfuse-main')) {
      const e = book.speedup({ config: config.id, scheduler: baseline }, { config: config.id, scheduler: 'rlhfuse' }, 'iterationTimeS');
      if (e.n === 0) continue;
      rows.push({ series: `${config.dims['pair']} vs ${baseline}`, x: Number(config.dims['maxGenerationTokens']), mean: e.mean, ciLow: e.ciLow, ciHigh: e.ciHigh });
    }
  }
  if (rows.length > 0) {
    charts.push({
      id: 'rlhfuse-speedup-vs-length',
      title: 'RLHFuse speedup against the max generation length',
      spec: lineWithBandChart(rows, { xTitle: 'Max generation length (tokens)', xUnit: 'tokens', yTitle: 'Speedup of RLHFuse (×)', yUnit: '×', seriesTitle: 'Pair and baseline', xScale: 'log2', referenceY: 1 }),
      description: 'Ratio of mean iteration times on the same iterations; bands are 95 % paired-bootstrap intervals. The dashed line is no speedup.',
    });
  }
  charts.push({
    id: 'rlhfuse-ablation',
    title: 'RLHFuse ablation: which fusion buys what',
    spec: groupedBarChart(bars(book, 'rlhfuse-main', ['rlhfuse-base', 'rlhfuse-inter', 'rlhfuse-intra', 'rlhfuse'], 'iterationTimeS'), {
      valueTitle: 'Iteration time (s)',
      valueUnit: 's',
      groupTitle: 'Actor/critic pair, max generation (tokens)',
      seriesTitle: 'Fusion',
    }),
    description: 'RLHFuse-Base (no fusion), inter-stage fusion only, intra-stage fusion only, and both.',
  });
  const curveConfig = results.curve[0]?.testCase.config;
  if (curveConfig) {
    const { points, matrix } = book.data.curve(curveConfig.id, 'rlhfuse-inter', 'generationInferenceS');
    if (points.length > 0 && matrix[0]!.length > 0) {
      const curveRows = points.map((point) => {
        const e = book.curveMean({ config: curveConfig.id, scheduler: 'rlhfuse-inter' }, 'generationInferenceS', point);
        return { series: String(curveConfig.dims['pair']), x: point, mean: e.mean, ciLow: e.ciLow, ciHigh: e.ciHigh };
      });
      charts.push({
        id: 'rlhfuse-threshold-curve',
        title: 'Migration threshold: generation + inference time',
        spec: lineWithBandChart(curveRows, { xTitle: 'Migration threshold (share of the batch still unfinished)', yTitle: 'Generation + inference (s)', yUnit: 's', seriesTitle: 'Pair', optimum: 'min' }),
        description: `${curveConfig.label}: RLHFuse with inter-stage fusion only and the threshold fixed at each value; the diamond marks the optimum (the paper reports ≈ 0.2).`,
      });
    }
  }
  const gantt = results.pipeline.find((p) => p.gantt !== undefined);
  if (gantt?.gantt) {
    charts.push({
      id: 'rlhfuse-fused-pipeline',
      title: `Fused actor ‖ critic pipeline: ${gantt.name} (makespan ${gantt.makespan}, lower bound ${gantt.lowerBound})`,
      spec: pipelineGanttChart(gantt.gantt, { timeTitle: 'Time (FlexFusion units)', timeUnit: 'units' }),
      description: 'The searched schedule of the published FlexFusion instance: the actor runs down the nodes, the critic up in its own pipelines, filling the actor’s bubbles. Pale bars are forwards, solid bars backwards; numbers are micro-batches.',
    });
  }
  charts.push(...timelineCharts(results, RLHFUSE_PROBE_CONFIG, 8, 'rlhfuse-timeline'));
  return charts;
}

function rlhflessCharts(results: ReproduceResults, book: EstimateBook): ChartEntry[] {
  const { data } = book;
  const charts: ChartEntry[] = [];
  if (data.configs('rlhfless-grid').length > 0) {
    charts.push({
      id: 'rlhfless-throughput',
      title: 'RLHFless testbed: throughput per system and configuration',
      spec: groupedBarChart(bars(book, 'rlhfless-grid', GRID_SCHEDULERS, 'samplesPerS'), { valueTitle: 'Throughput (samples/s)', valueUnit: 'samples/s', groupTitle: 'Model, algorithm, dataset-like lengths', seriesTitle: 'System' }),
      description: 'Mean samples per second of a step over the 3 epochs, 16 L40S, with 95 % bootstrap intervals.',
    });
    const costRows: CostTimeRow[] = [];
    for (const config of configsInOrder(book, 'rlhfless-grid')) {
      for (const scheduler of GRID_SCHEDULERS) {
        if (!data.has(config.id, scheduler, 'iterationTimeS')) continue;
        const t = book.mean({ config: config.id, scheduler }, 'iterationTimeS');
        const c = book.mean({ config: config.id, scheduler }, 'costUsd');
        const short = `${String(config.dims['model']).replace(/^Qwen2\.5-/, '')} ${config.dims['algorithm']} ${config.dims['dataset']}`;
        costRows.push({ label: scheduler, series: scheduler, group: config.label, groupLabel: short, timePerStepS: t.mean, costPerStepUsd: c.mean, timeCiLow: t.ciLow, timeCiHigh: t.ciHigh, costCiLow: c.ciLow, costCiHigh: c.ciHigh });
      }
    }
    charts.push({
      id: 'rlhfless-cost-vs-time',
      title: 'RLHFless testbed: cost against time per step',
      spec: costVsTimeChart(costRows, { xTitle: 'Time per step (s)', yTitle: 'Cost per step (USD, GPU-seconds allocated × $3.77/GPU-h)', seriesTitle: 'System' }),
      description: 'Down and left is better. A grey line joins the systems of one configuration (model, algorithm, dataset-like lengths); a configuration is named beside its points where the name collides with nothing, and every point names it on hover. Cost is what is allocated: veRL holds all 16 GPUs for the whole step; RLHFless pays each function from its start to its release.',
    });
  }
  const ablation = data.config(ABLATION_CONFIG);
  if (ablation && data.has(ABLATION_CONFIG, 'verl')) {
    const rows: GroupedBarRow[] = [];
    for (const scheduler of ['rlhfless', ...ABLATION_SCHEDULERS, 'rlhfless-weak-predictor']) {
      if (!data.has(ABLATION_CONFIG, scheduler)) continue;
      for (const [metric, label] of [
        ['iterationTimeS', 'time per step'],
        ['gpuSecondsAllocated', 'GPU-seconds per step'],
      ] as const) {
        const e = book.ratioPct({ config: ABLATION_CONFIG, scheduler }, { config: ABLATION_CONFIG, scheduler: 'verl' }, metric);
        rows.push({ group: scheduler, series: label, mean: e.mean, ciLow: e.ciLow, ciHigh: e.ciHigh });
      }
    }
    charts.push({
      id: 'rlhfless-ablation',
      title: `RLHFless ablation: each technique switched off (${ablation.label})`,
      spec: groupedBarChart(rows, { valueTitle: 'Relative to veRL (%)', valueUnit: '%', groupTitle: 'Variant', seriesTitle: 'Measure' }),
      description: 'Mean time and GPU-seconds per step of each variant as a percentage of veRL’s on the same steps (below 100 % is better). rlhfless-naive has every technique off; oracle knows every length.',
    });
  }
  const sim = data.configs('rlhfless-sim');
  if (sim.length > 0) {
    const rows: LineCiRow[] = [];
    for (const config of [...sim].sort((a, b) => Number(a.dims['nodes']) - Number(b.dims['nodes']) || naturalCompare(a.id, b.id))) {
      const e = book.speedup({ config: config.id, scheduler: 'verl' }, { config: config.id, scheduler: 'rlhfless' }, 'iterationTimeS');
      if (e.n === 0) continue;
      rows.push({ series: `${config.dims['nodes']} nodes`, x: { '2k': 2048, '4k': 4096, '8k': 8192 }[String(config.dims['maxResponse'])] ?? 0, mean: e.mean, ciLow: e.ciLow, ciHigh: e.ciHigh });
    }
    charts.push({
      id: 'rlhfless-sim-speedup',
      title: 'RLHFless 70B simulation: generation speedup against the response cap',
      spec: lineWithBandChart(rows, { xTitle: 'Max response length (tokens)', xUnit: 'tokens', yTitle: 'Generation speedup over the baseline (×)', yUnit: '×', seriesTitle: 'Cluster', xScale: 'log2', referenceY: 1 }),
      description: 'Llama2-70B, batch 512, 2 H100 per decode actor, generation only; the baseline decodes on every GPU pair.',
    });
  }
  charts.push(...timelineCharts(results, ABLATION_CONFIG, 2, 'rlhfless-timeline'));
  return charts;
}

function traceCharts(results: ReproduceResults): ChartEntry[] {
  if (results.traces.length === 0) return [];
  return [
    {
      id: 'trace-lengths',
      title: 'Response-length distributions of the traces replayed',
      spec: lengthHistogramChart(
        results.traces.map(({ result }) => ({ series: `${result.label} (${result.mode})`, lengthsTokens: result.responseTokens })),
        { logX: true, xTitle: 'Response length (tokens, log scale)' },
      ),
      description: 'Each trace as recorded (or as generated from its fit when the recording is absent or too small), before the scenarios’ response caps; the rule marks the median.',
    },
  ];
}

function sensitivityCharts(results: ReproduceResults, units: ReadonlyMap<string, string>): ChartEntry[] {
  const charts: ChartEntry[] = [];
  for (const figure of results.figures) {
    if (!figure.headline) continue;
    const sensitivity = results.sensitivity.find((s) => s.figure === figure.id);
    if (!sensitivity || sensitivity.entries.length === 0 || !Number.isFinite(sensitivity.baseline)) continue;
    const unit = units.get(figure.id) ?? '';
    const varied = new Map(results.plan.config.sensitivity.varied.map((assumption) => [assumption.id, assumption]));
    const rows = sensitivity.entries.slice(0, 12).map((entry) => {
      const assumption = varied.get(entry.assumption);
      return {
        assumption: entry.assumption,
        ...(assumption ? { range: describeAssumptionRange(assumption.values, assumption.defaultValue, assumption.unit) } : {}),
        low: entry.low,
        high: entry.high,
        lowSetting: entry.lowSetting,
        highSetting: entry.highSetting,
      };
    });
    charts.push({
      id: `tornado-${figure.id.replace(/[^A-Za-z0-9]+/g, '-')}`,
      title: `Sensitivity of ${figure.id}`,
      spec: tornadoChart(rows, sensitivity.baseline, { valueTitle: `${figure.id} (${unit})`, valueUnit: unit }),
      description: `The figure on its probe configuration (${sensitivity.probeConfigs.join(', ')}; seed 1, fewer iterations) is ${Number(sensitivity.baseline.toPrecision(4))} ${unit} (the black rule). Each row is one named assumption, its plausible values under its name; a bar runs from the rule to the figure at the value printed at its end, blue where that value lowers the figure and orange where it raises it — whichever end of the assumption's range it is. The 12 widest of ${sensitivity.entries.length} varied assumptions.`,
    });
  }
  return charts;
}

export function reportCharts(results: ReproduceResults, units: ReadonlyMap<string, string>): ReportCharts {
  return {
    rlhfuse: rlhfuseCharts(results, results.book),
    rlhfless: rlhflessCharts(results, results.book),
    traces: traceCharts(results),
    sensitivity: sensitivityCharts(results, units),
  };
}
