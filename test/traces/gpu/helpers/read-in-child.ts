/**
 * Run in a child process with a small heap by streaming-memory.test.ts:
 *   node --max-old-space-size=N --import tsx read-in-child.ts <mode> <trace>
 * mode 'stream' reads the trace with the harness reader; mode 'whole' reads it the naive way
 * (the whole file as one string, JSON.parse), the control that must fail under the same limit.
 * Prints one JSON line with what it found.
 */
import { readFileSync } from 'node:fs';
import { readGpuTrace } from '../../../../harness/traces/gpu/read-gpu-trace.js';
import { summarizeGpuTrace } from '../../../../harness/traces/gpu/summarize.js';

const [mode, file] = process.argv.slice(2);
if (mode === 'whole') {
  const document = JSON.parse(readFileSync(file as string, 'utf8')) as { traceEvents: { cat?: string }[] };
  process.stdout.write(`${JSON.stringify({ kernels: document.traceEvents.filter((e) => e.cat === 'kernel').length })}\n`);
} else {
  const trace = await readGpuTrace(file as string);
  const summary = summarizeGpuTrace(trace, { idleGapS: 0.001 });
  const heapUsedBytes = process.memoryUsage().heapUsed;
  process.stdout.write(
    `${JSON.stringify({ events: trace.recordsRead, kernels: summary.gpus[0]?.kernels, memoryOps: summary.gpus[0]?.memoryOps, steps: summary.steps.length, heapUsedBytes })}\n`,
  );
}
