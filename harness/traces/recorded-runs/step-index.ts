/**
 * `step_index`: a logged step's number as the log prints it (0-based in veRL's Dec-2024 logs,
 * 1-based later), or a published per-step average: `avg` (over a run whose length the source
 * gives elsewhere) or `avgN` (over N steps).
 */
export type StepIndex = { readonly kind: 'step'; readonly index: number } | { readonly kind: 'average'; readonly overSteps?: number };

/** The step index a cell holds, or undefined when it is none of the documented forms. */
export function parseStepIndex(text: string): StepIndex | undefined {
  if (/^\d+$/.test(text)) return { kind: 'step', index: Number(text) };
  const average = /^avg([1-9]\d*)?$/.exec(text);
  if (!average) return undefined;
  if (average[1] === undefined) return { kind: 'average' };
  const overSteps = Number(average[1]);
  return { kind: 'average', overSteps };
}

export function describeStepIndex(index: StepIndex): string {
  return index.kind === 'step' ? `step ${index.index}` : index.overSteps !== undefined ? `average over ${index.overSteps} steps` : 'per-step average';
}
