import { InputError } from '../../util/input-error.js';
import { createProblemCollector, type ProblemCollector } from '../problems.js';
import { readLines } from '../source/lines.js';
import type { StageTimingIteration, StageTimingTrace } from '../types.js';

export const VERL_LOG_FORMAT = 'verl-log';

/**
 * veRL's console logger prints one line per training step (verl/utils/logger/aggregate_logger.py,
 * `concat_dict_to_str`): `step:N - key:value - key:value …`, values formatted `:.3f`. Under Ray the
 * line carries a prefix such as `(TaskRunner pid=123) `. Older versions print raw numpy reprs
 * (`np.float64(0.25)`). Stage times are `timing_s/<stage>` (gen, reward, old_log_prob, ref, values,
 * adv, update_critic, update_actor, …; `timing_s/step` is the whole step); veRL's Dec-2024 trainer
 * named the same timers `timing/<stage>` and had no step timer (verl/trainer/ppo/ray_trainer.py at
 * 50ac7252, `metrics['timing/gen'] = timer.last`).
 */
export const VERL_STEP_LINE = /(?:^|[\s)\]>])step:(\d+)\s+-\s+(.*)$/;
/** A step line that holds stage times, in either generation's naming (for format detection). */
export const VERL_TIMING_STEP_LINE = /(?:^|[\s)\]>])step:\d+\s+-\s+.*\btiming(?:_s)?\//;
const TIMING_KEY = /^timing(_s)?\/(.+)$/;
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const WRAPPED_NUMBER = /^(?:np\.)?(?:float|int|uint)(?:16|32|64)?\((.*)\)$|^tensor\((.*?)(?:,.*)?\)$/;

/** Parses a logged metric value: a number, a numpy/torch repr of one, or nan/inf (returned as NaN/±Infinity). Other text gives undefined. */
export function parseVerlValue(text: string): number | undefined {
  let body = text.trim();
  const wrapped = WRAPPED_NUMBER.exec(body);
  if (wrapped) body = (wrapped[1] ?? wrapped[2] ?? '').trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) return Number(body);
  if (/^[+-]?nan$/i.test(body)) return Number.NaN;
  if (/^[+-]?inf(inity)?$/i.test(body)) return body.startsWith('-') ? -Infinity : Infinity;
  return undefined;
}

/** Splits the part after `step:N - ` into key/value text pairs. */
export function splitVerlFields(rest: string): { key: string; valueText: string; column: number }[] {
  const out: { key: string; valueText: string; column: number }[] = [];
  let offset = 0;
  for (const field of rest.split(' - ')) {
    const colon = field.lastIndexOf(':');
    if (colon > 0) out.push({ key: field.slice(0, colon).trim(), valueText: field.slice(colon + 1), column: offset + colon + 2 });
    offset += field.length + 3;
  }
  return out;
}

/** One logged training step: its stage seconds, the step's wall time when logged, and every other numeric value. */
export interface VerlStepLine {
  /** The step number as printed (0-based in Dec-2024 logs, 1-based later). */
  readonly step: number;
  readonly line: number;
  /** Seconds per stage, from `timing_s/<stage>` or (Dec 2024) `timing/<stage>`, keys sorted. */
  readonly stagesS: Readonly<Record<string, number>>;
  readonly stepS?: number;
  /** Every other numeric value, keys sorted. */
  readonly metrics: Readonly<Record<string, number>>;
  /** How the log names its timers: `timing_s/` (2025 logs) or `timing/` (Dec 2024). */
  readonly timingPrefix: 'timing_s/' | 'timing/';
}

/**
 * Collects the step lines of a veRL console log, fed line by line; one place for both readers of
 * a log (the stage-timing trace and the whole run). Lines without stage times (validation) are
 * skipped, a step logged twice keeps the later line, a stage time that is not a finite,
 * non-negative number is a problem with line and column.
 */
export class VerlStepCollector {
  private readonly byStep = new Map<number, VerlStepLine>();
  private metricLines = 0;
  private withoutTimings = 0;
  private skippedValues = 0;
  private readonly relogged: string[] = [];

  constructor(
    private readonly path: string,
    private readonly problems: ProblemCollector,
  ) {}

  /** True when the line was a step metric line (with or without timings). */
  feed(raw: string, line: number): boolean {
    const text = raw.includes('\x1b') ? raw.replace(ANSI, '') : raw;
    const match = VERL_STEP_LINE.exec(text);
    if (!match) return false;
    this.metricLines++;
    const step = Number(match[1]);
    const restStart = match.index + match[0].length - match[2]!.length;
    const stagesS: Record<string, number> = {};
    const metrics: Record<string, number> = {};
    let stepS: number | undefined;
    let timingPrefix: VerlStepLine['timingPrefix'] | undefined;
    let bad = false;
    for (const { key, valueText, column } of splitVerlFields(match[2]!)) {
      const value = parseVerlValue(valueText);
      const timing = TIMING_KEY.exec(key);
      if (value === undefined || !Number.isFinite(value)) {
        if (timing) {
          this.problems.add({ file: this.path, line, column: restStart + column, field: key, value: valueText.trim(), message: 'is not a finite number of seconds' });
          bad = true;
        } else this.skippedValues++;
        continue;
      }
      if (!timing) {
        metrics[key] = value;
        continue;
      }
      if (value < 0) {
        this.problems.add({ file: this.path, line, column: restStart + column, field: key, value: valueText.trim(), message: 'must not be negative' });
        bad = true;
        continue;
      }
      timingPrefix ??= timing[1] ? 'timing_s/' : 'timing/';
      if (timing[2] === 'step') stepS = value;
      else stagesS[timing[2]!] = value;
    }
    if (bad) return true;
    if (stepS === undefined && Object.keys(stagesS).length === 0) {
      this.withoutTimings++;
      return true;
    }
    const previous = this.byStep.get(step);
    if (previous) this.relogged.push(`step ${step} (lines ${previous.line} and ${line})`);
    this.byStep.set(step, { step, line, stagesS: sortKeys(stagesS), ...(stepS !== undefined ? { stepS } : {}), metrics: sortKeys(metrics), timingPrefix: timingPrefix! });
    return true;
  }

  /** The steps in order, and what was skipped; throws when the log has no usable step line. */
  finish(): { steps: VerlStepLine[]; notes: string[] } {
    this.problems.throwIfAny();
    if (this.metricLines === 0) throw new InputError({ file: this.path, message: 'no veRL metric lines (`step:N - timing_s/gen:… - …`) found; is this a veRL console log?' });
    if (this.byStep.size === 0) throw new InputError({ file: this.path, message: `${this.metricLines} veRL metric lines, but none has timing_s/* (or timing/*) values` });
    const notes: string[] = [];
    if (this.withoutTimings > 0) notes.push(`${this.withoutTimings} metric lines without timing_s/* (validation-only) skipped`);
    if (this.relogged.length > 0) notes.push(`steps logged twice, the later line kept (a resumed run?): ${this.relogged.join(', ')}`);
    if (this.skippedValues > 0) notes.push(`${this.skippedValues} non-numeric or non-finite metric values skipped`);
    const steps = [...this.byStep.values()].sort((a, b) => a.step - b.step);
    if (steps.some((s) => s.timingPrefix === 'timing/'))
      notes.push('stage times are logged as timing/<stage> (veRL Dec 2024): read as the same timers as timing_s/<stage>; that trainer has no step timer');
    return { steps, notes };
  }
}

/**
 * Reads the per-step metric lines of a veRL console log into a StageTimingTrace: iteration = step,
 * stagesS = every `timing_s/<stage>` (or `timing/<stage>`) but step, stepS = `timing_s/step`,
 * metrics = every other numeric value. GPUs are recovered from veRL's throughput definition
 * (perf/throughput = perf/total_num_tokens / (perf/time_per_step × n_gpus)) when it gives a whole
 * number. Other log output is ignored; lines without any timing (validation-only) are skipped.
 */
export async function readVerlLog(path: string, problems: ProblemCollector = createProblemCollector()): Promise<StageTimingTrace> {
  const collector = new VerlStepCollector(path, problems);
  for await (const { text, line } of readLines(path, { problems })) collector.feed(text, line);
  const { steps, notes } = collector.finish();
  const iterations: StageTimingIteration[] = steps.map((s) => {
    const gpus = gpusFromThroughput(s.metrics);
    return { iteration: s.step, stagesS: s.stagesS, ...(s.stepS !== undefined ? { stepS: s.stepS } : {}), ...(gpus !== undefined ? { gpus } : {}), metrics: s.metrics };
  });
  const gpusFound = iterations.filter((it) => it.gpus !== undefined).length;
  notes.push(
    "stagesS holds every timing_s/* value as logged; some nest inside others (generate_sequences and generation_timing/* inside gen), so stages need not add up to stepS",
  );
  notes.push(
    gpusFound === iterations.length
      ? 'gpus recovered from perf/total_num_tokens / (perf/throughput × perf/time_per_step)'
      : `gpus recovered from perf/* throughput metrics on ${gpusFound} of ${iterations.length} steps; unknown elsewhere`,
  );
  return { format: VERL_LOG_FORMAT, sources: [path], iterations, notes };
}

/**
 * The throughput metrics under their two names: `perf/total_num_tokens`, `perf/time_per_step`,
 * `perf/throughput` (veRL from spring 2025), and `total_num_tokens`, `time_per_step`,
 * `Tokens/Sec/GPU` (the March-2025 logs).
 */
export function throughputMetrics(metrics: Readonly<Record<string, number>>): { totalNumTokens?: number; timePerStepS?: number; tokensPerSPerGpu?: number } {
  const tokens = metrics['perf/total_num_tokens'] ?? metrics['total_num_tokens'];
  const time = metrics['perf/time_per_step'] ?? metrics['time_per_step'];
  const throughput = metrics['perf/throughput'] ?? metrics['Tokens/Sec/GPU'];
  return { ...(tokens !== undefined ? { totalNumTokens: tokens } : {}), ...(time !== undefined ? { timePerStepS: time } : {}), ...(throughput !== undefined ? { tokensPerSPerGpu: throughput } : {}) };
}

/** veRL: throughput = total_num_tokens / (time_per_step × n_gpus). Accepts the result within 1 % of a whole number (values are printed to 3 decimals). */
export function gpusFromThroughput(metrics: Readonly<Record<string, number>>): number | undefined {
  const { totalNumTokens: tokens, tokensPerSPerGpu: throughput, timePerStepS: time } = throughputMetrics(metrics);
  if (tokens === undefined || throughput === undefined || time === undefined || throughput <= 0 || time <= 0) return undefined;
  const gpus = tokens / (throughput * time);
  const rounded = Math.round(gpus);
  return rounded >= 1 && Math.abs(gpus - rounded) <= 0.01 * rounded ? rounded : undefined;
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
