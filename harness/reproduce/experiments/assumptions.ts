import type { AssumptionValue } from '../../schedulers/types.js';
import { TRACE_MAPPINGS } from '../traces/sources.js';
import { RLHFLESS_EPOCHS, SIM_NODE_COUNTS } from './rlhfless.js';

/**
 * The reproduction's own named assumptions: choices the papers leave open that sit above the
 * scenarios and schedulers (which trace stands for a dataset, how a trace is cut into
 * iterations, which configurations a study ran on, how a figure aggregates). Listed in the
 * report beside the cost model's, the generator's, the schedulers' and the scenarios'.
 */
export interface ReproductionAssumption {
  readonly name: string;
  readonly value: AssumptionValue;
  readonly unit: string;
  readonly why: string;
}

export interface ReproductionSizes {
  readonly seeds: number;
  readonly rlhfuseWarmup: number;
  readonly rlhfuseMeasured: number;
  readonly thresholdCurveIterations: number;
  readonly rlhflessIterationsPerEpoch: number;
}

export function reproductionAssumptions(sizes: ReproductionSizes): ReproductionAssumption[] {
  return [
    ...Object.values(TRACE_MAPPINGS).map((mapping) => ({ name: mapping.name, value: mapping.source, unit: 'trace', why: `${mapping.dataset}: ${mapping.why}` })),
    {
      name: 'trace.group-size',
      value: 'split recorded groups',
      unit: 'rule',
      why: 'a scenario sampling n responses per prompt replays a trace recorded with groups of g > n by splitting each group into ⌊g/n⌋ prompts of n samples (siblings are exchangeable draws); PPO (n = 1) makes every recorded sample its own prompt, so no two samples share prompt KV; the remainder g mod n is dropped',
    },
    { name: 'trace.selection', value: 'seeded random prompts', unit: 'rule', why: 'each experiment seed draws its own prompts from the (regrouped) trace, cut into batches of the scenario’s size; seeds are the unit of replication beside iterations' },
    {
      name: 'trace.recorded-or-generated',
      value: 'recorded when large enough',
      unit: 'rule',
      why: 'the recording is replayed when shared/research/data holds it and it has enough prompts for the experiment’s batches; otherwise the generator fitted to it (traces/fitted) draws the prompts, and the report says so per experiment',
    },
    {
      name: 'trace.reference-answers',
      value: 'none',
      unit: 'rule',
      why: 'no public trace records reference-answer lengths, so RLHFless’s first epoch predicts every prompt at the fallback (no length ranking); later epochs use the EWMA of the prompt’s earlier lengths',
    },
    { name: 'rlhfuse.warmup-iterations', value: sizes.rlhfuseWarmup, unit: 'iterations per seed', why: 'RLHFuse measures after a warm-up (§5); its first iteration has no length history to tune the migration threshold on' },
    { name: 'rlhfuse.measured-iterations', value: sizes.rlhfuseMeasured, unit: 'iterations per seed', why: 'the paper averages 20 iterations; the default run keeps within its time budget, --seeds N adds N × this many' },
    {
      name: 'rlhfuse.threshold-curve',
      value: `${sizes.thresholdCurveIterations} iterations per seed, thresholds 0 to 1`,
      unit: 'rule',
      why: 'the curve spans the whole domain the scheduler’s offline tuner searches (0 … 1 of the batch still unfinished), so its argmin is the optimum the mechanism would pick; each point replays the same prompts (paired units), more of them than the grid’s measured iterations, because neighbouring thresholds differ by about 1 % of the stage time and 3 units cannot bound the argmin',
    },
    { name: 'rlhfless.epochs', value: RLHFLESS_EPOCHS, unit: 'epochs', why: 'fact: every RLHFless setting runs 3 epochs (§4); epochs 1-2 are synthesised from epoch 0 with the drift calibrated to the paper’s length-stability figures' },
    { name: 'rlhfless.iterations-per-epoch', value: sizes.rlhflessIterationsPerEpoch, unit: 'steps per epoch', why: 'steps per epoch are not given (§8 item 4): the prompt pool is this many batches' },
    { name: 'rlhfless.sim-node-counts', value: SIM_NODE_COUNTS.join(', '), unit: 'nodes', why: 'the simulation varies the node count up to 20 (§5) without listing the points; averaged with the 2k, 4k and 8k response caps' },
    { name: 'rlhfless.weak-predictor-aggregation', value: 'best configuration', unit: 'rule', why: 'RLHFless* (1.22×, 28.9 %) is reported like the headline, so it is reproduced as the best configuration of the same grid' },
    { name: 'rlhfless.assignment-study-model', value: 'Qwen2.5-3B', unit: 'model', why: 'the prompt-assignment study (PPO, GSM8K, 3 actors) does not name the model; the motivation’s 3B' },
    { name: 'rlhfless.cost', value: 'GPU-seconds allocated', unit: 'GPU·s', why: 'RLHFless reports GPU × seconds (§2); per-step figures use the whole step; the simulation is generation only; RLHFless*’s “generation cost” is the decode cost of §3.5 (C_Decode = Σ actor time × actor GPUs): the GPU-seconds the generating GPUs are held until generation ends — for veRL its 3 decode actors, not the pool’s idle GPUs' },
    { name: 'figure.range', value: 'mean and CI envelope', unit: 'rule', why: 'a published range over configurations is reproduced as the mean of the per-configuration estimates, with the lowest lower and highest upper 95 % bound as its interval' },
    { name: 'figure.best', value: 'best configuration', unit: 'rule', why: 'a published best case ("up to") is the configuration with the highest estimate, with its own interval' },
  ];
}
