import type { CommandFactory } from './commands.js';
import { inputPath, optionError, positiveIntegerOption } from './options.js';
import { measureFidelity, DEFAULT_FOLDS, DEFAULT_FOLD_SEED } from '../cost/calibration/fidelity.js';
import { fitCalibration } from '../cost/calibration/fit.js';
import { calibrationTable, fidelityDetailTable, fidelitySummaryTable } from '../cost/calibration/format.js';
import { readProfileInputs } from '../cost/calibration/inputs.js';
import { classifyProfiles } from '../cost/calibration/profile-rows.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { createProgress, type Progress } from '../util/progress.js';

/**
 * `rlhf-replay calibrate <profiles...>`: fits achieved efficiencies and engine overheads from GPU
 * profiles (files or folders) into a calibration JSON; `--report` instead measures fidelity on
 * held-out rows (k-fold and leave-one-model-out) for the calibrated roofline and the
 * profile-interpolating model.
 */
export const calibrateCommand: CommandFactory = (context) => ({
  command: 'calibrate <profiles..>',
  describe: 'Fit the cost model to GPU profiles (Vidur, SplitwiseSim, canonical CSV); --report measures held-out fidelity',
  builder: (yargs) =>
    yargs
      .positional('profiles', { type: 'string', array: true, describe: 'GPU profile files, or folders searched for them' })
      .option('out', { type: 'string', describe: 'Write the calibration JSON here (atomically)' })
      .option('report', { type: 'boolean', default: false, describe: 'Measure fidelity on held-out rows instead of (only) fitting' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document (the calibration, or with --report the fidelity report)' })
      .option('folds', { type: 'number', default: DEFAULT_FOLDS, describe: 'k of the k-fold validation (--report)' })
      .option('seed', { type: 'string', default: DEFAULT_FOLD_SEED, describe: 'Seed of the fold assignment (--report)' })
      .option('description', { type: 'string', describe: 'Description stored in the calibration' })
      .option('format', { type: 'string', describe: 'Force the profile format (skips detection); see `traces validate --help`' })
      .example('$0 calibrate ../shared/research/data/vidur ../shared/research/data/splitwise-sim --out calibration.json', 'fit on the public profiles')
      .example('$0 calibrate --report --json ../shared/research/data/splitwise-sim/perf_model.csv', 'held-out error, as JSON'),
  handler: async (argv) => {
    const { io } = context;
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
