/**
 * Child-process probe for the replay at scale: streams one trace through every scheduler under a
 * scenario with the one runner (what `rlhf-replay replay` runs) and prints one JSON line: wall
 * and CPU seconds, peak RSS, and the seconds per iteration in each third of the replay (equal
 * when the replay is linear in the trace's length). Run as
 * `node --import tsx harness/bench/suites/replay-scale-probe.ts <trace> <scenario> [iterations]`.
 */
import { runExperiment } from '../../run/experiment.js';
import { loadScenario } from '../../scenario/loader.js';
import { schedulers } from '../../schedulers/index.js';

const [trace, scenarioPath, iterationsText] = process.argv.slice(2);
if (!trace || !scenarioPath) {
  process.stderr.write('usage: replay-scale-probe.ts <trace> <scenario> [iterations]\n');
  process.exit(2);
}
const started = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const elapsedS = () => Number(process.hrtime.bigint() - started) / 1e9;
const scenario = await loadScenario(scenarioPath);
const finishedAtS: number[] = [];
const outcome = await runExperiment(
  {
    scenario,
    workload: { kind: 'trace', path: trace, ...(iterationsText ? { batching: { iterations: Number(iterationsText) } } : {}) },
    schedulers,
    seed: 1,
  },
  {
    result: (result, progress) => {
      if ((progress.done % schedulers.length) === 0) finishedAtS[progress.index] = elapsedS();
      void result;
    },
  },
);
const seconds = elapsedS();
const cpu = process.cpuUsage(cpuStart);
const n = outcome.iterations;
const at = (k: number) => (k <= 0 ? finishedAtS[0]! : finishedAtS[Math.min(n, k) - 1]!);
// Seconds per iteration in each third (the first iteration, with start-up and no history, left out).
const third = Math.floor(n / 3);
const thirdsS = n >= 6 ? [(at(third) - at(1)) / (third - 1), (at(2 * third) - at(third)) / third, (at(n) - at(2 * third)) / (n - 2 * third)] : [];
process.stdout.write(
  `${JSON.stringify({ iterations: n, samples: outcome.samplesPerIteration * n, schedulers: schedulers.length, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssBytes: process.resourceUsage().maxRSS * 1024, thirdsS, firstIterationS: at(1) })}\n`,
);
