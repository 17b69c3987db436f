import type { Allocation, SampleLedgerView, Span } from './types.js';

/**
 * Checks every scheduler's output must pass. They return the violations (empty when all hold) so
 * property tests can print what broke, and so later schedulers (RLHFuse, RLHFless) reuse them.
 */

const EPS_S = 1e-9;

/** No GPU runs two tasks at once, spans have start ≤ end, and GPUs exist. */
export function checkSpans(spans: readonly Span[], totalGpus: number): string[] {
  const problems: string[] = [];
  const lastEnd = new Float64Array(totalGpus).fill(-Infinity);
  const lastTask: string[] = new Array<string>(totalGpus).fill('');
  const order = [...spans].sort((a, b) => a.startS - b.startS || a.endS - b.endS);
  for (const span of order) {
    if (!(span.endS >= span.startS)) problems.push(`span ${span.task} on ${span.pool} ends before it starts (${span.startS} > ${span.endS})`);
    if (span.firstGpu < 0 || span.firstGpu + span.gpus > totalGpus) {
      problems.push(`span ${span.task} on ${span.pool} uses GPUs [${span.firstGpu}, ${span.firstGpu + span.gpus}) outside 0..${totalGpus}`);
      continue;
    }
    for (let gpu = span.firstGpu; gpu < span.firstGpu + span.gpus; gpu++) {
      if (lastEnd[gpu]! > span.startS + EPS_S * Math.max(1, Math.abs(span.startS))) {
        problems.push(`GPU ${gpu}: ${span.task} on ${span.pool} starts at ${span.startS}s while ${lastTask[gpu]} runs until ${lastEnd[gpu]}s`);
        break;
      }
    }
    for (let gpu = span.firstGpu; gpu < span.firstGpu + span.gpus; gpu++) {
      if (span.endS > lastEnd[gpu]!) {
        lastEnd[gpu] = span.endS;
        lastTask[gpu] = `${span.task} on ${span.pool}`;
      }
    }
    if (problems.length > 20) break;
  }
  return problems;
}

/** Every span runs on GPUs that are allocated (paid for) during the whole span. */
export function checkSpansInsideAllocations(spans: readonly Span[], allocations: readonly Allocation[]): string[] {
  const problems: string[] = [];
  for (const span of spans) {
    for (let gpu = span.firstGpu; gpu < span.firstGpu + span.gpus; gpu++) {
      const covered = allocations.some(
        (a) => gpu >= a.firstGpu && gpu < a.firstGpu + a.gpus && a.fromS <= span.startS + EPS_S && a.toS >= span.endS - EPS_S * Math.max(1, span.endS),
      );
      if (!covered) {
        problems.push(`span ${span.task} on ${span.pool} [${span.startS}, ${span.endS}] uses GPU ${gpu} outside any allocation`);
        break;
      }
    }
    if (problems.length > 20) break;
  }
  return problems;
}

/** Every sample went through each phase exactly once. */
export function checkExactlyOnce(ledger: SampleLedgerView, phases: readonly string[]): string[] {
  const problems: string[] = [];
  for (const phase of phases) {
    for (let id = 0; id < ledger.samples; id++) {
      const count = ledger.count(phase, id);
      if (count !== 1) {
        problems.push(`sample ${id} went through ${phase} ${count} times`);
        if (problems.length > 20) return problems;
      }
    }
  }
  return problems;
}

/**
 * No phase starts before its inputs exist: for every sample, each phase in `after` starts no
 * earlier than the end of every phase in `before`.
 */
export function checkPhaseOrder(ledger: SampleLedgerView, before: readonly string[], after: readonly string[]): string[] {
  const problems: string[] = [];
  for (let id = 0; id < ledger.samples; id++) {
    let inputsReadyS = -Infinity;
    for (const phase of before) inputsReadyS = Math.max(inputsReadyS, ledger.endS(phase, id));
    for (const phase of after) {
      const startS = ledger.startS(phase, id);
      if (!(startS + EPS_S * Math.max(1, Math.abs(startS)) >= inputsReadyS)) {
        problems.push(`sample ${id}: ${phase} starts at ${startS}s before its inputs (${before.join(', ')}) end at ${inputsReadyS}s`);
        if (problems.length > 20) return problems;
      }
    }
  }
  return problems;
}

/**
 * Barrier check: no sample's `after` phase starts before EVERY sample finished `before`
 * (PPO draws mini-batches from the complete experience set).
 */
export function checkBarrier(ledger: SampleLedgerView, before: readonly string[], after: readonly string[]): string[] {
  let allReadyS = -Infinity;
  for (let id = 0; id < ledger.samples; id++) for (const phase of before) allReadyS = Math.max(allReadyS, ledger.endS(phase, id));
  const problems: string[] = [];
  for (let id = 0; id < ledger.samples; id++) {
    for (const phase of after) {
      const startS = ledger.startS(phase, id);
      if (!(startS + EPS_S * Math.max(1, Math.abs(startS)) >= allReadyS)) {
        problems.push(`sample ${id}: ${phase} starts at ${startS}s before the barrier at ${allReadyS}s`);
        if (problems.length > 20) return problems;
      }
    }
  }
  return problems;
}
