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
 * adv, update_critic, update_actor, …; `timing_s/step` is the whole step).
 */
export const VERL_STEP_LINE = /(?:^|[\s)\]>])step:(\d+)\s+-\s+(.*)$/;
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

/**
 * Reads the per-step metric lines of a veRL console log into a StageTimingTrace: iteration = step,
 * stagesS = every `timing_s/<stage>` but step, stepS = `timing_s/step`, metrics = every other
 * numeric value. GPUs are recovered from veRL's throughput definition
 * (perf/throughput = perf/total_num_tokens / (perf/time_per_step × n_gpus)) when it gives a whole
 * number. Other log output is ignored; lines without any timing_s (validation-only) are skipped.
 */
export async function readVerlLog(path: string, problems: ProblemCollector = createProblemCollector()): Promise<StageTimingTrace> {
  const byStep = new Map<number, { iteration: StageTimingIteration; line: number }>();
  const notes: string[] = [];
  let metricLines = 0;
  let withoutTimings = 0;
  let skippedValues = 0;
  const relogged: string[] = [];
  for await (const { text, line } of readLines(path, { problems })) {
    const match = VERL_STEP_LINE.exec(text.includes('\x1b') ? text.replace(ANSI, '') : text);
    if (!match) continue;
    metricLines++;
    const step = Number(match[1]);
    const restStart = match.index + match[0].length - match[2]!.length;
    const stagesS: Record<string, number> = {};
    const metrics: Record<string, number> = {};
    let stepS: number | undefined;
    let bad = false;
    for (const { key, valueText, column } of splitVerlFields(match[2]!)) {
      const value = parseVerlValue(valueText);
      const isTiming = key.startsWith('timing_s/');
      if (value === undefined || !Number.isFinite(value)) {
        if (isTiming) {
          problems.add({ file: path, line, column: restStart + column, field: key, value: valueText.trim(), message: 'is not a finite number of seconds' });
          bad = true;
        } else skippedValues++;
        continue;
      }
      if (isTiming) {
        if (value < 0) {
          problems.add({ file: path, line, column: restStart + column, field: key, value: valueText.trim(), message: 'must not be negative' });
          bad = true;
        } else if (key === 'timing_s/step') stepS = value;
        else stagesS[key.slice('timing_s/'.length)] = value;
      } else metrics[key] = value;
    }
    if (bad) continue;
    if (stepS === undefined && Object.keys(stagesS).length === 0) {
      withoutTimings++;
      continue;
    }
    const gpus = gpusFromThroughput(metrics);
    const iteration: StageTimingIteration = {
      iteration: step,
      stagesS: sortKeys(stagesS),
      ...(stepS !== undefined ? { stepS } : {}),
      ...(gpus !== undefined ? { gpus } : {}),
      metrics: sortKeys(metrics),
    };
    const previous = byStep.get(step);
    if (previous) relogged.push(`step ${step} (lines ${previous.line} and ${line})`);
    byStep.set(step, { iteration, line });
  }
  problems.throwIfAny();
  if (metricLines === 0) throw new InputError({ file: path, message: 'no veRL metric lines (`step:N - timing_s/gen:… - …`) found; is this a veRL console log?' });
  if (byStep.size === 0) throw new InputError({ file: path, message: `${metricLines} veRL metric lines, but none has timing_s/* values` });
  if (withoutTimings > 0) notes.push(`${withoutTimings} metric lines without timing_s/* (validation-only) skipped`);
  if (relogged.length > 0) notes.push(`steps logged twice, the later line kept (a resumed run?): ${relogged.join(', ')}`);
  if (skippedValues > 0) notes.push(`${skippedValues} non-numeric or non-finite metric values skipped`);
  const iterations = [...byStep.values()].map((entry) => entry.iteration).sort((a, b) => a.iteration - b.iteration);
  const gpusFound = iterations.filter((it) => it.gpus !== undefined).length;
  notes.push(
    "stagesS holds every timing_s/* value as logged; some nest inside others (generate_sequences and generation_timing/* inside gen), so stages need not add up to stepS",
  );
  notes.push(
    gpusFound === iterations.length
      ? 'gpus recovered from perf/total_num_tokens / (perf/throughput × perf/time_per_step)'
      : `gpus recovered from perf/* throughput metrics on ${gpusFound} of ${byStep.size} steps; unknown elsewhere`,
  );
  return { format: VERL_LOG_FORMAT, sources: [path], iterations, notes };
}

/** veRL: throughput = total_num_tokens / (time_per_step × n_gpus). Accepts the result within 1 % of a whole number (values are printed to 3 decimals). */
export function gpusFromThroughput(metrics: Readonly<Record<string, number>>): number | undefined {
  const tokens = metrics['perf/total_num_tokens'];
  const throughput = metrics['perf/throughput'];
  const time = metrics['perf/time_per_step'];
  if (tokens === undefined || throughput === undefined || time === undefined || throughput <= 0 || time <= 0) return undefined;
  const gpus = tokens / (throughput * time);
  const rounded = Math.round(gpus);
  return rounded >= 1 && Math.abs(gpus - rounded) <= 0.01 * rounded ? rounded : undefined;
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
