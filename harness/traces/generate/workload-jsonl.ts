import { jsonlGroupLine, jsonlMetaLine } from '../canonical/lengths-jsonl.js';
import type { Workload } from '../types.js';

/** A workload as canonical response-length JSONL text (the `$meta` line, then one group per line). */
export function workloadToJsonl(workload: Workload): string {
  const lines = [jsonlMetaLine(workload.meta)];
  for (const iteration of workload.iterations) {
    for (const group of iteration.groups) lines.push(jsonlGroupLine(group, iteration.epoch));
  }
  return lines.join('');
}
