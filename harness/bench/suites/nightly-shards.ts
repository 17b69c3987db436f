import { join } from 'node:path';
import { runCliProcess } from '../child-process.js';
import type { BenchFigure, BenchSuite } from '../types.js';

/** The bar: with 2 shards, the slower shard takes at most 60 % of the unsharded run. */
export const NIGHTLY_SHARD_GOAL_RATIO = 0.6;

/** Runs `nightly …` in a fresh process and times it; 1 (a regression: timings on a loaded machine may say so) ran every case too. */
async function timeNightly(args: readonly string[]): Promise<number> {
  const run = await runCliProcess(['nightly', ...args]);
  if (run.exitCode !== 0 && run.exitCode !== 1) throw new Error(`nightly ${args.join(' ')} exited ${run.exitCode}: ${run.stderr.slice(0, 2000)}`);
  return run.seconds;
}

/**
 * Shard balance of the nightly suite: the whole suite in one process, then each of 2 shards in
 * its own process one after the other (so they do not compete for the cores), with the committed
 * case costs balancing them. The figure is the slower shard's time over the unsharded time
 * (0.5 is a perfect split). Quick mode is the same (the suite is the unit being balanced).
 */
export const nightlyShardsSuite: BenchSuite = {
  name: 'nightly-shards',
  description: 'nightly with 2 shards: the slower shard against the unsharded run (fresh processes, one after another)',
  async run({ quick, io, scratchDir }) {
    const common = (name: string) => ['--out', join(scratchDir, name), '--history', join(scratchDir, `${name}-history.jsonl`)];
    if (io.stderrIsTTY) io.stderr('nightly-shards: unsharded…\n');
    const whole = await timeNightly(common('whole'));
    const shards: number[] = [];
    for (const index of [0, 1]) {
      if (io.stderrIsTTY) io.stderr(`nightly-shards: shard ${index}/2…\n`);
      shards.push(await timeNightly([...common('shards'), '--shard', `${index}/2`]));
    }
    const ratio = Math.max(...shards) / whole;
    const figures: BenchFigure[] = [
      { name: 'nightly unsharded', value: whole, unit: 's', better: 'lower' },
      { name: 'nightly 2 shards: slower shard / unsharded', value: ratio, unit: 'ratio', better: 'lower', ...(quick ? {} : { goal: { value: NIGHTLY_SHARD_GOAL_RATIO, met: ratio <= NIGHTLY_SHARD_GOAL_RATIO } }), note: `shards ${shards.map((s) => s.toFixed(1)).join(' s, ')} s; unsharded ${whole.toFixed(1)} s` },
    ];
    return figures;
  },
};
