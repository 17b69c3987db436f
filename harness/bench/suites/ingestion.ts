import { join } from 'node:path';
import { Bench } from 'tinybench';
import { streamLengthGroups } from '../../traces/read.js';
import type { BenchFigure, BenchSuite } from '../types.js';
import { runIngestionProbe } from './ingestion-child.js';
import { writeBenchLengthsCsv, writeBenchLengthsJsonl } from './ingestion-input.js';

/** Rows (samples) of the scale case the issue names, and of its quick stand-in. */
export const SCALE_ROWS = 1_500_000;
const QUICK_SCALE_ROWS = 150_000;

async function countSamples(path: string): Promise<number> {
  let samples = 0;
  for await (const { group } of (await streamLengthGroups(path)).groups) samples += group.responseTokens.length;
  return samples;
}

/**
 * Ingestion speed and memory: samples/s reading canonical CSV and JSONL (tinybench, repeated
 * timed reads of a mid-sized file), and the peak RSS and throughput of `traces stats`' streaming
 * path on the 1.5M-row CSV, measured in a child process so the figure is the reader's own.
 */
export const ingestionSuite: BenchSuite = {
  name: 'ingestion',
  description: 'trace reading: CSV and JSONL rows/s, and peak RSS streaming a 1.5M-row CSV',
  async run({ quick, io, scratchDir }) {
    const timedRows = quick ? 20_000 : 150_000;
    const scaleRows = quick ? QUICK_SCALE_ROWS : SCALE_ROWS;
    const csv = join(scratchDir, 'timed.csv');
    const jsonl = join(scratchDir, 'timed.jsonl');
    const scaleCsv = join(scratchDir, 'scale.csv');
    await writeBenchLengthsCsv(csv, timedRows);
    await writeBenchLengthsJsonl(jsonl, timedRows);

    const bench = new Bench({ iterations: quick ? 2 : 5, warmupIterations: 1, time: 0, retainSamples: true });
    bench.add('csv', async () => {
      if ((await countSamples(csv)) !== timedRows) throw new Error('csv benchmark read the wrong number of samples');
    });
    bench.add('jsonl', async () => {
      if ((await countSamples(jsonl)) !== timedRows) throw new Error('jsonl benchmark read the wrong number of samples');
    });
    io.stderr(io.stderrIsTTY ? `ingestion: timing ${timedRows}-row reads…\n` : '');
    await bench.run();
    const figures: BenchFigure[] = [];
    for (const task of bench.tasks) {
      const result = task.result;
      if (!result || result.state !== 'completed') throw new Error(`ingestion benchmark '${task.name}' did not complete`);
      const samplesMs = [...(result.latency.samples ?? [])];
      figures.push({
        name: `read canonical ${task.name} (${timedRows} samples)`,
        value: timedRows / (result.latency.mean / 1000),
        unit: 'rows/s',
        better: 'higher',
        samples: samplesMs.map((ms) => timedRows / (ms / 1000)),
        note: task.name === 'csv' ? 'one row per sample, csv-parse streaming' : 'one line per group of 8 samples; rows = samples',
      });
    }

    await writeBenchLengthsCsv(scaleCsv, scaleRows);
    io.stderr(io.stderrIsTTY ? `ingestion: streaming stats over ${scaleRows} rows in a child process…\n` : '');
    const outcome = await runIngestionProbe(scaleCsv, 'stats');
    if (!outcome.result) throw new Error(`ingestion probe failed (exit ${outcome.exitCode}, signal ${outcome.signal}): ${outcome.stderr.slice(0, 2000)}`);
    const { result } = outcome;
    figures.push(
      {
        name: `traces stats peak RSS (${scaleRows}-row csv)`,
        value: result.maxRssBytes / 2 ** 20,
        unit: 'MB',
        better: 'lower',
        note: 'maxRSS of a child process streaming the CSV into the stats accumulator (includes Node + tsx, ~50-60 MB)',
      },
      { name: `traces stats peak heap (${scaleRows}-row csv)`, value: result.peakHeapUsedBytes / 2 ** 20, unit: 'MB', better: 'lower', note: 'heapUsed sampled every 25,000 groups (includes garbage not yet collected)' },
      { name: `traces stats throughput (${scaleRows}-row csv)`, value: result.samples / result.seconds, unit: 'rows/s', better: 'higher', note: 'one run, child process, includes process start-up work after module load' },
    );
    return figures;
  },
};
