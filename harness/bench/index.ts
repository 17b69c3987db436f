import type { BenchSuite } from './types.js';
import { ingestionSuite } from './suites/ingestion.js';
import { gpuTraceBenchSuite } from './suites/gpu-trace.js';
import { engineBenchSuite } from './suites/engine.js';
import { pipelineSearchSuite } from './suites/pipeline-search.js';
import { costModelBenchSuite } from './suites/cost-model.js';
import { rlhflessPlannerSuite } from './suites/rlhfless-planner.js';
import { reproduceBenchSuite } from './suites/reproduce.js';
import { moeReplaySuite } from './suites/moe-replay.js';
import { replayScaleSuite } from './suites/replay-scale.js';
import { nightlyShardsSuite } from './suites/nightly-shards.js';
import { whatifAsyncSuite } from './suites/whatif-async.js';

/** Every benchmark suite, one file each under harness/bench/suites/. `rlhf-replay bench --suite <name>` picks some. */
export const benchSuites: readonly BenchSuite[] = [ingestionSuite, gpuTraceBenchSuite, pipelineSearchSuite, engineBenchSuite, costModelBenchSuite, rlhflessPlannerSuite, reproduceBenchSuite, moeReplaySuite, replayScaleSuite, nightlyShardsSuite, whatifAsyncSuite];
