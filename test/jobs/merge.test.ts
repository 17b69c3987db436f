import { mkdir, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executePlan } from '../../harness/jobs/execute.js';
import { mergeShardFiles } from '../../harness/jobs/merge.js';
import { readShardFiles, serializeShardFile } from '../../harness/jobs/shard-file.js';
import { shardAssignment } from '../../harness/jobs/sharding.js';
import { isInputError } from '../../harness/util/input-error.js';
import { scratchDir } from '../cli/run-cli.js';
import { FIXTURE_KINDS_REF, fixtureKinds } from './cases-fixture-kinds.js';

const plan = {
  command: 'toy',
  seed: 11,
  cases: Array.from({ length: 23 }, (_, i) => ({ id: `case-${String(i).padStart(2, '0')}`, kind: 'draw', scale: i })),
  config: { note: 'fixture' },
};

async function runShards(dir: string, count: number, jobs = 1, p: typeof plan = plan): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let index = 0; index < count; index++) {
    await executePlan(p, { shard: { index, count }, jobs, kinds: FIXTURE_KINDS_REF, registry: fixtureKinds, baseDir: '/', shardDir: dir });
  }
}

async function mergeError(dir: string): Promise<string> {
  try {
    mergeShardFiles(await readShardFiles(dir));
  } catch (error) {
    expect(isInputError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected the merge to fail');
}

describe('shard files + merge', async () => {
  const root = await scratchDir('cases-merge');
  const whole = await executePlan(plan, { shard: { index: 0, count: 1 }, jobs: 1, kinds: FIXTURE_KINDS_REF, registry: fixtureKinds, baseDir: '/', shardDir: root });
  if (whole.mode !== 'whole') throw new Error('unsharded run must return outcomes');

  it.each([
    [2, 1],
    [3, 1],
    [5, 2],
    [23, 1],
    [40, 2],
  ])('%i shards (jobs %i) merge into exactly the unsharded outcomes', async (count, jobs) => {
    const dir = join(root, `n${count}-j${jobs}`);
    await runShards(dir, count, jobs);
    const merged = mergeShardFiles(await readShardFiles(dir));
    expect(JSON.stringify(merged.outcomes)).toBe(JSON.stringify(whole.outcomes));
    expect(merged.plan).toEqual(plan);
    expect(merged.shardCount).toBe(count);
  });

  it('names the missing cases and the missing shard file', async () => {
    const dir = join(root, 'missing');
    await runShards(dir, 3);
    await rm(join(dir, 'toy.shard-1-of-3.json'));
    const assignment = shardAssignment(plan.cases, 3);
    const lost = plan.cases.map((c) => c.id).filter((id) => assignment.get(id) === 1).sort();
    expect(lost.length).toBeGreaterThan(0);
    const message = await mergeError(dir);
    expect(message).toContain(`shard 1/3: field 'case' value '${lost.join(', ')}': no results: the file toy.shard-1-of-3.json is missing`);
  });

  it('names a case that appears twice and both files', async () => {
    const dir = join(root, 'duplicate');
    await runShards(dir, 2);
    const files = await readShardFiles(dir);
    // A hand-made copy of shard 0's outcomes inside shard 1's file (the name must still match).
    const [zero, one] = files;
    const forged = { ...one!.file, outcomes: [...one!.file.outcomes, zero!.file.outcomes[0]!].sort((a, b) => (a.id < b.id ? -1 : 1)) };
    expect(() => mergeShardFiles([zero!, { path: one!.path, file: { ...forged, caseIds: forged.outcomes.map((o) => o.id) } }])).toThrow(
      new RegExp(`field 'case' value '${zero!.file.outcomes[0]!.id}': case appears in more than one shard file`),
    );
  });

  it('names the shard file that comes from another plan and says what differs', async () => {
    const dir = join(root, 'mismatch');
    await runShards(dir, 3);
    const other = join(root, 'other');
    await runShards(other, 3, 1, { ...plan, seed: 12 });
    await copyFile(join(other, 'toy.shard-2-of-3.json'), join(dir, 'toy.shard-2-of-3.json'));
    const message = await mergeError(dir);
    expect(message).toContain(`${join(dir, 'toy.shard-2-of-3.json')}: field 'planHash'`);
    expect(message).toContain('shard 2/3 comes from a different run than');
    expect(message).toContain('seed 12 vs 11');
  });

  it('refuses a shard file whose plan was edited, one cut short, and an empty folder', async () => {
    const dir = join(root, 'edited');
    await runShards(dir, 2);
    const path = join(dir, 'toy.shard-0-of-2.json');
    const file = JSON.parse(await readFile(path, 'utf8'));
    file.plan.config.note = 'changed';
    await writeFile(path, serializeShardFile(file));
    expect(await mergeError(dir)).toContain("field 'planHash'");
    expect(await mergeError(dir)).toContain('does not match the plan it holds');
    await writeFile(path, '{"format": "rlhf-replay-sh');
    expect(await mergeError(dir)).toContain('shard file: not valid JSON');
    const empty = join(root, 'empty');
    await mkdir(empty);
    expect(await mergeError(empty)).toContain('no shard files here');
  });
});
