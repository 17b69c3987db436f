import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticKinetoTrace } from '../../traces/gpu/synthetic-kineto-trace.js';
import { projectRoot } from '../../util/shared-data.js';
import type { BenchFigure, BenchOptions, BenchSuite } from '../types.js';

/**
 * Reading recorded GPU traces: a generated torch.profiler trace of 500 MB (50 MB with --quick),
 * plain and gzip, read by the streaming reader in a fresh child process per run, so each run's
 * peak RSS is its own. "Peak RSS above idle" subtracts a child that only loads the reader.
 */
const READER = fileURLToPath(new URL('../../traces/gpu/read-gpu-trace.ts', import.meta.url));
const SUMMARY = fileURLToPath(new URL('../../traces/gpu/summarize.ts', import.meta.url));

interface ChildRun {
  readonly readS: number;
  readonly summarizeS: number;
  readonly records: number;
  readonly maxRssBytes: number;
}

const CHILD_SCRIPT = `
import { readGpuTrace } from ${JSON.stringify(READER)};
import { summarizeGpuTrace } from ${JSON.stringify(SUMMARY)};
const file = process.argv[1];
let readS = 0, summarizeS = 0, records = 0;
if (file !== 'idle') {
  const t0 = performance.now();
  const trace = await readGpuTrace(file);
  const t1 = performance.now();
  summarizeGpuTrace(trace, { idleGapS: 0.001 });
  readS = (t1 - t0) / 1000;
  summarizeS = (performance.now() - t1) / 1000;
  records = trace.recordsRead;
}
process.stdout.write(JSON.stringify({ readS, summarizeS, records, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
`;

function runChild(file: string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD_SCRIPT, file], { cwd: projectRoot });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildRun) : reject(new Error(`gpu-trace bench child failed (${code}): ${err}`))));
  });
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export const gpuTraceBenchSuite: BenchSuite = {
  name: 'gpu-trace',
  description: 'Streaming read of recorded GPU traces (torch.profiler JSON, plain and gzip): throughput and peak memory',
  async run(options: BenchOptions): Promise<readonly BenchFigure[]> {
    const targetBytes = options.quick ? 50e6 : 500e6;
    const runs = options.quick ? 1 : 3;
    const label = `${Math.round(targetBytes / 1e6)} MB`;
    const plain = join(options.scratchDir, 'bench.pt.trace.json');
    const gzip = join(options.scratchDir, 'bench.pt.trace.json.gz');
    const facts = await writeSyntheticKinetoTrace(plain, { targetBytes, seed: 1 });
    await writeSyntheticKinetoTrace(gzip, { targetBytes, seed: 1, gzip: true });
    const idle = await runChild('idle');

    const figures: BenchFigure[] = [];
    for (const [name, file] of [
      ['kineto json', plain],
      ['kineto json.gz', gzip],
    ] as const) {
      const results: ChildRun[] = [];
      for (let i = 0; i < runs; i++) {
        const run = await runChild(file);
        if (run.records !== facts.events) throw new Error(`gpu-trace bench: read ${run.records} events, wrote ${facts.events}`);
        results.push(run);
      }
      const mbPerS = results.map((r) => facts.bytes / 1e6 / r.readS);
      const peakMb = results.map((r) => r.maxRssBytes / 1e6);
      figures.push(
        { name: `${name} ${label}: read throughput`, value: mean(mbPerS), unit: 'MB/s', better: 'higher', samples: mbPerS, note: `${facts.events} events, ${facts.kernels} kernels; MB of JSON text per second` },
        { name: `${name} ${label}: peak RSS`, value: Math.max(...peakMb), unit: 'MB', better: 'lower', samples: peakMb, note: `whole child process; the JSON text is ${(facts.bytes / 1e6).toFixed(0)} MB` },
        {
          name: `${name} ${label}: peak RSS above idle`,
          value: Math.max(...peakMb) - idle.maxRssBytes / 1e6,
          unit: 'MB',
          better: 'lower',
          note: `minus a child that only loads the reader (${(idle.maxRssBytes / 1e6).toFixed(0)} MB)`,
        },
      );
      if (name === 'kineto json') {
        const summarize = results.map((r) => r.summarizeS);
        figures.push({ name: `summarize ${facts.kernels} kernels`, value: mean(summarize), unit: 's', better: 'lower', samples: summarize });
      }
    }
    return figures;
  },
};
