import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../harness/util/cli-io.js';
import { main } from '../../harness/cli/main.js';

const exp2 = ['pipeline', '--pp-large', '8', '--pp-small', '4', '--mb-large', '8', '--mb-small', '4', '--f-large', '5', '--f-small', '4', '--mem-large', '1.95', '--mem-small', '2'];
const scratch = mkdtempSync(join(tmpdir(), 'pipeline-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(args: string[]) {
  const io = memoryIo();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

/** The JSON with its wall-clock fields removed: what must be byte-identical across runs. */
function withoutClock(text: string): unknown {
  const json = JSON.parse(text) as { search: Record<string, unknown> };
  delete json.search.seconds;
  delete json.search.latencyReachedAfterSeconds;
  delete json.search.memoryReachedAfterSeconds;
  return json;
}

describe('rlhf-replay pipeline', () => {
  it('prints the bounds, the greedy and the search as JSON in the documented shape', async () => {
    const { code, out } = await run([...exp2, '--json', '--memory-evaluations', '2000']);
    expect(code).toBe(0);
    const json = JSON.parse(out) as Record<string, any>;
    expect(json.lowerBound).toBe(225);
    expect(json.memoryLowerBound).toBe(15.6);
    expect(json.greedy).toMatchObject({ latency: 239, peakMemory: 23.6 });
    expect(json.search).toMatchObject({ latency: 225, validated: true });
    expect(typeof json.search.peakMemory).toBe('number');
    expect(json.search.peakMemory).toBeLessThanOrEqual(23.6);
    expect(typeof json.search.seconds).toBe('number');
    expect(json.serial1F1B).toBe(309);
    expect(json.bounds).toEqual({ b0: 225, b1: 168, b2: 168, b3: 204, binding: 'b0' });
    // At the 1F1B makespan with M_L = PP_L every actor forward is done before the first backward.
    expect(json.provenMemoryLowerBound).toBe(15.6);
    expect(json.search.memoryStartPeak).toBeGreaterThanOrEqual(json.search.peakMemory);
    expect(json.search.memoryProbes).toEqual([]);
  });

  it('reports the memory phase: the caps it tried, and when the final peak was reached', async () => {
    const { code, out } = await run([...exp2, '--json', '--memory-evaluations', '30000']);
    expect(code).toBe(0);
    const json = JSON.parse(out) as Record<string, any>;
    expect(json.search.peakMemory).toBe(15.6);
    expect(json.search.memoryProbes.length).toBeGreaterThan(0);
    expect(json.search.memoryProbes.at(-1)).toMatchObject({ reached: true, peakMemory: 15.6 });
    expect(json.search.memoryReachedAfterEvaluations).toBeLessThanOrEqual(json.search.evaluations.memory);
    const text = await run([...exp2, '--memory-evaluations', '30000']);
    expect(text.out).toMatch(/no schedule of this latency can peak below 15\.6/);
    expect(text.out).toMatch(/memory phase: \d+ memory caps tried, \d+ evaluations; final peak first reached after \d+ evaluations/);
  });

  it('gives the same JSON, clock fields aside, for the same seed and budgets', async () => {
    const args = [...exp2, '--json', '--seed', '7', '--memory-evaluations', '3000'];
    const a = await run(args);
    const b = await run(args);
    expect(withoutClock(b.out)).toEqual(withoutClock(a.out));
  });

  it('prints a table with units for people', async () => {
    const { code, out } = await run([...exp2, '--memory-evaluations', '1000']);
    expect(code).toBe(0);
    expect(out).toMatch(/latency \(units\)\s+peak memory \(activation units\)\s+above LB \(%\)/);
    expect(out).toMatch(/greedy \(FlexFusion\)\s+239\.00\s+23\.60\s+6\.2/);
    expect(out).toMatch(/search\s+225\.00/);
    expect(out).toMatch(/speedup over serial 1F1B: 1\.373×/);
  });

  it('writes the Gantt charts of both schedules to an HTML page', async () => {
    const path = join(scratch, 'exp2.html');
    const { code } = await run([...exp2, '--memory-evaluations', '1000', '--chart', path]);
    expect(code).toBe(0);
    expect(existsSync(path)).toBe(true);
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('Searched schedule: 225 units');
    expect(html).toContain('Greedy schedule (FlexFusion baseline): 239 units');
  });

  it.each([
    [['--pp-small', '3'], /--pp-small: field 'pp-small' value '3': must divide --pp-large \(8\)/],
    [['--f-large', '0'], /--f-large: field 'f-large' value '0': must be a number > 0/],
    [['--mb-large', '-2'], /--mb-large: field 'mb-large' value '-2': must be a positive whole number/],
    [['--mem-small', '-1'], /--mem-small: field 'mem-small' value '-1': must be a number >= 0/],
  ])('rejects bad flags %j with exit code 2', async (override, message) => {
    const args = [...exp2];
    const flag = override[0]!;
    args[args.indexOf(flag) + 1] = override[1]!;
    const { code, err, out } = await run(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(out).toBe('');
  });

  it('needs --mb-small when the default would not be whole, and names the missing flags', async () => {
    const derived = await run(['pipeline', '--pp-large', '8', '--pp-small', '4', '--mb-large', '5', '--f-large', '5', '--f-small', '4', '--mem-large', '1', '--mem-small', '1']);
    expect(derived.code).toBe(2);
    expect(derived.err).toMatch(/give --mb-small/);
    const missing = await run(['pipeline', '--pp-large', '8']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/Missing required arguments?: .*pp-small/);
  });
});
