import { describe, expect, it } from 'vitest';
import { PrintedConfigReader } from '../../../harness/traces/verl/printed-config.js';

function read(lines: readonly string[]) {
  const reader = new PrintedConfigReader();
  lines.forEach((text, i) => reader.feed(text, i + 1));
  return reader.result();
}

const P = '(main_task pid=5) ';

describe('PrintedConfigReader', () => {
  it('reads a pprinted dict, skipping lines of other processes', () => {
    const result = read([
      'unrelated start-up output',
      `${P}{'actor_rollout_ref': {'actor': {'ppo_epochs': 1,`,
      `${P}                                 'strategy': 'fsdp'},`,
      "(WorkerDict pid=9) a worker's line in between",
      `${P}                       'model': {'path': 'Qwen/Qwen2.5-0.5B-Instruct'}},`,
      `${P} 'trainer': {'logger': ['console',`,
      `${P}                       'wandb'],`,
      `${P}             'nnodes': 1}}`,
      `${P}original dataset len: 7473`,
    ]);
    expect(result).toEqual({
      line: 2,
      lastLine: 8,
      prefix: '(main_task pid=5)',
      tree: { actor_rollout_ref: { actor: { ppo_epochs: 1, strategy: 'fsdp' }, model: { path: 'Qwen/Qwen2.5-0.5B-Instruct' } }, trainer: { logger: ['console', 'wandb'], nnodes: 1 } },
      complete: true,
      notes: [],
    });
  });

  it('places keys by their column when a line is lost, and says the dict is incomplete', () => {
    // The line `'fsdp_config': {'param_offload': False},` closing a nested dict is missing.
    const result = read([
      `${P}{'critic': {'model': {'fsdp_config': {'min_num_params': 0,`,
      `${P}                      'path': '~/models/x'},`,
      `${P}            'strategy': 'fsdp'},`,
      `${P} 'trainer': {'nnodes': 1}}`,
      `${P}done`,
    ]);
    expect(result?.tree).toEqual({ critic: { model: { fsdp_config: { min_num_params: 0 }, path: '~/models/x' }, strategy: 'fsdp' }, trainer: { nnodes: 1 } });
    expect(result?.complete).toBe(false);
    expect(result?.notes).toEqual([
      'the printed config (lines 1–4) does not close its braces: lines of it are missing from the log; keys were placed by their indentation, and keys on the missing lines stay unknown',
    ]);
  });

  it("ignores another process's text written onto the end of a line", () => {
    const result = read([`${P}{'trainer': {'experiment_name': 'run_a',(WorkerDict pid=9) Flash Attention …`, `${P}             'nnodes': 2}}`]);
    expect(result?.tree).toEqual({ trainer: { experiment_name: 'run_a', nnodes: 2 } });
    expect(result?.complete).toBe(true);
  });

  it('skips a key at a column no open dict has, and keeps the rest', () => {
    const result = read([`${P}{'data': {'a': 1,`, `${P}              'b': 2,`, `${P}          'c': 3}}`]);
    expect(result?.tree).toEqual({ data: { a: 1, c: 3 } });
    expect(result?.notes).toEqual(["printed config, line 2: key 'b' sits at a column no open dict has; its keys stay unknown"]);
  });

  it('finds nothing in a log without a config dict', () => {
    expect(read(['step:1 - timing_s/gen:1.0', "test_gen_batch meta info: {'eos_token_id': 1}"])).toBeUndefined();
  });
});
