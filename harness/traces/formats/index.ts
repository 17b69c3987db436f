import { azureLlmFormat } from './azure-llm.js';
import type { TraceFormat } from './format.js';
import { gpuProfileCsvFormat } from './gpu-profile-csv.js';
import { lengthsCsvFormat } from './lengths-csv.js';
import { lengthsJsonlFormat } from './lengths-jsonl.js';
import { mooncakeFormat } from './mooncake.js';
import { polytraceDapoFilterFormat } from './polytrace-dapo-filter.js';
import { polytraceMultiturnFormat } from './polytrace-multiturn.js';
import { polytraceRewardTimingsFormat } from './polytrace-reward-timings.js';
import { polytraceFormat } from './polytrace.js';
import { recordedRunsCsvFormat } from './recorded-runs-csv.js';
import { shareGptStatsFormat } from './sharegpt-stats.js';
import { splitwisePerfModelFormat } from './splitwise-perf-model.js';
import { stageTimingsCsvFormat } from './stage-timings-csv.js';
import { stageTimingsJsonlFormat } from './stage-timings-jsonl.js';
import { verlLogFormat } from './verl-log.js';
import { vidurCollectiveFormat } from './vidur-collective.js';
import { vidurMlpFormat } from './vidur-mlp.js';

/**
 * Every trace format the harness reads, one file each in this folder. Detection tries them all;
 * signatures are disjoint, so at most one matches a real file (test/traces/formats pins that).
 * To add a format: write its adapter, a file here exporting a TraceFormat, and one line below.
 */
export const traceFormats: readonly TraceFormat[] = [
  lengthsJsonlFormat,
  lengthsCsvFormat,
  polytraceFormat,
  polytraceMultiturnFormat,
  azureLlmFormat,
  mooncakeFormat,
  shareGptStatsFormat,
  gpuProfileCsvFormat,
  vidurMlpFormat,
  vidurCollectiveFormat,
  splitwisePerfModelFormat,
  stageTimingsJsonlFormat,
  stageTimingsCsvFormat,
  verlLogFormat,
  polytraceRewardTimingsFormat,
  polytraceDapoFilterFormat,
  recordedRunsCsvFormat,
];

export type { TraceFormat, TraceKind, LengthsFormat, GpuProfileFormat, StageTimingsFormat, TableFormat } from './format.js';
