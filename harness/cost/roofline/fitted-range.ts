import type { ParameterOrigin } from '../calibration/resolve.js';

/**
 * A calibrated range compiled to plain numbers for the hot path. A group that was not fitted
 * (defaults) has no range: every query through it is out of range. A key the fit did not vary
 * is unbounded.
 */
export interface CompiledRange {
  readonly fitted: boolean;
  readonly tokensLo: number;
  readonly tokensHi: number;
  readonly batchLo: number;
  readonly batchHi: number;
  readonly contextLo: number;
  readonly contextHi: number;
  readonly bytesLo: number;
  readonly bytesHi: number;
  readonly workersLo: number;
  readonly workersHi: number;
  readonly tpLo: number;
  readonly tpHi: number;
}

export function compileRange(origin: ParameterOrigin | undefined): CompiledRange {
  const range = origin?.range;
  const lo = (interval: readonly [number, number] | undefined) => interval?.[0] ?? -Infinity;
  const hi = (interval: readonly [number, number] | undefined) => interval?.[1] ?? Infinity;
  return {
    fitted: origin !== undefined && origin.kind !== 'default' && range !== undefined,
    tokensLo: lo(range?.tokens),
    tokensHi: hi(range?.tokens),
    batchLo: lo(range?.batch),
    batchHi: hi(range?.batch),
    contextLo: lo(range?.contextTokens),
    contextHi: hi(range?.contextTokens),
    bytesLo: lo(range?.bytes),
    bytesHi: hi(range?.bytes),
    workersLo: lo(range?.workers),
    workersHi: hi(range?.workers),
    tpLo: lo(range?.tp),
    tpHi: hi(range?.tp),
  };
}
