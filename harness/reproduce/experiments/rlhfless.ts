import type { DatasetId } from '../traces/sources.js';
import type { WorkloadShape } from '../traces/shape.js';
import type { ExperimentConfig, TraceUse } from './types.js';

/**
 * RLHFless's evaluation (papers/rlhfless.md §4–§6): the 16-L40S testbed grid (Qwen2.5-3B/7B ×
 * PPO/GRPO × GSM8K/GPQA/LiveCodeBench-like lengths) against veRL with 3 fixed decode actors,
 * 3 epochs per setting; the technique ablations and the studies on one setting each; and the
 * generation-only Llama2-70B simulation on up to 20 × 8 H100 with 2k-8k responses.
 */
export const GRID_SCHEDULERS = ['verl', 'rlhfless', 'rlhfless-weak-predictor'] as const;
export const ABLATION_SCHEDULERS = ['rlhfless-naive', 'oracle', 'rlhfless-no-dedup', 'rlhfless-no-predict', 'rlhfless-no-assign', 'rlhfless-no-cut', 'rlhfless-no-scale'] as const;
/**
 * The billing-only variant and RLHFless's leave-one-out ablations, by technique: run on every
 * testbed and simulation configuration so each RLHFless figure splits, where it is computed, into
 * what billing alone gives and what each technique adds (figures/decomposition.ts).
 */
export const LEAVE_ONE_OUT = [
  { technique: 'deduplicated prefill', without: 'rlhfless-no-dedup' },
  { technique: 'length prediction', without: 'rlhfless-no-predict' },
  { technique: 'prompt assignment', without: 'rlhfless-no-assign' },
  { technique: 'cut-and-migrate', without: 'rlhfless-no-cut' },
  { technique: 'actor scaling', without: 'rlhfless-no-scale' },
] as const;
export const DECOMPOSITION_SCHEDULERS = ['rlhfless-naive', ...LEAVE_ONE_OUT.map((t) => t.without)] as const;
/** RLHFless assignment with the fixed 3 actors against RLHFless's model of RLHFuse's prompt handling (§3.3). */
export const ASSIGNMENT_SCHEDULERS = ['rlhfless-no-scale', 'rlhfuse-global-migrate'] as const;

export const MODELS = [
  { id: '3b', label: 'Qwen2.5-3B' },
  { id: '7b', label: 'Qwen2.5-7B' },
] as const;
export const ALGORITHMS = ['ppo', 'grpo'] as const;
export const DATASETS = ['gsm8k', 'gpqa', 'livecodebench'] as const satisfies readonly DatasetId[];

/** The setting of the paper's ablations and of the sensitivity analysis (GRPO gains most, §6; GSM8K has the longest steps). */
export const ABLATION_CONFIG = 'rlhfless/grid/3b-grpo-gsm8k';
/** §3.3's prompt-assignment study: PPO, GSM8K, 3 actors (model size not given: the 3B of the motivation). */
export const ASSIGNMENT_CONFIG = 'rlhfless/grid/3b-ppo-gsm8k';

/** Node counts of the 70B simulation (the paper varies them up to 20 under a fixed workload). */
export const SIM_NODE_COUNTS = [5, 10, 20] as const;
export const SIM_RESPONSE_CAPS = [
  { id: '2k', scenario: 'harness/scenario/scenarios/rlhfless-sim-70b-2k.json' },
  { id: '4k', scenario: 'harness/scenario/scenarios/rlhfless-sim-70b-4k.json' },
  { id: '8k', scenario: 'harness/scenario/scenarios/rlhfless-sim-70b.json' },
] as const;
export const SIM_PROBE_CONFIG = 'rlhfless/sim/8k-20n';

export const RLHFLESS_EPOCHS = 3;

export interface RlhflessSizes {
  readonly iterationsPerEpoch: number;
  readonly quick: boolean;
}

/** What the plan builder read from each scenario file: its batch and samples per prompt. */
export interface ScenarioFacts {
  readonly batchPrompts: number;
  readonly samplesPerPrompt: number;
  readonly gpusPerNode: number;
  readonly generationTp: number;
}

export type TraceFor = (dataset: DatasetId, samplesPerPrompt: number, shape: WorkloadShape) => TraceUse;

function epochs(batchPrompts: number, sizes: RlhflessSizes): WorkloadShape {
  return { kind: 'epochs', batchPrompts, iterationsPerEpoch: sizes.iterationsPerEpoch, epochs: RLHFLESS_EPOCHS };
}

export const testbedScenario = (model: string, algorithm: string) => `harness/scenario/scenarios/rlhfless-${model}-${algorithm}.json`;

export function rlhflessConfigs(facts: (scenario: string) => ScenarioFacts, traceFor: TraceFor, sizes: RlhflessSizes): ExperimentConfig[] {
  const configs: ExperimentConfig[] = [];
  for (const model of MODELS) {
    for (const algorithm of ALGORITHMS) {
      for (const dataset of DATASETS) {
        const id = `rlhfless/grid/${model.id}-${algorithm}-${dataset}`;
        if (sizes.quick && id !== ABLATION_CONFIG && id !== ASSIGNMENT_CONFIG) continue;
        const scenario = testbedScenario(model.id, algorithm);
        const fact = facts(scenario);
        const shape = epochs(fact.batchPrompts, sizes);
        const extra = [...DECOMPOSITION_SCHEDULERS, ...(id === ABLATION_CONFIG ? ABLATION_SCHEDULERS : id === ASSIGNMENT_CONFIG ? ASSIGNMENT_SCHEDULERS : [])];
        configs.push({
          id,
          paper: 'rlhfless',
          group: 'rlhfless-grid',
          label: `${model.label}, ${algorithm.toUpperCase()}, ${dataset}-like`,
          dims: { model: model.label, algorithm: algorithm.toUpperCase(), dataset },
          scenario,
          dataset,
          trace: traceFor(dataset, fact.samplesPerPrompt, shape),
          samplesPerPrompt: fact.samplesPerPrompt,
          shape,
          schedulers: [...new Set([...GRID_SCHEDULERS, ...extra])],
          ...(id === ABLATION_CONFIG ? { timeline: ['verl', 'rlhfless'] } : {}),
        });
      }
    }
  }

  // §3.1: veRL's parallel generation recomputes each sample's prompt KV; the counterfactual shares it.
  const grpo = testbedScenario('3b', 'grpo');
  const grpoFacts = facts(grpo);
  const grpoShape = epochs(grpoFacts.batchPrompts, sizes);
  const grpoTrace = traceFor('gsm8k', grpoFacts.samplesPerPrompt, grpoShape);
  const kvBase = { paper: 'rlhfless', group: 'rlhfless-kv', scenario: grpo, dataset: 'gsm8k', trace: grpoTrace, samplesPerPrompt: grpoFacts.samplesPerPrompt, shape: grpoShape, schedulers: ['verl'] } as const;
  configs.push({ ...kvBase, id: 'rlhfless/kv/3b-grpo-gsm8k', label: 'veRL, 4 responses per prompt, each prefilling its own prompt', dims: { promptKv: 'recomputed per sample' } });
  configs.push({
    ...kvBase,
    id: 'rlhfless/kv/3b-grpo-gsm8k-shared',
    label: 'veRL counterfactual: the 4 samples of a prompt share its KV',
    dims: { promptKv: 'shared by the group' },
    scenarioPatch: {
      generation: { promptSharing: true },
      provenance: { 'generation.promptSharing': 'assumption: counterfactual for RLHFless §3.1 — the same run with each prompt prefilled once and its KV shared by the group; the GPU time that disappears is the redundant recompute' },
    },
  });

  // §3.1 / Fig. 13b: deduplicated prefill with 3 responses per prompt.
  const dedupShape = epochs(grpoFacts.batchPrompts, sizes);
  configs.push({
    id: 'rlhfless/dedup/3b-grpo-n3-gsm8k',
    paper: 'rlhfless',
    group: 'rlhfless-dedup',
    label: 'Qwen2.5-3B, GRPO with 3 responses per prompt, gsm8k-like',
    dims: { model: 'Qwen2.5-3B', algorithm: 'GRPO', samplesPerPrompt: 3 },
    scenario: grpo,
    scenarioPatch: {
      algorithm: { samplesPerPrompt: 3 },
      provenance: { 'algorithm.samplesPerPrompt': 'fact: the deduplicated-prefill figure uses 3 responses per prompt (RLHFless §3.1, Fig. 13b)' },
    },
    dataset: 'gsm8k',
    trace: traceFor('gsm8k', 3, dedupShape),
    samplesPerPrompt: 3,
    shape: dedupShape,
    schedulers: ['rlhfless', 'rlhfless-no-dedup'],
  });

  // §5: generation-only Llama2-70B simulation, node count × response cap.
  for (const cap of SIM_RESPONSE_CAPS) {
    const fact = facts(cap.scenario);
    for (const nodes of SIM_NODE_COUNTS) {
      const id = `rlhfless/sim/${cap.id}-${nodes}n`;
      if (sizes.quick && id !== SIM_PROBE_CONFIG && id !== 'rlhfless/sim/2k-20n') continue;
      const shape = epochs(fact.batchPrompts, { ...sizes, iterationsPerEpoch: 1 });
      configs.push({
        id,
        paper: 'rlhfless',
        group: 'rlhfless-sim',
        label: `Llama2-70B, ${nodes} × 8 H100, responses up to ${cap.id}`,
        dims: { nodes, maxResponse: cap.id },
        scenario: cap.scenario,
        scenarioPatch: {
          cluster: { nodes },
          generation: { instances: (nodes * fact.gpusPerNode) / fact.generationTp },
          provenance: {
            'cluster.nodes': 'assumption: the simulation varies the node count up to 20 under a fixed workload (RLHFless §5); the reproduction averages over 5, 10 and 20 nodes',
            'generation.instances': 'assumption: the simulated baseline decodes on every GPU pair of the cluster (its actor count is not given, RLHFless §8 item 13)',
          },
        },
        dataset: 'gsm8k',
        trace: traceFor('gsm8k', fact.samplesPerPrompt, shape),
        samplesPerPrompt: fact.samplesPerPrompt,
        shape,
        schedulers: ['verl', 'rlhfless', ...DECOMPOSITION_SCHEDULERS],
      });
    }
  }
  return configs;
}
