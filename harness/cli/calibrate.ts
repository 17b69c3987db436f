import type { CommandFactory } from './commands.js';
import { inputPath, optionError, positiveIntegerOption } from './options.js';
import { measureFidelity, DEFAULT_FOLDS, DEFAULT_FOLD_SEED } from '../cost/calibration/fidelity.js';
import { fitCalibration } from '../cost/calibration/fit.js';
import { calibrationTable, fidelityDetailTable, fidelitySummaryTable } from '../cost/calibration/format.js';
import { readProfileInputs } from '../cost/calibration/inputs.js';
import { classifyProfiles } from '../cost/calibration/profile-rows.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { createProgress, type Progress } from '../util/progress.js';
import type { CliIo } from '../util/cli-io.js';
import { calibrateFramework } from '../fidelity/calibrate-framework.js';
import { DEFAULT_FALLBACK_LENGTHS, DEFAULT_KERNEL_CALIBRATION, packagePath, readFallbackLengths, readKernelCalibration } from '../fidelity/inputs.js';
import { loadRecorded } from '../fidelity/load-recorded.js';
import { prepareSources } from '../fidelity/run-fidelity.js';
import { frameworkErrorTable, frameworkParameterTable } from '../fidelity/tables.js';
import { roundForJson } from '../report/round-for-json.js';
import { formatTextTable } from '../report/text-table.js';

/**
 * `rlhf-replay calibrate <profiles...>`: fits achieved efficiencies and engine overheads from GPU
 * profiles (files or folders) into a calibration JSON; `--report` instead measures fidelity on
 * held-out rows (k-fold and leave-one-model-out) for the calibrated roofline and the
 * profile-interpolating model.
 */
export const calibrateCommand: CommandFactory = (context) => ({
  command: 'calibrate [profiles..]',
  describe: 'Fit the cost model: kernels to GPU profiles (Vidur, SplitwiseSim, canonical CSV; --report: held-out fidelity), or with --runs the framework parameters to recorded RL runs (leave-one-run-out)',
  builder: (yargs) =>
    yargs
      .positional('profiles', { type: 'string', array: true, describe: 'GPU profile files, or folders searched for them' })
      .option('runs', { type: 'string', array: true, describe: 'Recorded RL runs (runs.csv tables, veRL logs): fit the framework calibration to them instead, scored leave-one-run-out' })
      .option('out', { type: 'string', describe: 'Write the calibration JSON here (atomically)' })
      .option('report', { type: 'boolean', default: false, describe: 'Measure fidelity on held-out rows instead of (only) fitting' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document (the calibration, or with --report the fidelity report)' })
      .option('folds', { type: 'number', default: DEFAULT_FOLDS, describe: 'k of the k-fold validation (--report)' })
      .option('seed', { type: 'string', default: DEFAULT_FOLD_SEED, describe: 'Seed of the fold assignment (--report)' })
      .option('description', { type: 'string', describe: 'Description stored in the calibration' })
      .option('format', { type: 'string', describe: 'Force the profile format (skips detection); see `traces validate --help`' })
      .example('$0 calibrate ../shared/research/data/vidur ../shared/research/data/splitwise-sim --out calibration.json', 'fit on the public profiles')
      .example('$0 calibrate --report --json ../shared/research/data/splitwise-sim/perf_model.csv', 'held-out error, as JSON')
      .example('$0 calibrate --runs ../shared/research/data/rl-step-logs/runs.csv --out harness/cost/calibrations/rl-step-logs.json', 'the framework calibration on the recorded runs'),
  handler: async (argv) => {
    const { io } = context;
    if (argv.runs !== undefined) {
      await calibrateOnRuns(io, { runs: argv.runs as string[], ...(argv.out ? { out: argv.out as string } : {}), json: argv.json as boolean });
      return;
    }
    if (!argv.profiles || (argv.profiles as string[]).length === 0) throw optionError('profiles', argv.profiles, 'give GPU profile files or folders (or --runs for the framework calibration)');
    const folds = positiveIntegerOption('folds', argv.folds, 'folds')!;
    if (folds < 2) throw optionError('folds', folds, 'must be at least 2');
    const paths = (argv.profiles as string[]).map((p) => inputPath(io, p));
    const inputs = await readProfileInputs(paths, { cwd: io.cwd, ...(argv.format ? { format: argv.format as string } : {}) });
    const classified = classifyProfiles(inputs.profiles);
    for (const note of [...inputs.notes, ...classified.notes]) io.stderr(`note: ${note}\n`);
    if (classified.rows.length === 0) throw optionError('profiles', argv.profiles, 'no profile row has a cost-model counterpart (see the notes above)');

    const description = (argv.description as string | undefined) ?? `fitted from ${inputs.sources.map((s) => s.file).join(', ')}`;
    const calibration = fitCalibration(classified.rows, {
      description,
      sources: inputs.sources,
      dataDates: inputs.dataDates,
      notes: classified.notes,
      sourceLabel: inputs.label,
    });
    if (argv.out) await writeJsonAtomic(inputPath(io, argv.out as string), calibration);

    if (argv.report) {
      let progress: Progress | undefined;
      const report = measureFidelity(classified.rows, {
        folds,
        seed: argv.seed as string,
        onProgress: (done, total, label) => {
          progress ??= createProgress(io, total, 'calibrate --report');
          progress.update(done, label);
        },
      });
      progress?.finish();
      io.stdout(argv.json ? `${JSON.stringify(report, null, 2)}\n` : `${fidelitySummaryTable(report)}\n${fidelityDetailTable(report)}`);
      return;
    }
    if (argv.json) io.stdout(`${JSON.stringify(calibration, null, 2)}\n`);
    else {
      io.stdout(calibrationTable(calibration));
      io.stdout(argv.out ? `\nwrote ${argv.out as string}\n` : '\n(not written: give --out file.json to keep it, or --json to print it)\n');
    }
  },
});

/** `calibrate --runs`: the framework calibration on recorded runs, with its in-sample and leave-one-run-out errors. */
async function calibrateOnRuns(io: CliIo, argv: { runs: string[]; out?: string; json: boolean }): Promise<void> {
  const paths = argv.runs.flatMap((p) => p.split(',')).filter((p) => p !== '').map((p) => inputPath(io, p));
  const [kernelCalibration, fallbackLengths, loaded] = await Promise.all([
    readKernelCalibration(packagePath(DEFAULT_KERNEL_CALIBRATION)),
    readFallbackLengths(packagePath(DEFAULT_FALLBACK_LENGTHS)),
    loadRecorded(paths),
  ]);
  const seed = 1;
  const { prepared, unsupported } = prepareSources(loaded.sources, { fallbackLengths, seed });
  let progress: Progress | undefined;
  const shownSources = argv.runs.map((p) => p.replace(/^(\.\.\/)+shared\//, 'shared/'));
  const result = await calibrateFramework(prepared, {
    kernelCalibration,
    seed,
    sources: shownSources,
    command: `rlhf-replay calibrate --runs ${shownSources.join(' ')}${argv.out ? ` --out ${argv.out}` : ''}`,
    onProgress: (done, total, label) => {
      progress ??= createProgress(io, total, 'calibrate --runs');
      progress.update(done, label);
    },
  });
  progress?.finish();
  const calibration = { ...result.calibration, notes: [...result.calibration.notes, ...unsupported.map((u) => `not simulated: ${u.runId}: ${u.reason}`)] };
  if (argv.out) await writeJsonAtomic(inputPath(io, argv.out), calibration);
  if (argv.json) {
    io.stdout(`${JSON.stringify(calibration, roundForJson, 2)}\n`);
    return;
  }
  io.stdout(formatTextTable(frameworkParameterTable(calibration)));
  io.stdout('\nerrors by stage (in sample: fitted on every run; leave-one-run-out: each run predicted by a fit without it)\n');
  io.stdout(formatTextTable(frameworkErrorTable(calibration)));
  for (const note of calibration.notes) io.stdout(`note: ${note}\n`);
  io.stdout(argv.out ? `\nwrote ${argv.out}\n` : '\n(not written: give --out file.json to keep it, or --json to print it)\n');
}
