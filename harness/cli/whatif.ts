import { EXIT_CHECK_FAILED } from '../util/exit-codes.js';
import type { CommandFactory } from './commands.js';
import { inputPath, knownSchedulerNames, optionError, positiveIntegerOption, schedulerListOption, schedulerOption, seedOption } from './options.js';
import { scenarioIterations } from '../scenario/batches.js';
import { loadScenario } from '../scenario/loader.js';
import { scenarioAssumptions } from '../scenario/scenario.js';
import { chromeTrace } from '../sim/chrome-trace.js';
import { roundForJson } from '../report/round-for-json.js';
import type { ChromeTraceTimeUnit } from '../traces/gpu/kineto-reader.js';
import { readWorkload } from '../traces/read.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { createProgress } from '../util/progress.js';
import { whatIfJson, type WhatIfMeta } from '../whatif/report-json.js';
import { formatWhatIf } from '../whatif/report-text.js';
import { whatIf } from '../whatif/what-if.js';
import { GPU_TRACE_FORMATS, loadStageMap, readRecordedGpuTrace } from './gpu-trace-input.js';
import { asyncWhatIfOptions, checkModeFlags, runAsyncWhatIf } from './whatif-async.js';

export const whatifCommand: CommandFactory = (context) => ({
  command: 'whatif',
  describe: 'What-if replay of a recorded run: its GPU trace against the baseline simulation (fidelity), then what other schedulers would change; with --async, whether the co-located run should go asynchronous (rollout:trainer splits, staleness, the time–cost–staleness frontier)',
  builder: (yargs) =>
    yargs
      .option('gpu-trace', { type: 'string', describe: 'The recorded GPU trace (torch.profiler/Kineto JSON[.gz] or a folder of ranks, nsys CSV, nvidia-smi or DCGM log); required without --async, optional with it' })
      .option('lengths', { type: 'string', demandOption: true, describe: "The run's response-length trace (any format `traces validate` reads)" })
      .option('scenario', { type: 'string', demandOption: true, describe: 'Scenario JSON describing the run (cluster, models, layouts): harness/scenario/scenarios/*.json' })
      .option('async', { type: 'boolean', default: false, describe: 'Search asynchronous set-ups of the co-located run instead: one-step-off and fully-async over rollout:trainer splits and staleness, against the co-located simulation, with the time–cost–staleness frontier; the GPU trace is optional (given, the recorded step is set against the co-located simulation and every point projected onto it)' })
      .option('baseline', { type: 'string', describe: 'The scheduler that matches how the recorded run went (its fidelity is reported) [default: verl; with --async: verl, or megatron-colocated for a Megatron layout]' })
      .option('scheduler', { type: 'string', array: true, describe: `Schedulers to compare, comma-separated (default all): ${knownSchedulerNames()}; with --async: one-step-off, fully-async (default both)` })
      .option('stage-map', { type: 'string', describe: 'JSON mapping more annotation names to stages: {"stages": {"rollout": "gen", "make_experience": ["ref", "values"], "adv": null}}' })
      .option('iterations', { type: 'number', describe: 'Compare at most this many recorded steps (default: every recorded step the lengths trace covers); with --async: replay this many iterations per point (default 1: the asynchronous schedulers simulate each as a steady-state window)' })
      .option('seed', { type: 'number', default: 1, describe: 'Seed of every random choice in the simulation' })
      .option('keep-trace-batches', { type: 'boolean', default: false, describe: "Replay the lengths trace's iterations as recorded instead of re-cutting them to the scenario's batch" })
      .option('bin-ms', { type: 'number', describe: 'Utilisation bin width of every series, ms (default: the longest run / 240, rounded to 1-2-5; finer for a much shorter run)' })
      .option('format', { choices: GPU_TRACE_FORMATS, describe: 'Force the GPU trace format instead of detecting it' })
      .option('time-unit', { choices: ['us', 'ns', 'ms'] as ChromeTraceTimeUnit[], default: 'us' as ChromeTraceTimeUnit, describe: 'Unit of ts/dur in Chrome-trace JSON (µs by the format)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document: { meta, recorded, fidelity, schedulers, notApplicable, utilization, stageMap, notes, simulationNotes }' })
      .option('chart', { type: 'string', describe: 'Write an HTML page: recorded and simulated utilisation overlaid, fidelity and scheduler tables' })
      .option('chrome-trace', { type: 'string', describe: 'Write the simulated timelines as a Chrome trace (open in ui.perfetto.dev)' })
      .option('force', { type: 'boolean', describe: 'Print the projections even when the recorded run lies outside its simulation’s error band (exit code 1 is kept)' })
      .options(asyncWhatIfOptions)
      .example('$0 whatif --gpu-trace profiles/ --lengths run.jsonl --scenario my-run.json', 'every scheduler against a recorded veRL run')
      .example('$0 whatif --gpu-trace rank0.pt.trace.json.gz --lengths run.jsonl --scenario s.json --baseline openrlhf --scheduler rlhfuse-base --stage-map names.json --chart whatif.html', 'an OpenRLHF run with its own annotation names')
      .example('$0 whatif --async --lengths run.jsonl --scenario my-run.json --chart async.html', 'should my co-located run go asynchronous? 20 rollout:trainer splits × one-step-off and fully-async at staleness 0, 0.1, 0.3, 0.5')
      .example('$0 whatif --async --lengths run.jsonl --scenario my-run.json --rollout-gpus 32,48,64 --gpus 64,96 --staleness 0.5 --require-batches 1,4 --json', 'given splits on two cluster sizes (time against cost), one staleness, two local-update sizes')
      .example('$0 whatif --async --lengths run.jsonl --scenario my-run.json --shard 0/4 --out shards/', 'a quarter of the splits; then `rlhf-replay merge shards/`'),
  handler: async (argv) => {
    const { io } = context;
    checkModeFlags(argv as Record<string, unknown>, argv.async as boolean);
    if (argv.async) return runAsyncWhatIf(context, argv as Record<string, unknown>);
    const fromCwd = (p: string) => inputPath(io, p);
    const baseline = schedulerOption('baseline', String(argv.baseline ?? 'verl'));
    const chosen = schedulerListOption(argv.scheduler);
    const limit = positiveIntegerOption('iterations', argv.iterations, 'steps');
    const seed = seedOption(argv.seed);
    const binMs = argv['bin-ms'] as number | undefined;
    if (binMs !== undefined && !(Number.isFinite(binMs) && binMs > 0)) throw optionError('bin-ms', binMs, 'must be a number > 0');
    const stageMap = await loadStageMap(argv['stage-map'] === undefined ? undefined : fromCwd(argv['stage-map'] as string));
    const scenario = await loadScenario(fromCwd(argv.scenario as string));

    const { trace, summary, activities } = await readRecordedGpuTrace(io, argv as Record<string, unknown>);

    const workload = await readWorkload(fromCwd(argv.lengths as string));
    const { iterations, notes: batchNotes } = scenarioIterations(workload, scenario, { keepTraceBatches: argv['keep-trace-batches'] as boolean });
    if (iterations.length === 0) throw optionError('lengths', argv.lengths, 'has no prompt groups to replay');

    let simulating: ReturnType<typeof createProgress> | undefined;
    const report = await whatIf({
      trace,
      summary,
      activities,
      iterations,
      scenario,
      baseline,
      schedulers: chosen,
      stageMap,
      seed,
      ...(limit !== undefined ? { iterationLimit: limit } : {}),
      ...(binMs !== undefined ? { binS: binMs / 1000 } : {}),
      onProgress: (done, total, label) => {
        simulating ??= createProgress(io, total, 'simulating');
        simulating.update(done, label);
      },
    });
    (simulating as ReturnType<typeof createProgress> | undefined)?.finish();
    const notes = [...workload.meta.notes, ...batchNotes, ...report.notes];
    const full = { ...report, notes };
    const meta: WhatIfMeta = {
      gpuTrace: argv['gpu-trace'] as string,
      lengths: argv.lengths as string,
      lengthsSynthetic: workload.meta.synthetic,
      scenario: scenario.name,
      baseline: baseline.name,
      schedulers: [baseline.name, ...chosen.map((s) => s.name).filter((n) => n !== baseline.name)],
      seed,
      costModel: report.costModel,
      assumptions: scenarioAssumptions(scenario),
    };

    const chartPath = argv.chart as string | undefined;
    if (chartPath !== undefined) {
      const { writeChartPage } = await import('../report/page.js');
      const { whatIfPage } = await import('../whatif/report-page.js');
      await writeChartPage(fromCwd(chartPath), whatIfPage(full, meta, Boolean(argv.force)));
    }
    const chromePath = argv['chrome-trace'] as string | undefined;
    if (chromePath !== undefined) {
      await writeJsonAtomic(fromCwd(chromePath), chromeTrace(report.results, { scenario: scenario.name, trace: argv.lengths as string, seed: String(seed) }));
    }
    const force = Boolean(argv.force);
    // A recorded run its simulation does not describe is a failed check: exit 1 (projections only with --force).
    if (report.mismatch) context.exitCode = EXIT_CHECK_FAILED;
    if (argv.json) {
      io.stdout(`${JSON.stringify(whatIfJson(full, meta, stageMap, force), roundForJson, 2)}\n`);
      return;
    }
    io.stdout(formatWhatIf(full, meta, stageMap.source, force));
    if (chartPath !== undefined) io.stdout(`chart written to ${chartPath}\n`);
    if (chromePath !== undefined) io.stdout(`chrome trace: ${chromePath} (open in ui.perfetto.dev)\n`);
  },
});
