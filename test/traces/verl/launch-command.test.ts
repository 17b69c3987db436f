import { describe, expect, it } from 'vitest';
import type { InputProblem } from '../../../harness/util/input-error.js';
import { LaunchCommandReader } from '../../../harness/traces/verl/launch-command.js';

function launchOf(lines: readonly string[]) {
  const reader = new LaunchCommandReader();
  lines.forEach((text, i) => reader.feed(text, i + 1));
  const problems: InputProblem[] = [];
  return { launch: reader.result('run.log', { add: (p) => problems.push(p) }), problems, extra: reader.extraCommands };
}

describe('LaunchCommandReader', () => {
  it('stops the arguments at a pipe or redirection', () => {
    const { launch, problems } = launchOf(['python3 -m verl.trainer.main_ppo a.b=1 c=2 2>&1 | tee run.log']);
    expect(problems).toEqual([]);
    expect(launch?.overrides.map((o) => o.key)).toEqual(['a.b', 'c']);
  });

  it('reads --config-name given as a separate word, and notes a second command', () => {
    const first = '+ python3 -m verl.trainer.main_ppo --config-name ppo_megatron_trainer a=1';
    const { launch, extra } = launchOf([first, '+ python3 -m verl.trainer.main_ppo b=2']);
    expect(launch).toMatchObject({ form: 'bash-trace', configName: 'ppo_megatron_trainer', line: 1 });
    expect(launch?.overrides.map((o) => [o.key, o.column])).toEqual([['a', first.indexOf('a=1') + 1]]);
    expect(extra).toEqual([2]);
  });

  it('splits a quoted wrapper argument at its blanks, with each override’s column', () => {
    const { launch } = launchOf(['command:', 'bash run_gemma.sh "x.y=1 z=[a,b]"']);
    expect(launch?.overrides.map((o) => [o.key, o.value, o.line, o.column])).toEqual([
      ['x.y', 1, 2, 20],
      ['z', ['a', 'b'], 2, 26],
    ]);
  });

  it('ignores the output of Ray workers and finds nothing in a log without a command', () => {
    expect(launchOf(['(TaskRunner pid=1) python3 -m verl.trainer.main_ppo a=1', 'step:1 - x:1']).launch).toBeUndefined();
  });
});
