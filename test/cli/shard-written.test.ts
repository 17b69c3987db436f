import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../harness/util/cli-io.js';
import { printShardWritten } from '../../harness/cli/shard-written.js';
import type { ShardFile } from '../../harness/jobs/shard-file.js';

const file = {
  outcomes: [
    { id: 'a', status: 'ok', result: 1 },
    { id: 'b', status: 'error', message: 'boom' },
    { id: 'c', status: 'ok', result: 2 },
  ],
} as unknown as ShardFile;

describe('printShardWritten', () => {
  it('names the shard, its cases and errors, the file relative to the working folder, and how to merge', () => {
    const io = memoryIo({ cwd: '/work' });
    printShardWritten(io, { command: 'sweep', caseNoun: 'point', shard: { index: 1, count: 4 }, path: '/work/shards/sweep-1-of-4.json', file, json: false });
    expect(io.out).toBe('sweep shard 1/4: 3 point(s), 1 error(s) → shards/sweep-1-of-4.json\nmerge every shard with: rlhf-replay merge <folder of shard files>\n');
    expect(io.err).toBe('');
  });

  it('prints one JSON document with --json', () => {
    const io = memoryIo({ cwd: '/work' });
    printShardWritten(io, { command: 'nightly', caseNoun: 'case', shard: { index: 0, count: 2 }, path: '/work/out/n.json', file, json: true });
    expect(JSON.parse(io.out)).toEqual({ shard: '0/2', file: 'out/n.json', cases: 3, errors: 1 });
  });
});
