import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../harness/util/cli-io.js';
import { main } from '../../harness/cli/main.js';
import { shardAssignment } from '../../harness/jobs/sharding.js';
import { runCli, scratchDir } from './run-cli.js';

const SUITE = fileURLToPath(new URL('../nightly/fixtures/small-suite.json', import.meta.url));
const OUTPUTS = ['nightly.json', 'summary.md', 'junit.xml', 'trend.html'];

describe('rlhf-replay merge', async () => {
  const root = await scratchDir('cli-merge');
  const base = join(root, 'base');
  // A baseline with one figure moved, so the outputs hold comparisons, a regression and a step.
  await runCli(['nightly', '--suite', SUITE, '--baseline', base, '--history', join(root, 'seed-history.jsonl'), '--out', join(root, 'seed-out'), '--run-label', 'r0', '--update-baseline']);
  const goldenPath = join(base, 'golden.json');
  const golden = JSON.parse(await readFile(goldenPath, 'utf8'));
  golden.figures['cost/h100-7b:kv capacity'].value += 1000;
  await writeFile(goldenPath, `${JSON.stringify(golden, null, 2)}\n`);
  const history = await readFile(join(root, 'seed-history.jsonl'), 'utf8');

  const finalizeFlags = (dir: string) => ['--baseline', base, '--history', join(dir, 'history.jsonl'), '--out', join(dir, 'out'), '--run-label', 'nightly-42', '--commit', 'abc123', '--today', '2025-03-01', '--json'];
  async function prepared(name: string): Promise<string> {
    const dir = join(root, name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'history.jsonl'), history);
    return dir;
  }
  async function outputs(dir: string): Promise<string[]> {
    return Promise.all([...OUTPUTS.map((f) => readFile(join(dir, 'out', f), 'utf8')), readFile(join(dir, 'history.jsonl'), 'utf8')]);
  }
  async function shard(dir: string, args: string[], env: Record<string, string> = {}): Promise<number> {
    const io = memoryIo({ env });
    return main(['nightly', '--suite', SUITE, '--baseline', base, '--out', join(dir, 'shards'), ...args], io);
  }

  const whole = await prepared('whole');
  const wholeRun = await runCli(['nightly', '--suite', SUITE, ...finalizeFlags(whole)]);
  const wholeOutputs = await outputs(whole);

  it('the unsharded run found the moved figure (so the comparison is not trivial)', () => {
    expect(wholeRun.code).toBe(1);
    expect(JSON.parse(wholeRun.out).regressions.map((r: { id: string }) => r.id)).toEqual(['cost/h100-7b:kv capacity']);
  });

  it.each([
    ['2 shards', 2, 1, false],
    ['3 shards on 2 worker threads each', 3, 2, false],
    ['4 shards from JOB_COMPLETION_INDEX', 4, 1, true],
    ['7 shards (some empty)', 7, 1, false],
  ])('%s merge into byte-identical outputs, history and stdout', async (name, count, jobs, fromEnv) => {
    const dir = await prepared(`n${count}`);
    for (let index = 0; index < count; index++) {
      const code = fromEnv
        ? await shard(dir, ['--jobs', String(jobs)], { JOB_COMPLETION_INDEX: String(index), RLHF_REPLAY_SHARDS: String(count) })
        : await shard(dir, ['--shard', `${index}/${count}`, '--jobs', String(jobs)]);
      expect(code).toBe(0);
    }
    expect((await readdir(join(dir, 'shards'))).sort()).toEqual(Array.from({ length: count }, (_, i) => `nightly.shard-${i}-of-${count}.json`).sort());
    const merged = await runCli(['merge', join(dir, 'shards'), ...finalizeFlags(dir)]);
    expect(merged.code).toBe(wholeRun.code);
    expect(merged.out).toBe(wholeRun.out);
    const mergedOutputs = await outputs(dir);
    mergedOutputs.forEach((text, i) => expect(text, i < OUTPUTS.length ? OUTPUTS[i] : 'history.jsonl').toBe(wholeOutputs[i]));
  });

  it('names the missing cases when a shard file is missing', async () => {
    const dir = await prepared('missing');
    for (let index = 0; index < 3; index++) await shard(dir, ['--shard', `${index}/3`]);
    await rm(join(dir, 'shards', 'nightly.shard-0-of-3.json'));
    // The plan every shard carries says which cases shard 0 had.
    const { plan } = JSON.parse(await readFile(join(dir, 'shards', 'nightly.shard-1-of-3.json'), 'utf8')) as { plan: { cases: { id: string; costEstimateS?: number }[] } };
    const assignment = shardAssignment(plan.cases, 3);
    const ids = plan.cases.map((c) => c.id).filter((id) => assignment.get(id) === 0).sort();
    const run = await runCli(['merge', join(dir, 'shards'), ...finalizeFlags(dir)]);
    expect(run.code).toBe(2);
    expect(run.err).toBe(`shard 0/3: field 'case' value '${ids.join(', ')}': no results: the file nightly.shard-0-of-3.json is missing (did that shard fail?)\n`);
  });

  it('names the shard that ran against a different baseline', async () => {
    const dir = await prepared('mismatch');
    for (let index = 0; index < 2; index++) await shard(dir, ['--shard', `${index}/2`]);
    const otherBase = join(root, 'other-base');
    await mkdir(otherBase, { recursive: true });
    await copyFile(join(base, 'golden.json'), join(otherBase, 'golden.json'));
    const doc = JSON.parse(await readFile(join(otherBase, 'golden.json'), 'utf8'));
    doc.figures['traces/default:groups'].value = 1;
    await writeFile(join(otherBase, 'golden.json'), JSON.stringify(doc));
    const io = memoryIo();
    await main(['nightly', '--suite', SUITE, '--baseline', otherBase, '--out', join(dir, 'other'), '--shard', '1/2'], io);
    await copyFile(join(dir, 'other', 'nightly.shard-1-of-2.json'), join(dir, 'shards', 'nightly.shard-1-of-2.json'));
    const run = await runCli(['merge', join(dir, 'shards'), ...finalizeFlags(dir)]);
    expect(run.code).toBe(2);
    expect(run.err).toContain(`${join(dir, 'shards', 'nightly.shard-1-of-2.json')}: field 'planHash'`);
    expect(run.err).toContain('cases defined differently (a different suite or baseline?): traces/default');
  });

  it('has --help', async () => {
    const help = await runCli(['merge', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('merge <dir>');
    expect(help.out).toContain('--update-baseline');
  });
});
