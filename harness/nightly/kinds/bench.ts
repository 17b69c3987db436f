import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSuite } from '../../bench/types.js';
import type { CliIo } from '../../util/cli-io.js';
import { median } from '../../stats/median.js';
import { InputError } from '../../util/input-error.js';
import type { Measurer } from '../measure-and-compare.js';
import type { BenchCase, Measurement } from '../types.js';

/** Bench suites print progress through an io; inside a nightly case they stay silent. */
const silentIo: CliIo = { stdout: () => {}, stderr: () => {}, stderrIsTTY: false, cwd: process.cwd(), env: {} };

/**
 * A harness micro-benchmark: a bench suite (harness/bench, tinybench) run `repeats` times; each of
 * its figures becomes one timing figure whose samples are the suite's samples of every repeat
 * (or its single value per repeat when it reports no samples). Exclusive: it never runs beside
 * another case, so a parallel simulation cannot slow it down.
 */
export function benchMeasurer(benchSuites: readonly BenchSuite[]): Measurer<BenchCase> {
  return {
    kind: 'bench',
    exclusive: true,
    async measure(testCase) {
      const suite = benchSuites.find((s) => s.name === testCase.suite);
      if (!suite) throw new InputError({ file: testCase.id, field: 'suite', value: testCase.suite, message: `unknown benchmark suite; known: ${benchSuites.map((s) => s.name).join(', ')}` });
      const samples = new Map<string, { unit: string; better: 'higher' | 'lower'; values: number[] }>();
      for (let repeat = 0; repeat < testCase.repeats; repeat++) {
        const scratchDir = await mkdtemp(join(tmpdir(), `rlhf-replay-nightly-${suite.name}-`));
        try {
          for (const figure of await suite.run({ quick: testCase.quick, io: silentIo, scratchDir, ...(testCase.figures ? { only: testCase.figures } : {}) })) {
            const entry = samples.get(figure.name) ?? { unit: figure.unit, better: figure.better, values: [] };
            entry.values.push(...(figure.samples && figure.samples.length > 0 ? figure.samples : [figure.value]));
            samples.set(figure.name, entry);
          }
        } finally {
          await rm(scratchDir, { recursive: true, force: true });
        }
      }
      const wanted = testCase.figures ?? [...samples.keys()];
      const missing = wanted.filter((name) => !samples.has(name));
      if (missing.length > 0) {
        throw new InputError({ file: testCase.id, field: 'figures', value: missing.join(', '), message: `not reported by bench suite '${suite.name}'${testCase.quick ? ' with quick: true' : ''}; it reports: ${[...samples.keys()].join('; ')}` });
      }
      const figures: Measurement[] = wanted.map((name) => {
        const entry = samples.get(name)!;
        return { name, unit: entry.unit, mode: 'timing', better: entry.better, value: median(entry.values), samples: entry.values };
      });
      return { figures, notes: [`bench suite ${suite.name}${testCase.quick ? ' (quick)' : ''} × ${testCase.repeats}`] };
    },
  };
}
