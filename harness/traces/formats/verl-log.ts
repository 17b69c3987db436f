import { readVerlLog, VERL_LOG_FORMAT, VERL_TIMING_STEP_LINE } from '../adapters/verl-log.js';
import { openVerlLogWorkload } from '../verl/workload.js';
import type { StageTimingsFormat } from './format.js';

export const verlLogFormat: StageTimingsFormat = {
  name: VERL_LOG_FORMAT,
  kind: 'stage-timings',
  container: 'text',
  description: 'a veRL console log: per-step metric lines `step:N - timing_s/gen:… - response_length/mean:…`; also a workload synthesized from those statistics',
  keys: [],
  signature: 'text with veRL metric lines `step:N - timing_s/<stage>:<seconds> - …` (Dec 2024: `timing/<stage>`)',
  detect: (probe) => !probe.isDirectory && probe.head.split('\n').some((line) => VERL_TIMING_STEP_LINE.test(line)),
  deepDetect: { pattern: VERL_TIMING_STEP_LINE },
  read: readVerlLog,
  workload: { what: 'response lengths synthesized from its per-step length statistics (a synthetic workload)', open: openVerlLogWorkload },
};
