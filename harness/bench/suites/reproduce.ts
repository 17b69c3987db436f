import { join } from 'node:path';
import { runCliProcess } from '../child-process.js';
import type { BenchFigure, BenchSuite } from '../types.js';

/** The bar for the main job: `npm run reproduce` on the embedded defaults within 45 s on the 2-core machine. */
export const REPRODUCE_GOAL_S = 45;

/**
 * The main job end to end: `reproduce` with its defaults (both papers, the default seeds, the
 * sensitivity analysis, the report), in a child process, repeated. Quick mode times
 * `reproduce --quick` once instead (the smoke-test size), so CI can run the suite.
 */
export const reproduceBenchSuite: BenchSuite = {
  name: 'reproduce',
  description: 'the main job: `rlhf-replay reproduce` end to end (plan, cases on the worker pool, statistics, report), in a fresh process',
  async run({ quick, io, scratchDir }) {
    const repeats = quick ? 1 : 3;
    const args = [...(quick ? ['--quick'] : []), '--out', join(scratchDir, 'reports')];
    const samples: number[] = [];
    for (let i = 0; i < repeats; i++) {
      if (io.stderrIsTTY) io.stderr(`reproduce: run ${i + 1}/${repeats}${quick ? ' (--quick)' : ''}…\n`);
      const timed = await runCliProcess(['reproduce', ...args]);
      if (timed.exitCode !== 0) throw new Error(`reproduce exited ${timed.exitCode}: ${timed.stderr.slice(0, 2000)}`);
      samples.push(timed.seconds);
    }
    const worst = Math.max(...samples);
    const figure: BenchFigure = {
      name: quick ? 'reproduce --quick, end to end' : 'reproduce (defaults), end to end',
      value: samples.reduce((a, b) => a + b, 0) / samples.length,
      unit: 's',
      better: 'lower',
      samples,
      ...(quick ? {} : { goal: { value: REPRODUCE_GOAL_S, met: worst <= REPRODUCE_GOAL_S, note: `worst of ${repeats} runs ${worst.toFixed(1)} s` } }),
      note: `fresh process each run (tsx start-up included), --jobs = available cores; ${repeats} run(s)`,
    };
    return [figure];
  },
};
