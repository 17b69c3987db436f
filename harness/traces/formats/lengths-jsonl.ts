import { LENGTHS_FORMAT_ID } from '../canonical/lengths-meta.js';
import { LENGTHS_JSONL_FORMAT, openLengthsJsonl } from '../canonical/lengths-jsonl.js';
import type { LengthsFormat } from './format.js';

const KEYS = ['iteration', 'group_id', 'prompt_tokens', 'response_tokens', 'truncated'];

export const lengthsJsonlFormat: LengthsFormat = {
  name: LENGTHS_JSONL_FORMAT,
  kind: 'lengths',
  container: 'jsonl',
  description: "the project's canonical response-length trace, one sample group per JSON line (traces/README.md)",
  keys: KEYS,
  signature: `JSON lines with keys ${KEYS.join(', ')}, optionally after a {"$meta": {"format": "${LENGTHS_FORMAT_ID}", …}} line`,
  detect: (probe) =>
    !probe.isDirectory &&
    (probe.jsonKeys !== undefined || probe.firstDataLine === undefined) &&
    (probe.metaFormat === LENGTHS_FORMAT_ID || (probe.jsonKeys !== undefined && KEYS.every((key) => probe.jsonKeys!.includes(key)))),
  open: openLengthsJsonl,
};
