import type { CommandFactory } from './commands.js';
import { benchSuites } from '../bench/index.js';
import { benchTable, runBenchSuites, selectSuites } from '../bench/run.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { inputPath } from './options.js';

export const benchCommand: CommandFactory = (context) => ({
  command: 'bench',
  describe: "Measure the harness's own speed (tinybench): ingestion rows/s, peak memory, …",
  builder: (yargs) =>
    yargs
      .option('suite', { type: 'string', array: true, default: [] as string[], describe: `Suites to run (default all): ${benchSuites.map((s) => s.name).join(', ')}` })
      .option('quick', { type: 'boolean', default: false, describe: 'Small inputs and few repetitions (a smoke run)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the figures as one JSON document' })
      .option('out', { type: 'string', describe: 'Also write the JSON document to this file (atomically)' })
      .example('$0 bench --suite ingestion', 'ingestion figures, full size')
      .example('$0 bench --quick --json --out bench.json', 'a fast run, kept for comparison'),
  handler: async (argv) => {
    const { io } = context;
    const suites = selectSuites(benchSuites, argv.suite as string[]);
    const result = await runBenchSuites(suites, { quick: argv.quick as boolean, io });
    if (argv.out) await writeJsonAtomic(inputPath(io, argv.out as string), result);
    io.stdout(argv.json ? `${JSON.stringify(result, null, 2)}\n` : benchTable(result));
  },
});
