import type { ShardFile } from '../jobs/shard-file.js';
import { formatShard, type Shard } from '../jobs/sharding.js';
import type { CliIo } from '../util/cli-io.js';
import { shownPath } from './options.js';

/**
 * What a sharded command prints after writing its shard file: the shard, its case count and
 * errors and where the file went (as JSON with --json), and how to merge the shards.
 */
export function printShardWritten(io: CliIo, options: { command: string; caseNoun: string; shard: Shard; path: string; file: ShardFile; json: boolean }): void {
  const { command, caseNoun, shard, path, file, json } = options;
  const errors = file.outcomes.filter((o) => o.status === 'error').length;
  const summary = { shard: formatShard(shard), file: shownPath(io, path), cases: file.outcomes.length, errors };
  io.stdout(json ? `${JSON.stringify(summary, null, 2)}\n` : `${command} shard ${summary.shard}: ${summary.cases} ${caseNoun}(s), ${errors} error(s) → ${summary.file}\nmerge every shard with: rlhf-replay merge <folder of shard files>\n`);
}
