import { InputError } from '../../util/input-error.js';
import { VerlStepCollector } from '../adapters/verl-log.js';
import { createProblemCollector, type ProblemCollector } from '../problems.js';
import { readLines } from '../source/lines.js';
import { buildVerlConfig, type VerlConfig } from './config.js';
import { LaunchCommandReader, type VerlLaunch } from './launch-command.js';
import { PrintedConfigReader, type PrintedConfig } from './printed-config.js';
import { SamplingParamsReader, type RolloutSamplingParams } from './sampling-params.js';
import { verlSettings, type VerlSettings } from './settings.js';
import { verlStep, type VerlStep } from './steps.js';

/**
 * Which veRL trainer wrote the log, told by its timer names:
 * - `dec-2024`: `timing/<stage>`, steps numbered from 0, no `old_log_prob` stage (the actor's
 *   log-probs came out of generation) and no step timer (verl/trainer/ppo/ray_trainer.py at 50ac7252);
 * - `2025`: `timing_s/<stage>`, steps from 1, `old_log_prob`, `timing_s/step`, and throughput/MFU metrics.
 */
export type VerlLogGeneration = 'dec-2024' | '2025';

/** A whole veRL run read from its console log: how it was launched and configured, and every training step. */
export interface VerlRun {
  readonly path: string;
  readonly generation: VerlLogGeneration;
  /** Absent when the log shows no launch command (the printed config then gives the configuration). */
  readonly launch?: VerlLaunch;
  /** Where the printed (resolved) config sits and whether it was read whole; its values are in `config`. */
  readonly printedConfig?: Omit<PrintedConfig, 'tree'>;
  readonly config: VerlConfig;
  /** The SamplingParams the vLLM rollout printed, when the log has them. */
  readonly rolloutSampling?: RolloutSamplingParams;
  readonly settings: VerlSettings;
  /** Training steps in order (validation-only lines are not steps). The first includes warm-up. */
  readonly steps: readonly VerlStep[];
  /** Every timer name any step logs, sorted. */
  readonly stagesLogged: readonly string[];
  readonly notes: readonly string[];
}

/**
 * Reads a veRL console log into one run: the launch command (three forms, launch-command.ts) and
 * the printed config dict (printed-config.ts) give the configuration — the printed dict is the
 * resolved one and wins where they disagree, which the notes and `config.disagreements` list — and
 * the step lines give each step's stage times and workload (the same step-line parser as the
 * stage-timing reader). Problems in step lines or the launch command are InputErrors with line and
 * column; a log with neither a launch command nor a printed config is one, as its configuration
 * would be unknown.
 */
export async function readVerlRun(path: string, problems: ProblemCollector = createProblemCollector()): Promise<VerlRun> {
  const launchReader = new LaunchCommandReader();
  const printedReader = new PrintedConfigReader();
  const samplingReader = new SamplingParamsReader();
  const stepCollector = new VerlStepCollector(path, problems);
  let training = false;
  for await (const { text, line } of readLines(path, { problems })) {
    if (stepCollector.feed(text, line)) training = true;
    if (training) continue;
    launchReader.feed(text, line);
    printedReader.feed(text, line);
    samplingReader.feed(text, line);
  }
  const launch = launchReader.result(path, problems);
  const { steps: stepLines, notes: stepNotes } = stepCollector.finish();
  const printed = printedReader.result();
  if (!launch && !printed)
    throw new InputError({
      file: path,
      // stepCollector.finish() has thrown if there is no step: this is the first step line, which the configuration must precede.
      line: stepLines[0]!.line,
      message: 'no launch command (`python3 -m verl.trainer.main_ppo …`, a `command:` header) and no printed config dict before this first step line: the run\'s configuration is unknown',
    });
  const config = buildVerlConfig(launch, printed);
  const rolloutSampling = samplingReader.result();
  const settings = verlSettings(config, rolloutSampling);
  const steps = stepLines.map(verlStep);
  const generation: VerlLogGeneration = stepLines.some((s) => s.timingPrefix === 'timing/') ? 'dec-2024' : '2025';
  const notes: string[] = [];
  if (launch && launch.unresolvedVariables.length > 0)
    notes.push(`the launch command uses ${launch.unresolvedVariables.map((name) => `$${name}`).join(', ')}, which the log does not define: kept as written`);
  if (launchReader.extraCommands.length > 0) notes.push(`further launch commands on lines ${launchReader.extraCommands.join(', ')} ignored: the first one is read`);
  if (printed) notes.push(...printed.notes);
  notes.push(...config.notes, ...settings.notes, ...stepNotes);
  const firstStep = generation === 'dec-2024' ? 0 : 1;
  if (steps[0] && steps[0].step !== firstStep) notes.push(`the first training step logged is ${steps[0].step}, not ${firstStep}: a resumed run? its first step need not include warm-up`);
  const stagesLogged = [...new Set(steps.flatMap((s) => Object.keys(s.stagesS)))].sort();
  return {
    path,
    generation,
    ...(launch ? { launch } : {}),
    ...(printed ? { printedConfig: withoutTree(printed) } : {}),
    config,
    ...(rolloutSampling ? { rolloutSampling } : {}),
    settings,
    steps,
    stagesLogged,
    notes,
  };
}

/** Where the printed config sat and how whole it was; its values live in `config`. */
function withoutTree(printed: PrintedConfig): Omit<PrintedConfig, 'tree'> {
  return { line: printed.line, lastLine: printed.lastLine, prefix: printed.prefix, complete: printed.complete, notes: printed.notes };
}
