import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stageTimingsCsv, stageTimingsJsonl } from '../../../harness/traces/canonical/stage-timings.js';
import { readStageTimings } from '../../../harness/traces/read.js';
import type { StageTimingTrace } from '../../../harness/traces/types.js';
import { scratchDir } from '../../cli/run-cli.js';

async function file(name: string, text: string): Promise<string> {
  const path = join(await scratchDir(), name);
  writeFileSync(path, text);
  return path;
}

const trace: StageTimingTrace = {
  format: 'x',
  sources: [],
  iterations: [
    { iteration: 1, stagesS: { gen: 10, update_actor: 5 }, stepS: 16, gpus: 8, metrics: {} },
    { iteration: 2, stagesS: { gen: 11 }, metrics: {} },
  ],
  notes: ['n'],
};

describe('canonical stage timings', () => {
  it('round-trips through JSONL, and through CSV (long form, step as a stage)', async () => {
    const jsonl = await file('t.jsonl', stageTimingsJsonl(trace));
    expect(await readStageTimings(jsonl)).toEqual({ ...trace, format: 'stage-timings-jsonl', sources: [jsonl] });
    const text = stageTimingsCsv(trace);
    expect(text).toBe('iteration,stage,duration_s,gpus\n1,gen,10,8\n1,update_actor,5,8\n1,step,16,8\n2,gen,11,\n');
    const csv = await file('t.csv', text);
    expect((await readStageTimings(csv)).iterations).toEqual(trace.iterations);
  });

  it.each<[string, string, string, string]>([
    ['a negative duration', 't.csv', 'iteration,stage,duration_s\n1,gen,-2\n', ":2:3: field 'duration_s' value '-2': must not be negative"],
    ['a duplicate stage', 't.csv', 'iteration,stage,duration_s\n1,gen,2\n1,gen,3\n', ":3:2: field 'stage' value 'gen': duplicate stage for iteration 1 (first on line 2)"],
    ['GPUs that change within an iteration', 't.csv', 'iteration,stage,duration_s,gpus\n1,gen,2,8\n1,ref,3,16\n', ":3:4: field 'gpus' value '16': differs from 8 (line 2) for the same iteration"],
    ['a duplicate iteration', 't.jsonl', '{"iteration":1,"stages_s":{}}\n{"iteration":1,"stages_s":{}}\n', ":2:14: field 'iteration' value '1': duplicate iteration (first on line 1)"],
    ['a stage time that is text', 't.jsonl', '{"iteration":1,"stages_s":{"gen":"fast"}}\n', ":1:34: field 'stages_s.gen' value 'fast': must be a number, not a string"],
  ])('rejects %s', async (_label, name, text, expected) => {
    const path = await file(name, text);
    const error = (await readStageTimings(path).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('InputError');
    expect(error.message).toContain(`${path}${expected}`);
  });
});
