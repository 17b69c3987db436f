import { InputError } from '../util/input-error.js';

/**
 * The one metric catalog: every figure a run reports, with its name, unit, the header a person
 * reads ("Iteration time (s)"), the machine column that CSV and JSON use (`iteration_time_s`),
 * which direction is better, and what it is. Every table, chart, JSON and CSV of replay, sweep,
 * whatif, nightly and reproduce reads it, so a unit is spelled one way: `GPU·s` in text,
 * `gpu_s` in machine columns.
 *
 * `fidelityStage` names the recorded stage a simulated time (or a figure derived from one) is
 * compared with when the simulation's out-of-sample fidelity is measured (the veRL stage names:
 * 'gen', 'old_log_prob', 'ref', 'values', 'update_critic', 'update_actor'; 'train' for all
 * training, 'step' for the whole step), so an error band can be attached to every printed
 * simulated time. Absent for figures that are not times or costs (shares, counts, ratios).
 */
export type FidelityStage = 'gen' | 'old_log_prob' | 'ref' | 'values' | 'update_critic' | 'update_actor' | 'train' | 'step';

export type Better = 'lower' | 'higher';

/** Units as printed, with their machine-column suffix. */
export const UNITS = {
  s: 's',
  ms: 'ms',
  'GPU·s': 'gpu_s',
  USD: 'usd',
  'samples/s': 'per_s',
  'tokens/s': 'per_s',
  fraction: 'frac',
  '%': 'pct',
  '×': 'x',
  tokens: 'tokens',
  bytes: 'bytes',
  // Units of published figures the reproduction compares with.
  'fraction of the batch': 'frac',
  'FlexFusion time units': 'units',
  'activation units': 'units',
} as const;

export type Unit = keyof typeof UNITS;

export interface MetricSpec {
  /** The name a command takes (`--metric`) and results are keyed by: `iterationTimeS`, `stage:generation`, `counter:x`. */
  readonly name: string;
  /** What a person reads, without the unit: 'Iteration time'. */
  readonly label: string;
  /** Unit as printed ('' for a count or a counter of no known unit). */
  readonly unit: Unit | '';
  /** Machine column (CSV header, JSON key), snake_case with its unit: 'iteration_time_s'. */
  readonly column: string;
  readonly better: Better;
  readonly description: string;
  readonly fidelityStage?: FidelityStage;
}

type Entry = Omit<MetricSpec, 'name'>;

/** Figures every IterationResult carries (replay, whatif, sweep, nightly). */
const RESULT_METRICS = {
  iterationTimeS: { label: 'Iteration time', unit: 's', column: 'iteration_time_s', better: 'lower', description: 'wall time of the iteration (step)', fidelityStage: 'step' },
  samplesPerS: { label: 'Throughput', unit: 'samples/s', column: 'samples_per_s', better: 'higher', description: 'samples trained on per second of iteration time', fidelityStage: 'step' },
  tokensPerS: { label: 'Token throughput', unit: 'tokens/s', column: 'tokens_per_s', better: 'higher', description: '(prompt + response) tokens of the batch per second of iteration time', fidelityStage: 'step' },
  gpuSecondsAllocated: { label: 'GPU time allocated', unit: 'GPU·s', column: 'gpu_s_allocated', better: 'lower', description: 'GPU-seconds held (what is paid for)', fidelityStage: 'step' },
  gpuSecondsBusy: { label: 'GPU time busy', unit: 'GPU·s', column: 'gpu_s_busy', better: 'lower', description: 'GPU-seconds occupied by a task', fidelityStage: 'step' },
  costUsd: { label: 'Cost', unit: 'USD', column: 'cost_usd', better: 'lower', description: 'allocated GPU-hours × the scenario’s price', fidelityStage: 'step' },
  utilization: { label: 'Utilisation', unit: 'fraction', column: 'utilization_frac', better: 'higher', description: 'useful GPU-seconds over allocated' },
  bubbleRatio: { label: 'Bubble ratio', unit: 'fraction', column: 'bubble_ratio_frac', better: 'lower', description: 'in-span idle GPU-seconds (pipeline bubbles) over busy GPU-seconds' },
} as const satisfies Record<string, Entry>;

/** Figures derived from an iteration's spans, allocations and ledger (harness/metrics/iteration.ts), what the reproduction keeps. */
const DERIVED_METRICS = {
  generationS: { label: 'Generation', unit: 's', column: 'generation_s', better: 'lower', description: 'wall time during which any generation ran', fidelityStage: 'gen' },
  inferenceS: { label: 'Inference', unit: 's', column: 'inference_s', better: 'lower', description: 'wall time during which any ref/reward/critic forward ran' },
  trainingS: { label: 'Training', unit: 's', column: 'training_s', better: 'lower', description: 'wall time during which any training ran', fidelityStage: 'train' },
  generationInferenceS: {
    label: 'Generation + inference',
    unit: 's',
    column: 'generation_inference_s',
    better: 'lower',
    description:
      'from the first generation span to the end of the last generation, KV-migration, model-load or inference span that starts before training (the stage RLHFuse’s inter-stage fusion shortens)',
  },
  generationGpuSeconds: {
    label: 'GPU time to the end of generation',
    unit: 'GPU·s',
    column: 'generation_gpu_s',
    better: 'lower',
    description: 'GPU-seconds allocated from the iteration start to the end of generation (every allocation, idle GPUs of a serverful pool included)',
    fidelityStage: 'gen',
  },
  decodeGpuSeconds: {
    label: 'Decode GPU time',
    unit: 'GPU·s',
    column: 'decode_gpu_s',
    better: 'lower',
    description:
      'GPU-seconds held, up to the end of generation, by the GPUs that generate, under the allocations they generate in (RLHFless §3.5: C_Decode = Σ actor time × actor GPUs; a serverful actor is held until generation ends)',
    fidelityStage: 'gen',
  },
  overheadSharePct: {
    label: 'Overhead share',
    unit: '%',
    column: 'overhead_share_pct',
    better: 'lower',
    description: 'GPU-seconds of KV migration, weight redistribution (weight-sync, reallocation) and model loading over the cluster’s GPU-seconds in the iteration',
  },
  generationTailSharePct: { label: 'Generation tail share', unit: '%', column: 'generation_tail_share_pct', better: 'lower', description: 'share of the generation stage after 99 % of the samples finished (fewer than 1 % still running)' },
  prefillTokens: { label: 'Prefilled tokens', unit: 'tokens', column: 'prefill_tokens', better: 'lower', description: 'prompt (and recomputed) tokens prefilled by decode engines and the prefill actor' },
} as const satisfies Record<string, Entry>;

export type ResultMetricName = keyof typeof RESULT_METRICS;
export type DerivedMetricName = keyof typeof DERIVED_METRICS;

export const RESULT_METRIC_NAMES = Object.keys(RESULT_METRICS) as ResultMetricName[];
export const DERIVED_METRIC_NAMES = Object.keys(DERIVED_METRICS) as DerivedMetricName[];

const withName = (name: string, entry: Entry): MetricSpec => ({ name, ...entry });

/** A named metric of the catalog. */
export function catalogMetric(name: ResultMetricName | DerivedMetricName): MetricSpec {
  const entry: Entry = (RESULT_METRICS as Record<string, Entry>)[name] ?? (DERIVED_METRICS as Record<string, Entry>)[name]!;
  return withName(name, entry);
}

const snake = (text: string) =>
  text
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();

const capitalised = (text: string) => {
  const words = text.replace(/[-_]+/g, ' ').replace(/\bkv\b/gi, 'KV');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The fidelity stage of a simulated stage or task, by the names schedulers give them. */
const STAGE_FIDELITY: Readonly<Record<string, FidelityStage>> = { generation: 'gen', training: 'train' };
const TASK_FIDELITY: Readonly<Record<string, FidelityStage>> = {
  generate: 'gen',
  old_log_prob: 'old_log_prob',
  ref: 'ref',
  values: 'values',
  update_actor: 'update_actor',
  update_critic: 'update_critic',
};

/** Wall seconds of one stage (the union of its spans); `generation` is the catalog's generationS. */
export function stageMetric(stage: string): MetricSpec {
  const fidelity = STAGE_FIDELITY[stage];
  return {
    name: `stage:${stage}`,
    label: capitalised(stage),
    unit: 's',
    column: `${snake(stage)}_s`,
    better: 'lower',
    description: `wall time during which any ${stage} span ran`,
    ...(fidelity ? { fidelityStage: fidelity } : {}),
  };
}

/** Wall seconds of one task (the union of its spans). */
export function taskMetric(task: string): MetricSpec {
  const fidelity = TASK_FIDELITY[task];
  return {
    name: `task:${task}`,
    label: `Task ${task}`,
    unit: 's',
    column: `task_${snake(task)}_s`,
    better: 'lower',
    description: `wall time during which any ${task} span ran`,
    ...(fidelity ? { fidelityStage: fidelity } : {}),
  };
}

/**
 * Counters whose meaning the catalog knows (the asynchronous schedulers', harness/schedulers/async/):
 * a label, unit and better direction instead of the generic ones. Per measured step.
 */
const KNOWN_COUNTERS: Readonly<Record<string, Omit<Entry, 'column'>>> = {
  policy_lag_mean_versions: { label: 'Policy lag (mean)', unit: '', better: 'lower', description: 'mean over trained samples of the parameter versions between the policy that finished generating a sample and the one it trains (veRL fully_async: current_param_version − the sample’s param_version), versions' },
  policy_lag_max_versions: { label: 'Policy lag (max)', unit: '', better: 'lower', description: 'largest policy lag of a trained sample, versions' },
  stale_samples_frac: { label: 'Stale samples', unit: 'fraction', better: 'lower', description: 'share of trained samples generated by an older policy (lag ≥ 1; veRL’s stale_samples_processed over the samples)' },
  interrupted_sequences_frac: { label: 'Interrupted generations', unit: 'fraction', better: 'lower', description: 'responses cancelled in flight at a weight sync (partial rollout) over the samples trained' },
  rollouter_idle_frac: { label: 'Rollouter idle', unit: 'fraction', better: 'lower', description: 'GPU·s of the rollout pool with no span over its GPU·s held (veRL rollouter/idle_ratio)' },
  trainer_idle_frac: { label: 'Trainer idle', unit: 'fraction', better: 'lower', description: 'GPU·s of the trainer pool with no span over its GPU·s held (veRL trainer/idle_ratio)' },
  trainer_wait_s: { label: 'Trainer wait for samples', unit: 's', better: 'lower', description: 'wall time the trainer waited for samples (veRL’s `gen` timer of an asynchronous trainer; one-step-off’s wait_prev_gen)', fidelityStage: 'gen' },
  trained_tokens_per_s: { label: 'Trained tokens/s', unit: 'tokens/s', better: 'higher', description: '(prompt + response) tokens of the samples trained per second' },
  weight_sync_s: { label: 'Weight sync', unit: 's', better: 'lower', description: 'one trainer → rollout weight sync (gather, broadcast, load into the engine)' },
};

/** A scheduler's counter: a known one's entry, else its unit read from its name's suffix (`_pct`, `_s`, `_bytes`, `_frac`). */
export function counterMetric(counter: string): MetricSpec {
  const known = KNOWN_COUNTERS[counter];
  if (known) return { name: `counter:${counter}`, column: `counter_${snake(counter)}`, ...known };
  const unit: Unit | '' = counter.endsWith('_pct') ? '%' : counter.endsWith('_s') ? 's' : counter.endsWith('_bytes') ? 'bytes' : counter.endsWith('_frac') ? 'fraction' : '';
  return { name: `counter:${counter}`, label: `Counter ${counter}`, unit, column: `counter_${snake(counter)}`, better: 'lower', description: `the scheduler's counter ${counter}` };
}

/**
 * Any metric by the name a command takes: a catalog name (iterationTimeS, costUsd, …),
 * `stage:<name>` or `task:<name>` (wall seconds), or `counter:<name>` (a scheduler's counter).
 */
export function metricByName(name: string, where = '--metric'): MetricSpec {
  if (Object.hasOwn(RESULT_METRICS, name) || Object.hasOwn(DERIVED_METRICS, name)) return catalogMetric(name as ResultMetricName);
  const match = /^(stage|task|counter):(.+)$/.exec(name);
  if (match) {
    const [, kind, key] = match as unknown as [string, 'stage' | 'task' | 'counter', string];
    return kind === 'stage' ? stageMetric(key) : kind === 'task' ? taskMetric(key) : counterMetric(key);
  }
  throw unknownMetric(name, where);
}

/** The error for a metric name no command knows. */
export function unknownMetric(name: string, where = '--metric'): InputError {
  return new InputError({
    file: where,
    field: 'metric',
    value: name,
    message: `must be one of ${RESULT_METRIC_NAMES.join(', ')}, or stage:<name>, task:<name>, counter:<name>`,
  });
}

/** The header a person reads: 'Iteration time (s)'. */
export function metricHeader(metric: Pick<MetricSpec, 'label' | 'unit'>): string {
  return metric.unit ? `${metric.label} (${metric.unit})` : metric.label;
}

/** The machine suffix of a unit as printed ('GPU·s' → 'gpu_s'); units outside the catalog are made snake_case. */
export function unitSuffix(unit: string): string {
  return (UNITS as Readonly<Record<string, string>>)[unit] ?? snake(unit);
}

/**
 * A table column showing a metric: the machine name is the metric's column (with `suffix`, e.g.
 * '_mean'), the header a person reads is its label (with `labelSuffix`, e.g. ', mean') and unit.
 */
export function metricColumn(
  metric: MetricSpec,
  options: { readonly key?: string; readonly suffix?: string; readonly labelSuffix?: string; readonly decimals?: number; readonly description?: string } = {},
): { key: string; name: string; label: string; unit: string | null; decimals?: number; description: string } {
  return {
    key: options.key ?? metric.name,
    name: `${metric.column}${options.suffix ?? ''}`,
    label: `${metric.label}${options.labelSuffix ?? ''}`,
    unit: metric.unit || null,
    ...(options.decimals !== undefined ? { decimals: options.decimals } : {}),
    description: options.description ?? metric.description,
  };
}
