import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, sharedDataPath } from '../../harness/util/shared-data.js';
import { runCli, scratchDir } from './run-cli.js';

const scenario = join(projectRoot, 'harness', 'scenario', 'scenarios', 'rlhfless-3b-ppo.json');

function traceText(): string {
  const lines = [JSON.stringify({ $meta: { format: 'rlhf-replay.lengths', version: 1, synthetic: true, notes: [] } })];
  for (let it = 0; it < 2; it++) {
    for (let g = 0; g < 8; g++) {
      lines.push(JSON.stringify({ iteration: it, group_id: `g${g}`, prompt_id: `p${g}`, prompt_tokens: 50 + 10 * g, response_tokens: [40 + 97 * ((g * 7 + it) % 9)], truncated: [false] }));
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('rlhf-replay replay', () => {
  let dir = '';
  let trace = '';
  beforeAll(async () => {
    dir = await scratchDir('replay-cli');
    trace = join(dir, 'trace.jsonl');
    await writeFile(trace, traceText());
  });
  const base = () => ['replay', '--trace', trace, '--scenario', scenario, '--keep-trace-batches'];

  it('prints one JSON document with per-iteration records and per-scheduler means, the same bytes every run', async () => {
    const first = await runCli([...base(), '--scheduler', 'verl,rlhfuse-base', '--json', '--seed', '3']);
    expect(first.code).toBe(0);
    const doc = JSON.parse(first.out);
    expect(doc.iterations).toHaveLength(4);
    const record = doc.iterations[0];
    for (const key of ['iteration', 'scheduler', 'iterationTimeS', 'samplesPerS', 'tokensPerS', 'gpuSecondsAllocated', 'gpuSecondsBusy', 'costUsd', 'utilization', 'stages']) {
      expect(record).toHaveProperty(key);
    }
    expect(doc.iterations.map((r: { scheduler: string; iteration: number }) => `${r.scheduler}@${r.iteration}`)).toEqual(['verl@0', 'rlhfuse-base@0', 'verl@1', 'rlhfuse-base@1']);
    expect(doc.summary.map((s: { scheduler: string }) => s.scheduler)).toEqual(['verl', 'rlhfuse-base']);
    const verl = doc.iterations.filter((r: { scheduler: string }) => r.scheduler === 'verl');
    expect(doc.summary[0].iterationTimeS).toBeCloseTo((verl[0].iterationTimeS + verl[1].iterationTimeS) / 2, 9);
    expect(record.samples).toBe(8);
    expect(doc.meta.assumptions.map((a: { path: string }) => a.path)).toContain('layout');
    const second = await runCli([...base(), '--scheduler', 'verl,rlhfuse-base', '--json', '--seed', '3']);
    expect(second.out).toBe(first.out);
  });

  it('prints a table with human headers and units by default', async () => {
    const run = await runCli([...base(), '--scheduler', 'deepspeed-chat,verl', '--iterations', '1']);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/Scheduler\s+Iterations\s+Iteration time \(s\)\s+Iteration time, 80 % band \(s\)\s+Throughput \(samples\/s\)\s+Speedup vs first \(×\)/);
    expect(run.out).toMatch(/Cost \(USD\)\s+Cost, 80 % band \(USD\)/);
    expect(run.out).toMatch(/^bands: \[low, high\]: 80 % bands from the leave-one-run-out errors/m);
    expect(run.out).toMatch(/deepspeed-chat\s+1\s/);
  });

  it('writes a Chrome trace that Perfetto can open', async () => {
    const out = join(dir, 'timeline.json');
    const run = await runCli([...base(), '--scheduler', 'verl', '--iterations', '2', '--chrome-trace', out]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(await readFile(out, 'utf8'));
    // The rule-based reward takes no time here (the trace records no reward latency), so it has no slice.
    const slices = doc.traceEvents.filter((e: { ph: string; cat?: string }) => e.ph === 'X' && e.cat !== 'iteration');
    expect(new Set(slices.map((e: { name: string }) => e.name))).toEqual(new Set(['weight-sync', 'generate', 'old_log_prob', 'ref', 'values', 'update_critic', 'update_actor']));
    expect(doc.traceEvents.filter((e: { ph: string; cat?: string }) => e.ph === 'X' && e.cat === 'iteration')).toHaveLength(2);
  });

  it('compares the verl simulation with a recorded veRL log', async () => {
    const log = join(projectRoot, 'test', 'traces', 'fixtures', 'verl-console.log');
    const run = await runCli([...base(), '--scheduler', 'verl', '--stage-timings', log, '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.out);
    const gen = doc.stageTimings.rows.find((r: { stage: string }) => r.stage === 'gen');
    expect(gen.recordedS).toBe(41.027);
    expect(gen.simulatedS).toBeGreaterThan(0);
    expect(gen.errorPct).toBeCloseTo(((gen.simulatedS - 41.027) / 41.027) * 100, 9);
    expect(doc.stageTimings.summary.map((s: { stage: string }) => s.stage)).toContain('step');
    const text = await runCli([...base(), '--scheduler', 'verl', '--stage-timings', log]);
    expect(text.out).toMatch(/verl vs recorded stage times/);
    expect(text.out).toMatch(/Stage\s+Iterations\s+Recorded, mean \(s\)\s+Simulated, mean \(s\)\s+Mean absolute error \(%\)/);
  });

  it('replays a whole veRL log as its own workload: one iteration per step, lengths synthesized from the step statistics', async () => {
    const log = sharedDataPath('rl-step-logs', 'logs', 'verl-team-gsm8k', 'gemma-2-2b-it-ppo-bsz512_4-prompt1024-resp-512-0.640.log');
    const own = join(dir, 'gemma.json');
    expect((await runCli(['scenario', 'from-verl', log, '--model', 'gemma-2-2b-it', '--out', own])).code).toBe(0);
    const run = await runCli(['replay', '--scenario', own, '--trace', log, '--scheduler', 'verl,megatron-colocated', '--iterations', '3', '--json']);
    expect(run.code, run.err).toBe(0);
    const doc = JSON.parse(run.out);
    expect(doc.meta.traceSynthetic).toBe(true);
    expect(doc.meta.notes[0]).toMatch(/^per-sample lengths synthesized, not recorded: a veRL log has per-step statistics only\. Each logged step \(106 of 106\) is one iteration of data\.train_batch_size = 512 prompts/);
    // the log's batch: 512 prompts × 1 response (the file's train_batch_size and the rollout's n), three steps per scheduler
    expect(doc.iterations.map((r: { scheduler: string; samples: number }) => `${r.scheduler}:${r.samples}`)).toEqual(['verl:512', 'megatron-colocated:512', 'verl:512', 'megatron-colocated:512', 'verl:512', 'megatron-colocated:512']);
    // The same log is still the recorded stage timings to compare with.
    const text = await runCli(['replay', '--scenario', own, '--trace', log, '--scheduler', 'verl', '--iterations', '3', '--stage-timings', log]);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/^scenario gemma-2-2b-it-ppo-bsz512_4-prompt1024-resp-512-0\.640 · 3 iteration\(s\)/);
    expect(text.out).toMatch(/^note: per-sample lengths synthesized, not recorded/m);
    expect(text.out).toMatch(/verl vs recorded stage times/);
    // A log whose configuration does not give the batch is refused, naming the key (exit 2).
    const fixture = join(projectRoot, 'test', 'traces', 'fixtures', 'verl-console.log');
    const refused = await runCli(['replay', '--scenario', own, '--trace', fixture, '--scheduler', 'verl']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`${fixture}: field 'data.train_batch_size': is unknown`);
  });

  it('exits 2 with a clear message for an unknown scheduler, a bad flag or a bad scenario', async () => {
    const unknown = await runCli([...base(), '--scheduler', 'verl,nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/--scheduler: field 'scheduler' value 'nope': unknown scheduler; known: deepspeed-chat, realhf, verl, openrlhf, rlhfuse-base/);
    const badIterations = await runCli([...base(), '--iterations', '0']);
    expect(badIterations.code).toBe(2);
    expect(badIterations.err).toMatch(/field 'iterations' value '0'/);
    const badScenario = join(dir, 'bad-scenario.json');
    await writeFile(badScenario, '{ "name": 1 }');
    const bad = await runCli(['replay', '--trace', trace, '--scenario', badScenario]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/field 'name' value '1': must be a non-empty string/);
    const missing = await runCli(['replay', '--scenario', scenario]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/trace/);
  });

  it('documents itself', async () => {
    const help = await runCli(['replay', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--trace', '--scenario', '--scheduler', '--iterations', '--seed', '--json', '--chrome-trace', '--stage-timings']) expect(help.out).toContain(flag);
  });
});
