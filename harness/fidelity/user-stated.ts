import type { RecordedStep } from '../traces/recorded-runs/types.js';

/**
 * What the user states about a veRL run on the command line (`scenario from-verl`, `fidelity`
 * on a log given directly): facts of their run that a log cannot tell — the GPU (veRL logs do not
 * name it), the model (the log may name a local checkpoint path) and the date of the veRL code
 * (which picks the era whose defaults fill what the log leaves out).
 */
export interface UserStatedRun {
  /** A catalog GPU id. */
  readonly gpu?: string;
  /** A catalog model id. */
  readonly model?: string;
  /** `YYYY-MM-DD` or `YYYY-MM`. */
  readonly date?: string;
}

/** The row with what the user states over what the log implies (stated, so never inferred). */
export function withUserStated(row: RecordedStep, stated: UserStatedRun): RecordedStep {
  return {
    ...row,
    source: { ...row.source, ...(stated.date ? { date: { value: stated.date, inferred: false } } : {}) },
    config: {
      ...row.config,
      ...(stated.gpu ? { gpuType: { value: { text: stated.gpu, models: [stated.gpu], comments: [] }, inferred: false } } : {}),
      ...(stated.model ? { model: { value: { text: stated.model, name: stated.model, comments: [] }, inferred: false } } : {}),
    },
  };
}
