import type { MetricName } from '../../metrics/iteration.js';
import { averageOver, withoutReplicates, type ComparisonKind, type Estimate } from '../../stats/estimate.js';
import type { EstimateBook } from './book.js';
import type { FigureOutcome } from './types.js';

/**
 * How much of an RLHFless figure serverless billing alone gives, and what each technique adds.
 *
 * A figure compares a candidate (RLHFless) with a baseline (veRL). Its change from "no change"
 * (a speedup of 1×, a reduction of 0 %) is split, on the same units and the same aggregation as
 * the figure, into:
 * - billing: the figure of `rlhfless-naive` — serverless functions billed from allocation to
 *   release with every technique off;
 * - each technique: the figure of the full system minus the figure of the system without that
 *   technique (its leave-one-out ablation, `rlhfless-no-*`): what the technique adds given all
 *   the others;
 * - interaction: what is left, so the parts add up exactly to the figure (techniques that only
 *   help together, or undo each other, show here; with no ablations of the candidate, all its
 *   techniques together).
 * Every part is an estimate of the book with a paired-bootstrap interval; for a figure averaged
 * over settings each part is averaged the same way. Only the simulations decide the numbers.
 */
export interface DecompositionSpec {
  readonly baseline: string;
  readonly candidate: string;
  readonly metric: MetricName;
  readonly compare: ComparisonKind;
  /** 'best': at the configuration the figure selected; 'average': averaged over the group's configurations. */
  readonly over: 'best' | 'average';
  readonly group: string;
  /** The billing-only variant. */
  readonly billing: string;
  /** Leave-one-out ablations of the candidate, by technique. */
  readonly techniques: readonly { readonly technique: string; readonly without: string }[];
}

export type DecompositionPartKind = 'billing' | 'technique' | 'interaction';

export interface DecompositionPart {
  readonly part: string;
  readonly kind: DecompositionPartKind;
  /** How the part changes the figure, in the figure's unit, with its interval. */
  readonly change: Omit<Estimate, 'replicates'>;
}

export interface FigureDecomposition {
  readonly figure: string;
  readonly candidate: string;
  readonly baseline: string;
  /** The figure with no change (1 for a speedup, 0 for a reduction): where the parts start. */
  readonly start: number;
  /** The figure itself (start + Σ parts). */
  readonly total: number;
  readonly parts: readonly DecompositionPart[];
  /** Where it was computed: the selected configuration or the settings averaged over. */
  readonly where: string;
}

/** A figure that cannot be split this way, and why. */
export interface NoDecomposition {
  readonly figure: string;
  readonly none: string;
}

export const START: Readonly<Record<ComparisonKind, number>> = { speedup: 1, reductionPct: 0 };

export function decomposeFigure(figure: string, spec: DecompositionSpec, outcome: FigureOutcome, book: EstimateBook): FigureDecomposition | NoDecomposition {
  if (!outcome.ok) return { figure, none: 'the figure has no result' };
  const { data } = book;
  const configs =
    spec.over === 'best'
      ? outcome.selected !== undefined
        ? [data.config(outcome.selected)!].filter(Boolean)
        : []
      : data.configs(spec.group).filter((config) => data.has(config.id, spec.baseline, spec.metric) && data.has(config.id, spec.candidate, spec.metric));
  const needed = [spec.billing, ...spec.techniques.map((t) => t.without)];
  const missing = needed.filter((scheduler) => configs.some((config) => !data.has(config.id, scheduler, spec.metric)));
  if (configs.length === 0 || missing.length > 0) return { figure, none: `no simulated results for ${missing.join(', ') || 'its configurations'} where the figure is computed` };
  const start = START[spec.compare];
  type Term = { readonly scheduler: string; readonly weight: number };
  const part = (terms: readonly Term[], offset: number): Omit<Estimate, 'replicates'> => {
    const perConfig = configs.map((config) => ({
      config: config.id,
      label: config.label,
      ...book.combination(
        spec.compare,
        { config: config.id, scheduler: spec.baseline },
        terms.map((term) => ({ side: { config: config.id, scheduler: term.scheduler }, weight: term.weight })),
        offset,
        spec.metric,
      ),
    }));
    return withoutReplicates(spec.over === 'best' ? perConfig[0]! : averageOver(perConfig, book.options));
  };
  const full = spec.candidate;
  const parts: DecompositionPart[] = [{ part: `serverless billing alone (${spec.billing})`, kind: 'billing', change: part([{ scheduler: spec.billing, weight: 1 }], -start) }];
  for (const { technique, without } of spec.techniques) {
    parts.push({ part: `+ ${technique} (${full} − ${without})`, kind: 'technique', change: part([{ scheduler: full, weight: 1 }, { scheduler: without, weight: -1 }], 0) });
  }
  // The rest: full − naive − Σ (full − without) = (1 − k)·full − naive + Σ without.
  const k = spec.techniques.length;
  const rest: Term[] = [{ scheduler: full, weight: 1 - k }, { scheduler: spec.billing, weight: -1 }, ...spec.techniques.map((t) => ({ scheduler: t.without, weight: 1 }))].filter((term) => term.weight !== 0);
  parts.push({
    part: k > 0 ? 'interaction (not one technique’s alone)' : `${full}’s techniques together (no leave-one-out ablations of it)`,
    kind: 'interaction',
    change: part(rest, 0),
  });
  const total = start + parts.reduce((sum, p) => sum + p.change.mean, 0);
  const where = spec.over === 'best' ? configs[0]!.label : `average over ${configs.length} settings`;
  return { figure, candidate: full, baseline: spec.baseline, start, total, parts, where };
}

export function isDecomposition(value: FigureDecomposition | NoDecomposition): value is FigureDecomposition {
  return !('none' in value);
}
