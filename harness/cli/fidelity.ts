import type { CommandFactory } from './commands.js';
import { inputPath, positiveIntegerOption, seedOption, userStatedRun, userStatedRunOptions } from './options.js';
import { loadRecorded, DEFAULT_LOG_STEPS } from '../fidelity/load-recorded.js';
import { DEFAULT_FALLBACK_LENGTHS, DEFAULT_FRAMEWORK_CALIBRATION, DEFAULT_KERNEL_CALIBRATION, packagePath, readFallbackLengths, readFrameworkCalibration, readKernelCalibration } from '../fidelity/inputs.js';
import { fidelityPage } from '../fidelity/report-page.js';
import { runFidelity } from '../fidelity/run-fidelity.js';
import { fidelityErrorTable, stepHeading, stepTable } from '../fidelity/tables.js';
import { writeChartPage } from '../report/page.js';
import { roundForJson } from '../report/round-for-json.js';
import { formatTextTable } from '../report/text-table.js';
import { createProgress } from '../util/progress.js';

/**
 * `rlhf-replay fidelity --runs FILE…`: simulates every recorded RL training step it is given
 * (recorded-runs tables such as runs.csv, whole veRL console logs) and compares each stage with
 * what was measured. Rows of runs the framework calibration was fitted on are predicted by the fit
 * that left their run out, so every error printed is out of sample.
 */
export const fidelityCommand: CommandFactory = (context) => ({
  command: 'fidelity',
  describe: 'Simulate recorded RL training steps (runs.csv, veRL logs) and compare every stage with the measurement, out of sample',
  builder: (yargs) =>
    yargs
      .option('runs', { type: 'string', array: true, demandOption: true, describe: 'Recorded-runs tables (runs.csv format) and/or whole veRL console logs' })
      .option('calibration', {
        type: 'string',
        default: DEFAULT_FRAMEWORK_CALIBRATION,
        describe: "Framework calibration (from `calibrate --runs`), or 'none' for the raw cost model",
      })
      .option('kernel-calibration', { type: 'string', default: DEFAULT_KERNEL_CALIBRATION, describe: 'Kernel calibration (from `calibrate` on GPU profiles)' })
      .option('fallback-lengths', { type: 'string', default: DEFAULT_FALLBACK_LENGTHS, describe: 'Fitted length model used where a step publishes no length statistics' })
      .option('log-steps', { type: 'number', default: DEFAULT_LOG_STEPS, describe: 'Steps taken from each log given directly (evenly spaced after the warm-up step)' })
      .options(userStatedRunOptions)
      .option('seed', { type: 'number', default: 1, describe: 'Seed of the synthesised workloads and of every random choice in the simulation' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document: { rows, summary, unsupported }' })
      .option('html', { type: 'string', describe: 'Also write an offline HTML page: simulated vs measured per stage (log–log), errors by stage and by run' })
      .example('$0 fidelity --runs ../shared/research/data/rl-step-logs/runs.csv', 'every published step, out of sample')
      .example('$0 fidelity --runs my-run.log --calibration none --json', 'your own veRL log against the raw cost model')
      .example('$0 fidelity --runs my-run.log --model qwen2.5-7b --gpu h100-sxm', 'a log that names a local checkpoint, on the GPU it ran on (--gpu, --model, --date apply to the logs given directly)'),
  handler: async (argv) => {
    const { io } = context;
    const seed = seedOption(argv.seed);
    const logSteps = positiveIntegerOption('log-steps', argv['log-steps'], 'steps')!;
    const paths = (argv.runs as string[]).flatMap((p) => p.split(',')).filter((p) => p !== '').map((p) => inputPath(io, p));
    const calibrationPath = argv.calibration as string;
    const shipped = (path: string, fallback: string) => (path === fallback ? packagePath(fallback) : inputPath(io, path));
    const [kernelCalibration, framework, fallbackLengths, loaded] = await Promise.all([
      readKernelCalibration(shipped(argv['kernel-calibration'] as string, DEFAULT_KERNEL_CALIBRATION)),
      readFrameworkCalibration(calibrationPath === 'none' ? 'none' : shipped(calibrationPath, DEFAULT_FRAMEWORK_CALIBRATION)),
      readFallbackLengths(shipped(argv['fallback-lengths'] as string, DEFAULT_FALLBACK_LENGTHS)),
      loadRecorded(paths, { logSteps, stated: userStatedRun(argv) }),
    ]);
    const progress = createProgress(io, loaded.sources.length, 'fidelity');
    const report = await runFidelity(loaded.sources, { kernelCalibration, ...(framework ? { framework } : {}), seed, fallbackLengths }, (done, _total, label) => progress.update(done, label));
    progress.finish();
    if (argv.html) await writeChartPage(inputPath(io, argv.html as string), fidelityPage(report, { framework, sources: paths }));
    if (argv.json) {
      io.stdout(`${JSON.stringify({ rows: report.rows, summary: report.summary, unsupported: report.unsupported }, roundForJson, 2)}\n`);
      return;
    }
    io.stdout(`fidelity of ${report.steps.length} recorded step(s) · framework calibration: ${framework ? calibrationPath : 'none (raw cost model)'}\n`);
    for (const step of report.steps) {
      io.stdout(`\n${stepHeading(step)}\n`);
      io.stdout(formatTextTable(stepTable(step)));
      for (const reason of step.outsideCalibration) io.stdout(`  outside the calibration: ${reason}\n`);
    }
    io.stdout('\nsummary (|error| = |simulated / measured − 1|; out of sample: each run predicted by the fit that left it out; in sample: the fit on every run)\n');
    io.stdout(formatTextTable(fidelityErrorTable(report)));
    for (const u of report.unsupported) io.stdout(`not simulated: ${u.runId}: ${u.reason}\n`);
    if (report.unsupported.some((u) => /^model '.*' is not in the catalog/.test(u.reason))) io.stdout('note: a log that names a local checkpoint needs its model named: --model <catalog id>\n');
    for (const note of loaded.notes) io.stdout(`note: ${note}\n`);
    if (argv.html) io.stdout(`page: ${argv.html as string}\n`);
  },
});
