import type { BenchSuite } from './types.js';

/** Every benchmark suite, one file each under harness/bench/suites/. `rlhf-replay bench --suite <name>` picks some. */
export const benchSuites: readonly BenchSuite[] = [];
