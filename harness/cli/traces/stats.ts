import type { CommandFactory } from '../commands.js';
import type { CliIo } from '../../util/cli-io.js';
import type { LengthGroupItem } from '../../traces/length-stream.js';
import { streamLengthGroups } from '../../traces/read.js';
import { lengthStatsOfStream, type LengthStats, type LengthStatsFields } from '../../traces/stats.js';
import type { WorkloadMeta } from '../../traces/types.js';
import { writeJsonAtomic } from '../../util/atomic-write.js';
import { createCountProgress, type Progress } from '../../util/progress.js';
import { inputPath } from '../options.js';
import { maxResponseOption, withFormatOption, withMaxResponseOption } from './options.js';

const COLUMNS = [
  'iteration',
  'groups',
  'samples',
  'prompt_tokens_mean',
  'response_tokens_mean',
  'response_tokens_p50',
  'response_tokens_p90',
  'response_tokens_p99',
  'response_tokens_max',
  'truncated_fraction',
  'tail_share_1pct',
  'tail_share_10pct',
] as const;

function rowCells(label: string, fields: LengthStatsFields): string[] {
  const tokens = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));
  return [
    label,
    String(fields.groups),
    String(fields.samples),
    fields.promptTokens.mean.toFixed(1),
    fields.responseTokens.mean.toFixed(1),
    tokens(fields.responseTokens.p50),
    tokens(fields.responseTokens.p90),
    tokens(fields.responseTokens.p99),
    tokens(fields.responseTokens.max),
    fields.truncatedFraction.toFixed(4),
    fields.tailShare1pct.toFixed(4),
    fields.tailShare10pct.toFixed(4),
  ];
}

/** A plain text table: right-aligned numbers, a header with units in the names. */
export function statsTable(stats: LengthStats): string {
  const rows = [[...COLUMNS] as string[], ...stats.iterations.map((it) => rowCells(String(it.iteration), it)), rowCells('total', stats.total)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n') + '\n';
}

function describeMeta(meta: WorkloadMeta): string {
  const lines = [`format: ${meta.format}${meta.synthetic ? ' (synthetic)' : ''}`];
  if (meta.description) lines.push(`description: ${meta.description}`);
  if (meta.generator) lines.push(`generator: ${meta.generator.name}, seed ${meta.generator.seed}, parameters ${meta.generator.parameters}`);
  lines.push(`length cap: ${meta.maxResponseTokens !== undefined ? `${meta.maxResponseTokens} tokens (${meta.maxResponseTokensSource ?? 'recorded'})` : 'unknown'}`);
  if (meta.derivedFrom) lines.push(`derived from: ${meta.derivedFrom.format} (${meta.derivedFrom.files.join(', ')})`);
  for (const note of meta.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}

/** Passes the groups through unchanged, counting the samples read into `progress`. */
export async function* countingSamples(groups: AsyncIterable<LengthGroupItem>, progress: Progress): AsyncGenerator<LengthGroupItem> {
  let samples = 0;
  let groupCount = 0;
  for await (const item of groups) {
    samples += item.group.responseTokens.length;
    groupCount += 1;
    progress.update(samples, `(group ${groupCount}, iteration ${item.group.iteration})`);
    yield item;
  }
}

async function printStats(io: CliIo, meta: WorkloadMeta, stats: LengthStats, json: boolean): Promise<void> {
  if (json) io.stdout(`${JSON.stringify(stats, null, 2)}\n`);
  else io.stdout(`${describeMeta(meta)}\n${statsTable(stats)}`);
}

export const statsCommand: CommandFactory = (context) => ({
  command: 'stats <path>',
  describe: 'Per-iteration and total response-length statistics of a trace (streams: bounded memory on big files)',
  builder: (yargs) =>
    withMaxResponseOption(withFormatOption(yargs))
      .positional('path', { type: 'string', demandOption: true, describe: 'A response-length trace: file or PolyTrace directory' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the statistics as one JSON document' })
      .option('out', { type: 'string', describe: 'Also write the JSON document to this file (atomically)' })
      .example('$0 traces stats traces/examples/dapo-like.jsonl', 'summarise a trace')
      .example('$0 traces stats run/ --max-response 16384 --json', 'with a known length cap, as JSON'),
  handler: async (argv) => {
    const { io } = context;
    const maxResponseTokens = maxResponseOption(argv['max-response']);
    const stream = await streamLengthGroups(inputPath(io, argv.path as string), {
      ...(argv.format ? { format: argv.format as string } : {}),
      ...(maxResponseTokens !== undefined ? { maxResponseTokens } : {}),
    });
    // A streamed trace's size is unknown until its end: progress is a running count (stderr, TTY only).
    const progress = createCountProgress(io, 'reading', 'samples');
    let stats: LengthStats;
    try {
      stats = await lengthStatsOfStream(countingSamples(stream.groups, progress));
    } finally {
      progress.finish(); // also before an input error is printed
    }
    if (argv.out) await writeJsonAtomic(inputPath(io, argv.out as string), stats);
    await printStats(io, stream.meta, stats, argv.json as boolean);
  },
});
