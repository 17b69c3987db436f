/**
 * Child-process probe for ingestion memory: reads one trace and prints one JSON line with what it
 * cost. Run as `node --import tsx harness/bench/suites/ingestion-probe.ts <path> <stats|collect>`:
 * - stats: streams the trace into `traces stats`' accumulator (what the CLI does);
 * - collect: reads the whole Workload into memory (the control: what streaming avoids).
 * Heap is sampled every 25,000 groups (live heap when run with --expose-gc); maxRSS comes from
 * the OS at the end.
 */
import { readWorkload, streamLengthGroups } from '../../traces/read.js';
import { createLengthStatsBuilder } from '../../traces/stats.js';

const [path, mode = 'stats'] = process.argv.slice(2);
if (!path || (mode !== 'stats' && mode !== 'collect')) {
  process.stderr.write('usage: ingestion-probe.ts <trace> <stats|collect>\n');
  process.exit(2);
}
const HEAP_SAMPLE_GROUPS = 25_000;
const started = process.hrtime.bigint();
let peakHeapUsedBytes = process.memoryUsage().heapUsed;
// With --expose-gc the probe measures live heap (garbage collected first), a figure that does not
// depend on when V8 happens to collect; without it, heapUsed as it stands.
const collectGarbage = (globalThis as { gc?: () => void }).gc;
const sampleHeap = (): void => {
  collectGarbage?.();
  const used = process.memoryUsage().heapUsed;
  if (used > peakHeapUsedBytes) peakHeapUsedBytes = used;
};
let groups = 0;
let samples = 0;
if (mode === 'stats') {
  const stream = await streamLengthGroups(path);
  const builder = createLengthStatsBuilder();
  for await (const { group } of stream.groups) {
    builder.add(group);
    groups++;
    samples += group.responseTokens.length;
    if (groups % HEAP_SAMPLE_GROUPS === 0) sampleHeap();
  }
  builder.finish();
} else {
  const workload = await readWorkload(path);
  for (const iteration of workload.iterations) {
    groups += iteration.groups.length;
    for (const group of iteration.groups) samples += group.responseTokens.length;
  }
  sampleHeap();
}
sampleHeap();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(`${JSON.stringify({ mode, groups, samples, seconds, peakHeapUsedBytes, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
