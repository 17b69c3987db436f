import { CountHistogram } from './histogram.js';
import type { LengthGroupItem } from './length-stream.js';
import type { SampleGroup, Workload } from './types.js';

/** Mean, median, p90, p99 and max of a token count, over prompts (groups) or samples. */
export interface TokenSummary {
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** The statistics `traces stats` prints, for one iteration or for the whole trace. */
export interface LengthStatsFields {
  readonly groups: number;
  readonly samples: number;
  /** Over groups: each prompt counts once, whatever its number of samples. */
  readonly promptTokens: TokenSummary;
  /** Over samples. */
  readonly responseTokens: TokenSummary;
  /** Samples that stopped at the length cap, over all samples. */
  readonly truncatedFraction: number;
  /** Fraction of all response tokens held by the longest ⌈1 %⌉ / ⌈10 %⌉ of samples. */
  readonly tailShare1pct: number;
  readonly tailShare10pct: number;
}

export interface IterationLengthStats extends LengthStatsFields {
  readonly iteration: number;
}

/** The JSON document of `traces stats --json`. */
export interface LengthStats {
  readonly iterations: readonly IterationLengthStats[];
  readonly total: LengthStatsFields;
}

class StatsAccumulator {
  groups = 0;
  truncated = 0;
  readonly prompts = new CountHistogram();
  readonly responses = new CountHistogram();

  add(group: SampleGroup): void {
    this.groups++;
    this.prompts.add(group.promptTokens);
    for (const tokens of group.responseTokens) this.responses.add(tokens);
    for (const flag of group.truncated) if (flag) this.truncated++;
  }

  finish(): LengthStatsFields {
    const samples = this.responses.count;
    return {
      groups: this.groups,
      samples,
      promptTokens: summarise(this.prompts),
      responseTokens: summarise(this.responses),
      truncatedFraction: samples === 0 ? 0 : this.truncated / samples,
      tailShare1pct: this.responses.topShare(0.01),
      tailShare10pct: this.responses.topShare(0.1),
    };
  }
}

function summarise(histogram: CountHistogram): TokenSummary {
  const [p50, p90, p99] = histogram.quantiles([0.5, 0.9, 0.99]);
  return { mean: histogram.mean, p50: p50!, p90: p90!, p99: p99!, max: histogram.max };
}

/**
 * Computes length statistics while groups stream past. Groups must arrive iteration by iteration
 * (as every reader yields them): an iteration's histogram is summarised and dropped when the next
 * begins, so memory is bounded by one iteration plus the distinct lengths of the whole trace.
 */
export interface LengthStatsBuilder {
  add(group: SampleGroup): void;
  finish(): LengthStats;
}

export function createLengthStatsBuilder(): LengthStatsBuilder {
  const total = new StatsAccumulator();
  const iterations: IterationLengthStats[] = [];
  const finished = new Set<number>();
  let current: { iteration: number; acc: StatsAccumulator } | undefined;
  const close = (): void => {
    if (!current) return;
    iterations.push({ iteration: current.iteration, ...current.acc.finish() });
    finished.add(current.iteration);
  };
  return {
    add(group) {
      if (!current || current.iteration !== group.iteration) {
        if (finished.has(group.iteration)) throw new Error(`length stats: iteration ${group.iteration} arrived in two blocks; readers yield each iteration once`);
        close();
        current = { iteration: group.iteration, acc: new StatsAccumulator() };
      }
      current.acc.add(group);
      total.add(group);
    },
    finish() {
      close();
      current = undefined;
      return { iterations: [...iterations].sort((a, b) => a.iteration - b.iteration), total: total.finish() };
    },
  };
}

/** Statistics of a streamed trace. */
export async function lengthStatsOfStream(groups: AsyncIterable<LengthGroupItem>): Promise<LengthStats> {
  const builder = createLengthStatsBuilder();
  for await (const { group } of groups) builder.add(group);
  return builder.finish();
}

/** Statistics of an in-memory workload. */
export function lengthStats(workload: Workload): LengthStats {
  const builder = createLengthStatsBuilder();
  for (const iteration of workload.iterations) for (const group of iteration.groups) builder.add(group);
  return builder.finish();
}
