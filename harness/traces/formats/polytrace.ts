import { openPolyTraceLengths, PACKED_LENGTHS_FILE, POLYTRACE_FORMAT, POLYTRACE_KEYS } from '../adapters/polytrace.js';
import { matchesKeys } from './match.js';
import type { LengthsFormat } from './format.js';

export const polytraceFormat: LengthsFormat = {
  name: POLYTRACE_FORMAT,
  kind: 'lengths',
  container: 'jsonl',
  description: 'PolyTrace packed_lengths_step_N.jsonl (RL in the Wild, arXiv 2509.25279): a directory of steps or one file',
  keys: POLYTRACE_KEYS,
  signature: `a directory of packed_lengths_step_N.jsonl, or JSON lines with keys ${POLYTRACE_KEYS.join(', ')}`,
  detect: (probe) => (probe.isDirectory ? probe.entries.some((name) => PACKED_LENGTHS_FILE.test(name)) : matchesKeys(probe, 'jsonl', POLYTRACE_KEYS)),
  open: openPolyTraceLengths,
};
