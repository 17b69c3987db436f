import type { CommandFactory } from '../commands.js';
import { resolveFormat } from '../../traces/formats/detect.js';
import { traceFormats } from '../../traces/formats/index.js';
import type { LengthGroupItem } from '../../traces/length-stream.js';
import { readGpuProfile, readStageTimings, streamLengthGroups } from '../../traces/read.js';
import { canonicalContainer, CANONICAL_FORMATS, writeGpuProfile, writeLengthGroups, writeStageTimings } from '../../traces/write.js';
import { InputError } from '../../util/input-error.js';
import { inputPath } from '../options.js';
import { maxResponseOption, withFormatOption, withMaxResponseOption } from './options.js';

export const convertCommand: CommandFactory = (context) => ({
  command: 'convert <input>',
  describe: 'Convert a trace of any format to the canonical format (.jsonl or .csv); writes atomically',
  builder: (yargs) =>
    withMaxResponseOption(withFormatOption(yargs))
      .positional('input', { type: 'string', demandOption: true, describe: 'A trace file or PolyTrace directory' })
      .option('to', { type: 'string', demandOption: true, describe: 'Output file; its extension (.jsonl or .csv) picks the canonical format' })
      .option('allow-lossy', { type: 'boolean', default: false, describe: 'Drop what the output cannot hold (per-turn data or metrics in CSV) instead of failing' })
      .option('json', { type: 'boolean', default: false, describe: 'Print what was written as one JSON document' })
      .example('$0 traces convert ../shared/research/data/mooncake/conversation_trace.jsonl --to mooncake.csv', 'a public trace to canonical CSV'),
  handler: async (argv) => {
    const { io } = context;
    const input = inputPath(io, argv.input as string);
    const output = inputPath(io, argv.to as string);
    const allowLossy = argv['allow-lossy'] as boolean;
    const maxResponseTokens = maxResponseOption(argv['max-response']);
    const format = await resolveFormat(input, traceFormats, argv.format ? { format: argv.format as string } : {});
    const readOptions = { format: format.name, ...(maxResponseTokens !== undefined ? { maxResponseTokens } : {}) };
    let outputFormat: string;
    let counts: Record<string, number>;
    switch (format.kind) {
      case 'lengths': {
        const container = canonicalContainer(output);
        const { meta } = await streamLengthGroups(input, readOptions);
        counts = { groups: 0, samples: 0 };
        const tally = counts;
        // Each call re-reads the input: the CSV writer makes a column pass and a row pass, so memory stays bounded.
        const groups = async function* (): AsyncGenerator<LengthGroupItem> {
          tally.groups = 0;
          tally.samples = 0;
          for await (const item of (await streamLengthGroups(input, readOptions)).groups) {
            tally.groups++;
            tally.samples += item.group.responseTokens.length;
            yield item;
          }
        };
        await writeLengthGroups(output, meta, groups, { allowLossy });
        outputFormat = CANONICAL_FORMATS.lengths[container];
        break;
      }
      case 'gpu-profile': {
        const profile = await readGpuProfile(input, { format: format.name });
        await writeGpuProfile(output, profile);
        outputFormat = CANONICAL_FORMATS.gpuProfile.csv;
        counts = { rows: profile.rows.length };
        break;
      }
      case 'stage-timings': {
        const container = canonicalContainer(output);
        const trace = await readStageTimings(input, { format: format.name });
        await writeStageTimings(output, trace, { allowLossy });
        outputFormat = CANONICAL_FORMATS.stageTimings[container];
        counts = { iterations: trace.iterations.length };
        break;
      }
      case 'table':
        throw new InputError({ file: input, field: 'format', value: format.name, message: 'is a side table, not a trace: there is no canonical form to convert it to' });
    }
    const summary = { input: argv.input as string, inputFormat: format.name, output: argv.to as string, outputFormat, counts };
    if (argv.json) io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    else
      io.stdout(
        `wrote ${summary.output} (${outputFormat}: ${Object.entries(counts)
          .map(([name, count]) => `${count} ${name}`)
          .join(', ')}) from ${summary.input} (${format.name})\n`,
      );
  },
});
