import { basename } from 'node:path';
import { recordedConfig } from '../traces/recorded-runs/from-verl-run.js';
import type { VerlRun } from '../traces/verl/read-run.js';
import { fidelityStepFrom } from './from-recorded.js';
import { planStepSimulation } from './step-scenario.js';
import { withUserStated, type UserStatedRun } from './user-stated.js';

/**
 * A scenario file from a veRL run's own launch configuration (`rlhf-replay scenario from-verl`):
 * the same mapping the fidelity check simulates recorded runs with (from-recorded.ts →
 * step-scenario.ts), written out with a provenance entry for every field — `fact:` where the log
 * or script states the setting, `assumption:` with the source of the value where it does not
 * (a veRL era default, a recipe, the unknown GPU). A GPU the user names on the command line is a
 * fact of their run.
 */
export interface ScenarioFromRunOptions extends UserStatedRun {
  /** The scenario's name. */
  readonly name: string;
}

export type ScenarioFromRun = { readonly ok: true; readonly scenario: Record<string, unknown>; readonly notes: readonly string[] } | { readonly ok: false; readonly reason: string };

/** Scenario field paths and the run settings they come from (the keys of FidelityStep.assumed). */
const FIELD_SOURCES: readonly (readonly [string, readonly string[]])[] = [
  ['cluster.gpu', ['gpu']],
  ['cluster.nodes', ['nodes']],
  ['cluster.gpusPerNode', ['gpusPerNode']],
  ['models', ['model', 'referencePolicy', 'critic']],
  ['algorithm', ['critic', 'rollout.n', 'training.epochs']],
  ['batch', ['batch.prompts', 'batch.miniBatchPrompts']],
  ['lengths', ['lengths.maxPromptTokens', 'lengths.maxResponseTokens']],
  ['generation', ['rollout.tp', 'rollout.gpuMemoryUtilization', 'rollout.maxNumSeqs', 'rollout.maxBatchedTokens']],
  ['layout', ['training.backend', 'training.tp', 'training.pp', 'training.ep', 'training.microBatchPerGpu', 'training.logProbMicroBatchPerGpu', 'training.criticMicroBatchPerGpu']],
  ['costModel', ['rollout.enforceEager', 'date', 'training.gradientCheckpointing']],
  [
    'schedulerParameters',
    [
      'training.paramOffload',
      'training.optimizerOffload',
      'training.refParamOffload',
      'training.fsdpSize',
      'training.ulyssesSp',
      'training.removePadding',
      'referencePolicy',
      'training.dynamicBatchSize',
      'training.ppoMaxTokensPerGpu',
      'training.logProbMaxTokensPerGpu',
    ],
  ],
];

export function scenarioFromRun(run: VerlRun, options: ScenarioFromRunOptions): ScenarioFromRun {
  const row = withUserStated(
    { runId: basename(run.path), line: 1, runKey: run.path, source: { url: run.path }, config: recordedConfig(run), stepIndex: { kind: 'average' }, workload: {}, stagesS: {}, findings: [] },
    options,
  );
  const made = fidelityStepFrom({ row, run });
  if (!made.ok) return { ok: false, reason: made.reason };
  const plan = planStepSimulation(made.step);
  if (!plan.ok) return { ok: false, reason: plan.reason };
  const { step, scenario, era } = plan.simulation;
  const provenance: Record<string, string> = {};
  for (const [path, settings] of FIELD_SOURCES) {
    const assumed = settings.filter((s) => step.assumed[s] !== undefined).map((s) => `${s}: ${step.assumed[s]}`);
    provenance[path] = assumed.length === 0 ? `fact: ${basename(run.path)} (its launch command or printed config)` : `assumption: not stated by ${basename(run.path)} — ${assumed.join('; ')}`;
  }
  provenance['generation.promptSharing'] = 'fact: vLLM samples the n responses of a prompt from one prefill (V0 n-sampling; V1 prefix caching)';
  provenance['costModel.calibration'] = 'fitted: the kernel calibration on the public Vidur and SplitwiseSim profiles';
  provenance['scope'] = 'fact: veRL times whole steps';
  provenance['cluster.priceUsdPerGpuHour'] = `assumption: the catalog's on-demand price of ${scenario.cluster.gpu} (replace it with what you pay)`;
  return {
    ok: true,
    scenario: {
      name: options.name,
      description: `veRL run ${basename(run.path)} (${era.label}), as its launch configuration states it`,
      cluster: scenario.cluster,
      models: scenario.models,
      algorithm: scenario.algorithm,
      batch: scenario.batch,
      lengths: scenario.lengths,
      generation: scenario.generation,
      layout: scenario.layout,
      // A scenario of the user's own run takes the shipped framework calibration (costModel.framework left at its default).
      costModel: { kind: scenario.costModel.kind, calibration: 'package:harness/cost/calibrations/public-profiles.json', ...(scenario.costModel.engine ? { engine: scenario.costModel.engine } : {}), assumptions: scenario.costModel.assumptions },
      scope: scenario.scope,
      schedulerParameters: scenario.schedulerParameters,
      provenance,
    },
    notes: Object.entries(step.assumed).map(([field, why]) => `${field}: ${why}`),
  };
}
