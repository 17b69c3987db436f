import type { RecordedStep } from './recorded-run.js';

/**
 * Which recorded step is compared with which iteration of the lengths trace. A profiler often
 * records a few steps from the middle of a run (`ProfilerStep#551`), so steps are paired with the
 * iterations of the same number when the lengths trace has every one of them; otherwise in order
 * (first step with first iteration). Disagreeing counts are a note, never an error.
 */
export interface StepPair {
  readonly step: RecordedStep;
  /** Index into the iterations list (not the iteration number). */
  readonly iterationIndex: number;
  readonly iteration: number;
}

export interface StepPairing {
  readonly pairs: readonly StepPair[];
  /** Iterations to simulate (indices into the list), in order: the paired ones, or the first ones when nothing is recorded per step. */
  readonly iterationIndices: readonly number[];
  readonly by: 'number' | 'order' | 'none';
  readonly notes: readonly string[];
}

/**
 * @param iterationNumbers the `iteration` field of each iteration the lengths trace gives, in order
 * @param limit at most this many pairs (or simulated iterations when there are no steps)
 */
export function pairSteps(steps: readonly RecordedStep[], iterationNumbers: readonly number[], limit?: number): StepPairing {
  const notes: string[] = [];
  const cap = (n: number) => (limit === undefined ? n : Math.min(n, limit));
  if (steps.length === 0) {
    const count = cap(iterationNumbers.length);
    return { pairs: [], iterationIndices: Array.from({ length: count }, (_, i) => i), by: 'none', notes };
  }
  const indexOf = new Map(iterationNumbers.map((n, i) => [n, i] as const));
  const byNumber = steps.every((s) => indexOf.has(s.step));
  let pairs: StepPair[];
  if (byNumber) {
    pairs = steps.map((step) => ({ step, iterationIndex: indexOf.get(step.step)!, iteration: step.step }));
    if (steps.length !== iterationNumbers.length) {
      notes.push(
        `the GPU trace records ${steps.length} step${steps.length === 1 ? '' : 's'} and the lengths trace gives ${iterationNumbers.length} iteration${iterationNumbers.length === 1 ? '' : 's'}: compared iterations ${describeSteps(steps)}, paired by number`,
      );
    }
  } else {
    const count = Math.min(steps.length, iterationNumbers.length);
    pairs = steps.slice(0, count).map((step, i) => ({ step, iterationIndex: i, iteration: iterationNumbers[i]! }));
    if (steps.length !== iterationNumbers.length) {
      notes.push(
        `the GPU trace records ${steps.length} step${steps.length === 1 ? '' : 's'} and the lengths trace gives ${iterationNumbers.length} iteration${iterationNumbers.length === 1 ? '' : 's'}: compared the first ${count}, in order`,
      );
    } else if (steps.some((s, i) => s.step !== iterationNumbers[i])) {
      notes.push(`recorded steps ${describeSteps(steps)} paired in order with iterations ${describeNumbers(iterationNumbers.slice(0, count))}`);
    }
  }
  if (limit !== undefined && pairs.length > limit) {
    notes.push(`compared ${limit} of ${pairs.length} recorded steps (--iterations ${limit})`);
    pairs = pairs.slice(0, limit);
  }
  return { pairs, iterationIndices: pairs.map((p) => p.iterationIndex), by: byNumber ? 'number' : 'order', notes };
}

function describeNumbers(numbers: readonly number[]): string {
  if (numbers.length === 0) return '(none)';
  const contiguous = numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1);
  return contiguous && numbers.length > 2 ? `${numbers[0]}–${numbers[numbers.length - 1]}` : numbers.join(', ');
}

function describeSteps(steps: readonly RecordedStep[]): string {
  return describeNumbers(steps.map((s) => s.step));
}
