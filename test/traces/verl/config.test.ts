import { describe, expect, it } from 'vitest';
import { buildVerlConfig } from '../../../harness/traces/verl/config.js';
import type { HydraOverride } from '../../../harness/traces/verl/hydra-overrides.js';
import type { VerlLaunch } from '../../../harness/traces/verl/launch-command.js';
import type { PrintedConfig } from '../../../harness/traces/verl/printed-config.js';

const set = (key: string, value: HydraOverride['value'], column = 1): HydraOverride => ({ op: 'set', key, valueText: String(value), value, line: 1, column });
const launch = (overrides: HydraOverride[], configName?: string): VerlLaunch => ({
  form: 'bash-trace',
  line: 1,
  program: 'python3 -m verl.trainer.main_ppo',
  overrides,
  ...(configName ? { configName } : {}),
  variables: {},
  unresolvedVariables: [],
});
const printed = (tree: PrintedConfig['tree'], complete = true): PrintedConfig => ({ line: 10, lastLine: 20, prefix: '', tree, complete, notes: [] });

describe('buildVerlConfig', () => {
  it('applies overrides in order: the later wins, ~ deletes', () => {
    const config = buildVerlConfig(launch([set('a.x', 1, 1), set('a.x', 2, 9), set('a.y', 3), { op: 'delete', key: 'a.y', line: 1, column: 20 }], 'other'), undefined);
    expect(config.values).toEqual({ 'a.x': { value: 2, source: 'command', line: 1 } });
    expect(config.notes).toContain('the command sets a.x twice (at 1:1 and 1:9); the later value 2 wins, as in Hydra');
  });

  it('prefers the printed config, and lists where the command disagrees or sets what the dict lacks', () => {
    const config = buildVerlConfig(launch([set('data.train_batch_size', 8), set('trainer.logger', ['console']), set('trainer.extra', true)]), printed({ data: { train_batch_size: 16 }, trainer: { logger: ['console'] } }));
    expect(config.values['data.train_batch_size']).toEqual({ value: 16, source: 'printed-config', line: 10 });
    expect(config.values['trainer.extra']).toEqual({ value: true, source: 'command', line: 1 });
    expect(config.disagreements).toEqual([
      { key: 'data.train_batch_size', command: 8, printed: 16, line: 1 },
      { key: 'trainer.extra', command: true, line: 1 },
    ]);
  });

  it('does not call a key the damaged dict lost a disagreement', () => {
    const config = buildVerlConfig(launch([set('critic.model.path', 'm')]), printed({ critic: { strategy: 'fsdp' } }, false));
    expect(config.disagreements).toEqual([]);
    expect(config.values['critic.model.path']).toEqual({ value: 'm', source: 'command', line: 1 });
    expect(config.notes).toEqual(['1 keys missing from the damaged printed config were taken from the command']);
  });

  it("fills what a dict-less default-config log leaves out with veRL's defaults, resolving ${…} references", () => {
    const config = buildVerlConfig(launch([set('actor_rollout_ref.actor.ppo_mini_batch_size', 64)]), undefined);
    expect(config.values['critic.ppo_mini_batch_size']).toEqual({ value: 64, source: 'default' });
    expect(config.values['actor_rollout_ref.rollout.n']).toEqual({ value: 1, source: 'default' });
    expect(config.notes[0]).toMatch(/^the log prints no resolved config: 47 settings the command leaves out are veRL's defaults from verl\/trainer\/config\/ppo_trainer\.yaml at volcengine\/verl 5d0a7eaf/);
  });

  it('uses no defaults for another config file', () => {
    const config = buildVerlConfig(launch([set('a', 1)], 'ppo_megatron_trainer.yaml'), undefined);
    expect(Object.keys(config.values)).toEqual(['a']);
    expect(config.notes).toEqual(['the log prints no resolved config and launches with --config-name=ppo_megatron_trainer.yaml: settings the command leaves out are unknown']);
  });
});
