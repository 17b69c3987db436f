import { MULTITURN_FILE, MULTITURN_KEYS, openPolyTraceMultiturn, POLYTRACE_MULTITURN_FORMAT } from '../adapters/polytrace-multiturn.js';
import { matchesKeys } from './match.js';
import type { LengthsFormat } from './format.js';

export const polytraceMultiturnFormat: LengthsFormat = {
  name: POLYTRACE_MULTITURN_FORMAT,
  kind: 'lengths',
  container: 'jsonl',
  description: 'PolyTrace multi-turn agent trajectories multiturn_workload_step_N.jsonl (turns, cached tokens, tool latency)',
  keys: MULTITURN_KEYS,
  signature: `a directory of multiturn_workload_step_N.jsonl, or JSON lines with keys ${MULTITURN_KEYS.join(', ')}`,
  detect: (probe) => (probe.isDirectory ? probe.entries.some((name) => MULTITURN_FILE.test(name)) : matchesKeys(probe, 'jsonl', MULTITURN_KEYS)),
  open: openPolyTraceMultiturn,
};
