import type { TraceContainer } from './format.js';
import type { TraceProbe } from './probe.js';

/** True when a file probe is of the container and has every key (CSV columns or JSON keys). */
export function matchesKeys(probe: TraceProbe, container: Extract<TraceContainer, 'csv' | 'jsonl'>, keys: readonly string[]): boolean {
  if (probe.isDirectory) return false;
  const present = container === 'csv' ? probe.csvHeader : probe.jsonKeys;
  return present !== undefined && keys.every((key) => present.includes(key));
}
