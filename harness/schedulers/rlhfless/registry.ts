import type { ParameterSource } from '../parameters/index.js';
import type { SchedulerEntry } from '../types.js';
import { resolveSettings, rlhflessVariantParameters, type RlhflessSettings, type RlhflessValues } from './parameters.js';
import { lengthObservations } from './length-history.js';
import { prewarmHistory } from './prewarm.js';
import { runRlhfless } from './scheduler.js';

const SOURCES = ['papers/rlhfless.md', 'RLHFless, arXiv 2602.22718'];

const ALL_OFF = { deduplicatedPrefill: false, lengthPrediction: false, promptAssignment: false, cutAndMigrate: false, actorScaling: false } as const;

const parameterSets = new Map<string, ReturnType<typeof rlhflessVariantParameters>>();

/** One registry variant: RLHFless's code with `fixed` pinning what defines it (parameters.ts). */
function variant(name: string, description: string, fixed: Partial<RlhflessValues>, sources: readonly string[] = SOURCES): SchedulerEntry {
  const parameters = rlhflessVariantParameters(name, fixed);
  parameterSets.set(name, parameters);
  return {
    name,
    description,
    sources,
    assumptions: parameters.assumptions,
    run: (scenario, iteration, cost, rng, history) => runRlhfless(parameters, scenario, iteration, cost, rng, history),
    history: [lengthObservations, prewarmHistory],
  };
}

/**
 * RLHFless and its comparisons, one registry name each: the full system, the serverless baseline
 * with every technique off, perfect length knowledge, one ablation per technique, the weak
 * model-based predictor (RLHFless*), and RLHFless's own model of RLHFuse's prompt handling.
 */
export const rlhflessSchedulers: readonly SchedulerEntry[] = [
  variant('rlhfless', 'RLHFless: serverless functions billed per GPU-second; deduplicated prefill, EWMA length prediction, sorted prompt assignment, cut-and-migrate, cost-aware actor scaling', {}),
  variant('rlhfless-naive', 'RLHFless with every technique off: serverless functions and billing, the scenario\'s fixed decode actors, trace-order chunks', ALL_OFF),
  variant('oracle', 'RLHFless with perfect length knowledge (each prompt\'s recorded lengths of this step)', { lengthPrediction: true, predictor: { kind: 'oracle' } }),
  variant('rlhfless-no-dedup', 'RLHFless without deduplicated prefill', { deduplicatedPrefill: false }),
  variant('rlhfless-no-predict', 'RLHFless without length prediction (every prompt predicted at the batch mean)', { lengthPrediction: false }),
  variant('rlhfless-no-assign', 'RLHFless without prompt assignment (contiguous chunks in trace order)', { promptAssignment: false }),
  variant('rlhfless-no-cut', 'RLHFless without cut-and-migrate', { cutAndMigrate: false }),
  variant('rlhfless-no-scale', 'RLHFless without actor scaling (the scenario\'s generation.instances)', { actorScaling: false }),
  variant('rlhfless-weak-predictor', 'RLHFless* : a weak model-based predictor, noisy:0.44 (each prediction exact with probability 0.44, else uninformative)', { lengthPrediction: true, predictor: { kind: 'noisy', accuracy: 0.44 } }),
  variant(
    'rlhfuse-global-migrate',
    "RLHFless's model of RLHFuse prompt handling: fixed actors, no length ranking, and at tau of all responses every actor stops and all unfinished responses move to ONE actor",
    { ...ALL_OFF, cutAndMigrate: true, migrationScope: 'global-one' },
    [...SOURCES, 'papers/rlhfuse.md §2 (last part)'],
  ),
];

/** The settings registry variant `name` runs with on this scenario (for the planner benchmark and tests). */
export function rlhflessSettings(name: string, scenario: ParameterSource): RlhflessSettings {
  const parameters = parameterSets.get(name);
  if (!parameters) throw new Error(`no RLHFless variant '${name}'`);
  return resolveSettings(parameters, scenario);
}
