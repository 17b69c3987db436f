import { describe, expect, it } from 'vitest';
import { parseHydraValue, parseHydraWord, type HydraFlags } from '../../../harness/traces/verl/hydra-overrides.js';

const at = { line: 3, column: 5 };

describe('parseHydraWord', () => {
  it('reads set, add, force-add and delete overrides', () => {
    const flags: HydraFlags = {};
    expect(parseHydraWord('a.b.c=1', at, flags)).toEqual({ override: { op: 'set', key: 'a.b.c', valueText: '1', value: 1, ...at } });
    expect(parseHydraWord('+trainer.val_before_train=False', at, flags)).toEqual({ override: { op: 'add', key: 'trainer.val_before_train', valueText: 'False', value: false, ...at } });
    expect(parseHydraWord('++x.y=null', at, flags)).toEqual({ override: { op: 'force-add', key: 'x.y', valueText: 'null', value: null, ...at } });
    expect(parseHydraWord('~x.y', at, flags)).toEqual({ override: { op: 'delete', key: 'x.y', ...at } });
  });

  it('reads --config-name / --config-path in both spellings', () => {
    const flags: HydraFlags = {};
    expect(parseHydraWord('--config-name=ppo_megatron_trainer.yaml', at, flags)).toEqual({ flag: true });
    expect(parseHydraWord('--config-path', at, flags, () => 'config')).toEqual({ flag: true });
    expect(flags).toEqual({ configName: 'ppo_megatron_trainer.yaml', configPath: 'config' });
  });

  it('rejects words that are not overrides', () => {
    expect(parseHydraWord('trainer.nnodes', at, {})).toEqual({ error: "is not a Hydra override: 'trainer.nnodes' has no '=value'" });
    expect(parseHydraWord('=3', at, {})).toEqual({ error: 'is not a Hydra override: expected key=value with a dotted key (a.b.c=value, +a.b=value, ~a.b)' });
  });
});

describe('parseHydraValue', () => {
  it('types scalars as Hydra does', () => {
    expect([parseHydraValue('True'), parseHydraValue('false'), parseHydraValue('null'), parseHydraValue('8'), parseHydraValue('1e-6'), parseHydraValue('0.6')]).toEqual([true, false, null, 8, 1e-6, 0.6]);
    expect(parseHydraValue('fsdp')).toBe('fsdp');
    expect(parseHydraValue('~/models/x')).toBe('~/models/x');
    expect(parseHydraValue('${data.max_prompt_length}')).toBe('${data.max_prompt_length}');
  });

  it('reads lists and dicts, with quoted or bare strings', () => {
    expect(parseHydraValue("['console','wandb']")).toEqual(['console', 'wandb']);
    expect(parseHydraValue('[console, wandb]')).toEqual(['console', 'wandb']);
    expect(parseHydraValue('[]')).toEqual([]);
    expect(parseHydraValue('{a: 1, b: [x]}')).toEqual({ a: 1, b: ['x'] });
    expect(parseHydraValue('[a, b')).toBe('[a, b'); // not a list: kept as text
  });
});
