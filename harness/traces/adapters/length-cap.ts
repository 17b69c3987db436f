/**
 * Inferring a response-length cap from recorded lengths, for traces that do not record it.
 *
 * Rule 'ties-at-max': when two or more samples sit exactly at the longest observed length, that
 * length is taken to be the cap. Free-running generation almost never ends two long samples on
 * the same token count by chance, while a cap piles every over-long sample onto it (PolyTrace's
 * DeepCoder run: 96 of 640 samples at exactly 16000). A unique maximum says nothing about the cap,
 * so none is inferred and no sample is marked truncated.
 */
export const CAP_RULE = 'ties-at-max';

export interface InferredCap {
  readonly tokens: number;
  readonly source: 'inferred';
  readonly note: string;
}

function maxEntry(lengthCounts: ReadonlyMap<number, number>): { max: number; count: number } | undefined {
  let max = -1;
  let count = 0;
  for (const [length, n] of lengthCounts) {
    if (length > max) {
      max = length;
      count = n;
    }
  }
  return max < 0 ? undefined : { max, count };
}

/** Applies rule 'ties-at-max' to a histogram of response lengths (length → number of samples). */
export function inferLengthCap(lengthCounts: ReadonlyMap<number, number>): InferredCap | undefined {
  const top = maxEntry(lengthCounts);
  if (!top || top.count < 2 || top.max === 0) return undefined;
  return {
    tokens: top.max,
    source: 'inferred',
    note: `length cap ${top.max} inferred (rule '${CAP_RULE}': ${top.count} samples sit exactly at the longest observed length); give --max-response to override`,
  };
}

/** The note a reader records when no cap was given or inferred. */
inferLengthCap.explainNone = (lengthCounts: ReadonlyMap<number, number>): string[] => {
  const top = maxEntry(lengthCounts);
  if (!top) return [];
  return [
    `no length cap given or inferred (rule '${CAP_RULE}': the longest length, ${top.max}, occurs ${top.count === 1 ? 'once' : `${top.count} times`}), so no sample is marked truncated; give --max-response if the run had a cap`,
  ];
};
