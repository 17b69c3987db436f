import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGpuTrace } from '../../harness/traces/gpu/read-gpu-trace.js';
import { summarizeGpuTrace } from '../../harness/traces/gpu/summarize.js';
import { measureRecordedRun } from '../../harness/whatif/recorded-run.js';
import { DEFAULT_STAGE_MAP, parseStageMap } from '../../harness/whatif/stage-map.js';
import { scratchDir } from '../cli/run-cli.js';

interface Ev {
  cat: string;
  name: string;
  ts: number;
  dur: number;
}

/** A small Kineto file: times in µs; GPU events on device 0. */
async function kineto(dir: string, name: string, events: Ev[], worldSize?: number): Promise<string> {
  const traceEvents = events.map((e) =>
    e.cat === 'kernel' || e.cat === 'gpu_user_annotation'
      ? { ph: 'X', cat: e.cat, name: e.name, pid: 0, tid: 7, ts: e.ts, dur: e.dur, args: { device: 0, stream: 7 } }
      : { ph: 'X', cat: e.cat, name: e.name, pid: 100, tid: 100, ts: e.ts, dur: e.dur },
  );
  const path = join(dir, name);
  await writeFile(path, JSON.stringify({ schemaVersion: 1, ...(worldSize ? { distributedInfo: { rank: 0, world_size: worldSize } } : {}), traceEvents }));
  return path;
}

const cpu = (name: string, ts: number, dur: number): Ev => ({ cat: 'user_annotation', name, ts, dur });

describe('measuring a recorded run in the simulator’s terms', () => {
  it('reads steps from ProfilerStep markers and adds names mapped to one stage, saying so', async () => {
    const dir = await scratchDir('recorded-run');
    const path = await kineto(
      dir,
      'steps.json',
      [
        cpu('ProfilerStep#7', 0, 1_000_000),
        cpu('update_actor', 100_000, 300_000),
        cpu('actor_train', 400_000, 200_000),
        cpu('compute_ref_log_prob', 600_000, 100_000),
        cpu('my_stage', 700_000, 100_000),
        { cat: 'kernel', name: 'gemm', ts: 100_000, dur: 500_000 },
      ],
      8,
    );
    const trace = await readGpuTrace(path);
    const run = measureRecordedRun(trace, summarizeGpuTrace(trace, { idleGapS: 0.001 }), DEFAULT_STAGE_MAP);
    expect(run.stepsFrom).toBe('profiler-steps');
    expect(run.steps).toEqual([{ step: 7, startS: 0, durationS: 1, busyFraction: 0.5, stagesS: { ref: expect.closeTo(0.1, 12), update_actor: expect.closeTo(0.5, 12) } }]);
    expect(run.matchedStages).toEqual(['ref', 'update_actor']);
    expect(run.annotations.find((a) => a.name === 'my_stage')).toEqual({ name: 'my_stage', stage: null, tasks: null, via: null, count: 1, totalS: expect.closeTo(0.1, 12) });
    expect(run.notes).toContain("annotations 'actor_train', 'update_actor' all map to stage 'update_actor': their times are added");
    expect([run.gpus, run.runGpus]).toEqual([1, 8]);

    const mapped = measureRecordedRun(trace, summarizeGpuTrace(trace, { idleGapS: 0.001 }), parseStageMap('m.json', '{"stages": {"my_stage": ["reward"]}}'));
    expect(mapped.steps[0]!.stagesS['my_stage']).toBeCloseTo(0.1, 12);
    expect(mapped.annotations.find((a) => a.name === 'my_stage')?.via).toBe('stage-map');
  });

  it('without step markers, takes the k-th range of each stage as step k, GPU-side ranges first', async () => {
    const dir = await scratchDir('recorded-run');
    const path = await kineto(dir, 'no-steps.json', [
      cpu('gen', 0, 400_000),
      cpu('gen', 1_000_000, 500_000),
      cpu('update_actor', 500_000, 200_000),
      cpu('update_actor', 1_600_000, 300_000),
      // The GPU-side range of update_actor wins over the CPU-side one on this file.
      { cat: 'gpu_user_annotation', name: 'update_actor', ts: 520_000, dur: 150_000 },
      { cat: 'gpu_user_annotation', name: 'update_actor', ts: 1_620_000, dur: 250_000 },
      { cat: 'kernel', name: 'gemm', ts: 0, dur: 100_000 },
    ]);
    const trace = await readGpuTrace(path);
    const run = measureRecordedRun(trace, summarizeGpuTrace(trace, { idleGapS: 0.001 }), DEFAULT_STAGE_MAP);
    expect(run.stepsFrom).toBe('stage-occurrences');
    expect(run.steps.map((s) => [s.step, s.durationS, s.stagesS['gen'], s.stagesS['update_actor']])).toEqual([
      [0, undefined, expect.closeTo(0.4, 12), expect.closeTo(0.15, 12)],
      [1, undefined, expect.closeTo(0.5, 12), expect.closeTo(0.25, 12)],
    ]);
    expect(run.notes).toContain('no ProfilerStep#N markers: the k-th range of each stage on a rank is taken as step k, and there is no step time to compare');
  });

  it('says when no annotation is an RLHF stage', async () => {
    const dir = await scratchDir('recorded-run');
    const path = await kineto(dir, 'other.json', [cpu('ProfilerStep#1', 0, 1000), cpu('## forward ##', 0, 500), { cat: 'kernel', name: 'gemm', ts: 0, dur: 100 }]);
    const trace = await readGpuTrace(path);
    const run = measureRecordedRun(trace, summarizeGpuTrace(trace, { idleGapS: 0.001 }), DEFAULT_STAGE_MAP);
    expect(run.matchedStages).toEqual([]);
    expect(run.steps).toHaveLength(1);
    expect(run.notes).toEqual(["no annotation matched an RLHF stage (recorded: '## forward ##'): only step times and utilisation are compared; map names to stages with --stage-map"]);
  });
});
