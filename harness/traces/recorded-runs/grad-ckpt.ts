import { splitAsides } from './text-parts.js';

/**
 * The `grad_ckpt` column, parsed: whether each trained model recomputes activations in the
 * backward pass (gradient / activation checkpointing). Undefined = the table does not say.
 */
export interface GradCkptSpec {
  readonly text: string;
  readonly actor?: boolean;
  readonly critic?: boolean;
  /** `recompute`: Megatron's activation recompute, the same trade (compute for memory) under its own name. */
  readonly method?: 'checkpointing' | 'recompute';
  /** Asides that name no model (e.g. `script`: where the transcriber read it). */
  readonly comments: readonly string[];
  /** Text these rules do not understand; kept, and reported as a finding on the row. */
  readonly unparsed?: string;
}

/**
 * Parse rules (traces/README.md, "runs.csv"): the head is `True` / `False` (any case) or
 * `recompute` (= true); an aside naming a model (`False(critic)`) limits the value to that model,
 * otherwise the value holds for every trained model (actor and critic); other asides are comments.
 */
export function parseGradCkpt(text: string): GradCkptSpec {
  const { head, asides } = splitAsides(text);
  const word = head.toLowerCase();
  const value = word === 'true' || word === 'recompute' ? true : word === 'false' ? false : undefined;
  const roles = asides.filter((aside) => aside === 'actor' || aside === 'critic') as ('actor' | 'critic')[];
  const comments = asides.filter((aside) => aside !== 'actor' && aside !== 'critic');
  if (value === undefined) return { text, comments, unparsed: head };
  const method = word === 'recompute' ? 'recompute' : 'checkpointing';
  const applies = roles.length > 0 ? roles : (['actor', 'critic'] as const);
  return {
    text,
    ...(applies.includes('actor') ? { actor: value } : {}),
    ...(applies.includes('critic') ? { critic: value } : {}),
    ...(value ? { method } : {}),
    comments,
  };
}
