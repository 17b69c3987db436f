import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRecordedRuns } from '../../../harness/traces/recorded-runs/read.js';
import type { RecordedStep, RecordedRunsTable } from '../../../harness/traces/recorded-runs/types.js';
import { readVerlRun, type VerlRun } from '../../../harness/traces/verl/read-run.js';
import { formatProblem, isInputError } from '../../../harness/util/input-error.js';
import { sharedDataPath } from '../../../harness/util/shared-data.js';
import { scratchDir } from '../../cli/run-cli.js';

const RUNS_CSV = sharedDataPath('rl-step-logs', 'runs.csv');
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const row = (table: RecordedRunsTable, id: string): RecordedStep => table.rows.find((r) => r.runId === id)!;
const known = (value: unknown, inferred = false) => ({ value, inferred });

describe('readRecordedRuns on the shared runs.csv', () => {
  it('reads all 25 rows in file order, with their lines', async () => {
    const table = await readRecordedRuns(RUNS_CSV);
    expect(table.rows.map((r) => r.runId)).toEqual([
      'r00', 'r01', 'r02', 'r03', 'r04', 'r05', 'r06', 'r07', 'r08', 'r09', 'r10', 'r11', 'r12',
      'r13', 'r14', 'r15', 'r16', 'r18', 'r19', 'r42', 'r43', 'r44', 'r45', 'r46', 'r47',
    ]);
    expect(row(table, 'r00').line).toBe(2);
    expect(row(table, 'r47').line).toBe(26);
  });

  it('r06: every measured value and setting exactly as in its CSV line', async () => {
    const r06 = row(await readRecordedRuns(RUNS_CSV), 'r06');
    expect(r06.stepIndex).toEqual({ kind: 'step', index: 2 });
    expect(r06.stagesS).toEqual({
      gen: known(69.534),
      old_log_prob: known(32.91),
      adv: known(0.179),
      update_actor: known(134.132),
      step: known(238.206),
    });
    expect(r06.throughputTokensPerSPerGpu).toEqual(known(1017.57));
    expect(r06.mfuActor).toEqual(known(0.269));
    expect(r06.workload).toEqual({
      responseLengthMean: known(280.789),
      responseLengthMax: known(1024),
      responseClipRatio: known(0.024),
      promptLengthMean: known(97.947),
      globalSeqlenMean: known(242391),
    });
    const c = r06.config;
    expect([c.nodes, c.gpusPerNode, c.rolloutTp, c.trainBatchSizePrompts, c.rolloutN, c.ppoMiniBatchSize, c.ppoMicroBatchSizePerGpu, c.ppoEpochs, c.maxPromptLen, c.maxResponseLen]).toEqual(
      [1, 8, 2, 1024, 5, 256, 16, 1, 1024, 1024].map((v) => known(v)),
    );
    expect(c.trainTp).toBeUndefined(); // empty cell: unknown, not 1
    expect(c.ppoMaxTokenLenPerGpu).toBeUndefined();
    expect(c.rolloutEngine).toEqual(known('vllm'));
    expect(c.trainBackend).toEqual(known('fsdp'));
    expect(c.dynamicBsz).toEqual(known(false));
    expect(c.moe).toEqual(known(false));
    expect(c.modelParamsB).toEqual(known(7.6));
    expect(c.model?.value.name).toBe('Qwen/Qwen2-7B-Instruct');
    expect(c.algorithm?.value).toEqual({ text: 'gpg (grpo-family, no KL/ref)', name: 'gpg', usesCritic: false, usesReference: false, comments: ['grpo-family, no KL/ref'] });
    expect(c.offload).toEqual(
      known({ text: 'none (ref param offload)', actor: { param: false, grad: false, optimizer: false }, critic: { param: false, grad: false, optimizer: false }, ref: { param: true }, comments: [], unparsed: [] }),
    );
    expect(c.gradCkpt).toEqual(known({ text: 'True', actor: true, critic: true, method: 'checkpointing', comments: [] }));
    expect(r06.source).toEqual({ url: 'https://github.com/diqiuzhuanzhuan/verldata/blob/main/run_logs/qwen2-7b_math.log', repo: 'diqiuzhuanzhuan/verldata', date: known('2025-06-19') });
    expect(r06.findings).toEqual([]);
  });

  it('keeps ~-inferred values with their flag, and leaves empty cells unknown', async () => {
    const table = await readRecordedRuns(RUNS_CSV);
    expect(row(table, 'r06').config.gpuType).toEqual({
      value: { text: 'A100/A800 (312 TFLOPS peak back-computed from perf/mfu/actor)', models: ['A100', 'A800'], peakTflops: 312, comments: ['peak back-computed from perf/mfu/actor'] },
      inferred: true,
    });
    const r18 = row(table, 'r18').config;
    expect([r18.nodes, r18.rolloutTp, r18.ppoMaxTokenLenPerGpu, r18.trainBatchSizePrompts, r18.rolloutN, r18.ppoMiniBatchSize, r18.maxPromptLen]).toEqual(
      [2, 2, 20480, 512, 12, 32, 2048].map((v) => known(v, true)),
    );
    expect(r18.maxResponseLen).toEqual(known(20480)); // stated by the doc, not inferred
    expect(r18.dynamicBsz).toEqual(known(true, true));
    expect(r18.gradCkpt).toEqual(known({ text: 'True', actor: true, critic: true, method: 'checkpointing', comments: [] }, true));
    expect(r18.offload?.inferred).toBe(true);
    expect(r18.offload?.value.actor).toEqual({ param: true, grad: false, optimizer: true });
    expect(row(table, 'r13').source.date).toEqual(known('2025-10', true));
    expect(row(table, 'r12').config.gradCkpt).toEqual(known({ text: 'recompute (script)', actor: true, critic: true, method: 'recompute', comments: ['script'] }, true));
    const r42 = row(table, 'r42');
    expect(r42.config.gpuType).toBeUndefined();
    expect(r42.stagesS.step).toBeUndefined();
    expect(r42.stagesS.old_log_prob).toBeUndefined();
  });

  it('reads every step-index form: logged steps and published averages', async () => {
    const table = await readRecordedRuns(RUNS_CSV);
    expect(row(table, 'r42').stepIndex).toEqual({ kind: 'step', index: 2 });
    expect(row(table, 'r12').stepIndex).toEqual({ kind: 'average' });
    expect(table.rows.filter((r) => r.stepIndex.kind === 'average').map((r) => r.runId)).toEqual(['r12', 'r13', 'r14', 'r15', 'r16', 'r18', 'r19']);
  });

  it('groups rows into runs: one per log, one per documentation table (fully_async.md holds two)', async () => {
    const table = await readRecordedRuns(RUNS_CSV);
    expect(table.runs.map((run) => run.runIds)).toEqual([
      ['r00', 'r01', 'r02'],
      ['r03', 'r04', 'r05'],
      ['r06', 'r07', 'r08'],
      ['r09', 'r10', 'r11'],
      ['r12'],
      ['r13', 'r14', 'r15'],
      ['r16'],
      ['r18', 'r19'],
      ['r42', 'r43', 'r44'],
      ['r45', 'r46', 'r47'],
    ]);
    expect(row(table, 'r13').runKey).toBe('https://github.com/volcengine/verl/blob/main/docs/advance/fully_async.md § doc table');
    expect(row(table, 'r16').runKey).toBe('https://github.com/volcengine/verl/blob/main/docs/advance/fully_async.md § doc table use_trainer_do_validate experiment');
    expect(table.notes[0]).toBe('25 rows (measured steps or per-step averages) in 10 runs');
  });

  it("flags the README's known source conflict on r13 (and r18, whose stages also leave > 5 % of the step), as findings, not errors", async () => {
    const table = await readRecordedRuns(RUNS_CSV);
    // 357.41 + 107.71 + 269.8 = 734.92 s; 790.1 − 734.92 = 55.18 s = 6.98 % of the step.
    expect(row(table, 'r13').findings).toEqual([
      'stage times do not add up to the step: gen + old_log_prob + update_actor = 734.92 s leaves 55.18 s (6.98 %) of timing_step_s 790.1 s in no reported stage, more than the 5 % other work takes; a stage or the step value may be wrong',
    ]);
    // 321 + 88 + 286 = 695 s; 749 − 695 = 54 s = 7.21 %.
    expect(row(table, 'r18').findings).toEqual([
      'stage times do not add up to the step: gen + old_log_prob + update_actor = 695 s leaves 54 s (7.21 %) of timing_step_s 749 s in no reported stage, more than the 5 % other work takes; a stage or the step value may be wrong',
    ]);
    expect(table.rows.filter((r) => r.findings.length > 0).map((r) => r.runId)).toEqual(['r13', 'r18']);
    expect(table.notes).toContain(`r13 (line 15): ${row(table, 'r13').findings[0]}`);
  });
});

describe('readRecordedRuns on a small table of its own', () => {
  it('keeps ~ flags on every kind of field and parses free text', async () => {
    const g2 = row(await readRecordedRuns(fixture('small-runs.csv')), 'g2');
    expect(g2.config.nodes).toEqual(known(2, true));
    expect(g2.config.gpusPerNode).toEqual(known(8));
    expect(g2.stagesS.update_actor).toEqual(known(10, true));
    expect(g2.config.offload?.value.actor).toEqual({ param: true, grad: false, optimizer: true });
    expect(g2.config.offload?.value.ref).toEqual({ param: true });
    expect(g2.config.gradCkpt).toEqual(known({ text: 'False(critic)', critic: false, comments: [] }));
    expect(g2.config.gpuType?.value.models).toEqual(['A100', 'A800']);
  });

  it('gives runs by log file, doc table and, without a source, by row', async () => {
    const table = await readRecordedRuns(fixture('small-runs.csv'));
    expect(table.runs).toEqual([
      { runKey: 'https://example.org/logs/run-a.log', runIds: ['g1', 'g2'] },
      { runKey: 'https://example.org/docs/page.md § doc table', runIds: ['g3'] },
      { runKey: 'https://example.org/docs/page.md § doc table other experiment', runIds: ['g4'] },
      { runKey: 'row g5', runIds: ['g5'] },
    ]);
    expect(row(table, 'g4').stepIndex).toEqual({ kind: 'average', overSteps: 20 });
  });

  it('reports what does not add up, and text it cannot parse, as findings', async () => {
    const table = await readRecordedRuns(fixture('small-runs.csv'));
    expect(row(table, 'g1').findings).toEqual([]); // 20 + 5 + 10 = 35 of 35.5 s: 1.4 % rest
    expect(row(table, 'g4').findings).toEqual([]); // gen + old_log_prob + train = 34 of 35.5 s
    expect(row(table, 'g3').findings).toEqual([
      'stage times do not add up to the step: gen + update_actor = 30 s leaves 10 s (25 %) of timing_step_s 40 s in no reported stage, more than the 5 % other work takes; a stage or the step value may be wrong',
    ]);
    // 64 prompts × 4 × (100.5 + 300.5) tokens / 8 GPUs = 12832; 12832 / 15000 − 1 = −14.45 %.
    expect(row(table, 'g5').findings).toEqual([
      "offload: clause 'banana' not understood (kept as text)",
      "grad_ckpt: 'sometimes' not understood (kept as text)",
      'response_length_max 2048 is above max_response_len 1024',
      'global_seqlen_mean 15000 differs by -14.45 % from train_batch_size_prompts × rollout_n × (prompt_length_mean + response_length_mean) / GPUs = 12832 (veRL: tokens per worker of the actor/rollout group)',
    ]);
    expect(row(table, 'g5').config.offload?.value).toEqual({ text: 'actor param; banana', actor: { param: true, grad: false, optimizer: false }, comments: [], unparsed: ['banana'] });
  });
});

describe('readRecordedRuns on bad rows', () => {
  it('reports each bad row with file:line:column, field and value, and nothing else', async () => {
    const path = fixture('bad-rows.csv');
    const error = await readRecordedRuns(path).catch((e: unknown) => e);
    expect(isInputError(error)).toBe(true);
    if (!isInputError(error)) return;
    expect(error.problems.map(formatProblem)).toEqual([
      `${path}:2:47: row has 46 cells but the header has 49 columns`,
      `${path}:3:38: field 'timing_gen_s' value 'fast': is not a number`,
      `${path}:4:44: field 'timing_update_actor_s' value '-3.5': must not be negative (seconds)`,
      `${path}:5:30: field 'step_index' value 'last': unknown step index form; expected a step number (0, 1, …), avg or avgN (average over N steps)`,
      `${path}:6:24: field 'rollout_n' value '~': has the \`~\` (inferred) mark but no value`,
      `${path}:7:48: field 'mfu_actor' value '1.7': must be at most 1`,
      `${path}:8:16: field 'train_backend' value 'jax': is not a training backend; expected one of fsdp, fsdp2, megatron, deepspeed`,
      `${path}:9:1: field 'run_id' value 'b02': repeats the run_id of line 3`,
      `${path}:10:12: field 'nodes' value '2.5': must be a whole number`,
      `${path}:11:30: field 'step_index' value '~3': cannot be inferred (~): a row is either a logged step or a published average`,
      `${path}:12:5: field 'date' value 'June 2025': is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD (with ~ when inferred)`,
      `${path}:13:10: field 'moe' value 'maybe': is not a yes/no value; expected True/False or y/n`,
      `${path}:14:30: field 'step_index' value '': is empty; expected a step number, avg or avgN`,
    ]);
  });

  it('names a missing column, and calls a file without most of them another table', async () => {
    const dir = await scratchDir();
    const path = join(dir, 'runs.csv');
    const lines = readFileSync(fixture('small-runs.csv'), 'utf8').split('\n');
    const dropAt = (line: string, index: number) => line.split(',').filter((_, i) => i !== index).join(',');
    writeFileSync(path, [dropAt(lines[0]!, 48), dropAt(lines[1]!, 48)].join('\n'));
    await expect(readRecordedRuns(path)).rejects.toThrow(
      `${path}:1:1: field 'notes': missing column (every recorded-runs column must be in the header; leave its cells empty when unknown)`,
    );
    const other = sharedDataPath('splitwise-sim', 'perf_model.csv'); // has a `model` column, none of the others
    await expect(readRecordedRuns(other)).rejects.toThrow(
      `${other}:1:1: missing 48 of the 49 recorded-runs columns (run_id, source_url, repo, issue_or_pr, date, framework_and_version, algorithm, model_params_b, moe, gpu_type, nodes, gpus_per_node, … (36 more)): not a runs.csv table? (traces/README.md, "Recorded runs")`,
    );
  });
});

describe('runs.csv against the shared logs it was transcribed from', () => {
  /**
   * Every row whose source is one of the shared logs, against that log's step (read by readVerlRun):
   * stage seconds, lengths, MFU and throughput, and the configuration. What differs is listed here
   * on purpose, with why.
   */
  it('agrees on every measured value and setting, except the listed transcription gaps', async () => {
    const table = await readRecordedRuns(RUNS_CSV);
    const logs = new Map<string, VerlRun>();
    const differences: string[] = [];
    let compared = 0;
    for (const r of table.rows) {
      const name = r.source.url?.split('/').pop() ?? '';
      const folder = ['verl-mi300-deepseek7b', 'verl-qwen2-7b-gpg', 'verl-team-gsm8k'].find((f) => hasLog(f, name));
      if (!folder || r.stepIndex.kind !== 'step') continue;
      const path = sharedDataPath('rl-step-logs', 'logs', folder, name);
      if (!logs.has(path)) logs.set(path, await readVerlRun(path));
      const run = logs.get(path)!;
      const index = r.stepIndex.index;
      const step = run.steps.find((s) => s.step === index)!;
      compared++;
      const same = (what: string, csv: unknown, log: unknown) => {
        if (csv !== log) differences.push(`${r.runId} ${what}: runs.csv ${String(csv)}, log ${String(log)}`);
      };
      for (const [stage, k] of Object.entries(r.stagesS)) same(stage, k.value, stage === 'step' ? step.stepS : step.stagesS[stage]);
      same('response_length_mean', r.workload.responseLengthMean?.value, step.workload.responseLength.mean);
      same('response_length_max', r.workload.responseLengthMax?.value, step.workload.responseLength.max);
      same('response_clip_ratio', r.workload.responseClipRatio?.value, step.workload.responseLength.clipRatio);
      same('prompt_length_mean', r.workload.promptLengthMean?.value, step.workload.promptLength.mean);
      same('global_seqlen_mean', r.workload.globalSeqlenMean?.value, step.workload.globalSeqlen.mean);
      same('mfu_actor', r.mfuActor?.value, step.mfu.actor);
      same('throughput', r.throughputTokensPerSPerGpu?.value, step.throughput.tokensPerSPerGpu);
      const c = r.config;
      const s = run.settings;
      same('nodes', c.nodes?.value, s.nnodes?.value);
      same('gpus_per_node', c.gpusPerNode?.value, s.nGpusPerNode?.value);
      same('rollout_engine', c.rolloutEngine?.value, s.rollout.name?.value);
      same('rollout_tp', c.rolloutTp?.value, s.rollout.tensorParallelSize?.value);
      same('rollout_n', c.rolloutN?.value, s.rollout.n?.value);
      same('train_backend', c.trainBackend?.value, s.actor.strategy?.value);
      same('train_tp', c.trainTp?.value, s.actor.megatron?.tensorParallel?.value);
      same('train_pp', c.trainPp?.value, s.actor.megatron?.pipelineParallel?.value);
      same('train_batch_size_prompts', c.trainBatchSizePrompts?.value, s.trainBatchSize?.value);
      same('ppo_mini_batch_size', c.ppoMiniBatchSize?.value, s.actor.ppoMiniBatchSize?.value);
      same('ppo_micro_batch_size_per_gpu', c.ppoMicroBatchSizePerGpu?.value, s.actor.microBatchSizePerGpu?.value);
      same('ppo_epochs', c.ppoEpochs?.value, s.actor.ppoEpochs?.value);
      same('max_prompt_len', c.maxPromptLen?.value, s.maxPromptLength?.value);
      same('max_response_len', c.maxResponseLen?.value, s.maxResponseLength?.value);
      same('dynamic_bsz', c.dynamicBsz?.value, s.actor.useDynamicBsz?.value ?? false); // veRL had no dynamic batching before 2025: false
      same('grad_ckpt (critic)', c.gradCkpt?.value.critic ?? false, s.critic.used?.value ? s.critic.gradientCheckpointing?.value : (c.gradCkpt?.value.critic ?? false));
      same('offload actor param', c.offload?.value.actor?.param, s.actor.paramOffload?.value);
      same('offload actor optimizer', c.offload?.value.actor?.optimizer, s.actor.optimizerOffload?.value);
      same('offload ref param', c.offload?.value.ref?.param, s.ref.paramOffload?.value);
      same('critic', c.algorithm?.value.usesCritic, s.critic.used?.value);
    }
    expect(compared).toBe(18);
    expect(differences).toEqual([
      // runs.csv leaves MFU and throughput empty for the MI300 rows; the logs print them (mfu/actor, Tokens/Sec/GPU).
      'r00 mfu_actor: runs.csv undefined, log 0.192',
      'r00 throughput: runs.csv undefined, log 1736.13',
      'r01 mfu_actor: runs.csv undefined, log 0.18',
      'r01 throughput: runs.csv undefined, log 1905.202',
      'r02 mfu_actor: runs.csv undefined, log 0.188',
      'r02 throughput: runs.csv undefined, log 1870.855',
      'r03 mfu_actor: runs.csv undefined, log 0.161',
      'r03 throughput: runs.csv undefined, log 755.283',
      'r04 mfu_actor: runs.csv undefined, log 0.146',
      'r04 throughput: runs.csv undefined, log 718.277',
      'r05 mfu_actor: runs.csv undefined, log 0.137',
      'r05 throughput: runs.csv undefined, log 734.68',
      // gemma on 2 GPUs: ppo_micro_batch_size=4 is veRL's old global form, which its FSDP workers divided by the world size
      // (verl/trainer/ppo/workers/fsdp_workers.py at 50ac7252): 2 per GPU, not the 4 runs.csv gives.
      'r45 ppo_micro_batch_size_per_gpu: runs.csv 4, log 2',
      'r46 ppo_micro_batch_size_per_gpu: runs.csv 4, log 2',
      'r47 ppo_micro_batch_size_per_gpu: runs.csv 4, log 2',
    ]);
  });
});

function hasLog(folder: string, name: string): boolean {
  return name !== '' && existsSync(sharedDataPath('rl-step-logs', 'logs', folder, name));
}
