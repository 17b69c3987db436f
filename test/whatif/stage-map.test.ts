import { describe, expect, it } from 'vitest';
import { InputError } from '../../harness/util/input-error.js';
import { annotationKeys, DEFAULT_STAGE_MAP, matchAnnotation, parseStageMap, stageOrder } from '../../harness/whatif/stage-map.js';

const stageOf = (name: string, map = DEFAULT_STAGE_MAP) => matchAnnotation(map, name)?.stage;

function problemsOf(text: string): { line?: number; column?: number; field?: string; message: string }[] {
  try {
    parseStageMap('names.json', text);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return [...(error as InputError).problems];
  }
  throw new Error('expected an InputError');
}

describe('default stage table', () => {
  it('maps veRL trainer timers and worker methods and OpenRLHF names onto the simulated stages', () => {
    expect(stageOf('gen')).toBe('gen');
    expect(stageOf('timing_s/gen')).toBe('gen');
    expect(stageOf('generate_sequences')).toBe('generate_sequences');
    expect(stageOf('ActorRolloutRefWorker.generate_sequences')).toBe('generate_sequences');
    expect(stageOf('compute_log_prob')).toBe('old_log_prob');
    expect(stageOf('compute_ref_log_prob')).toBe('ref');
    expect(stageOf('ref')).toBe('ref');
    expect(stageOf('values')).toBe('values');
    expect(stageOf('CriticWorker.compute_values')).toBe('values');
    expect(stageOf('update_critic')).toBe('update_critic');
    expect(stageOf('training_step_actor')).toBe('update_actor');
    expect(stageOf('_broadcast_to_vllm')).toBe('weight_sync');
    expect(stageOf('compute_rm_score')).toBe('reward');
    expect(stageOf('Update_Actor')).toBe('update_actor');
  });

  it('leaves names of other workloads unmatched', () => {
    for (const name of ['## forward ##', 'DistributedDataParallel.forward', 'Optimizer.step#SGD.step', 'nccl:all_reduce', 'adv', 'ProfilerStep#4']) expect(stageOf(name)).toBeUndefined();
  });

  it("takes gen's tasks from the veRL log comparison: weight load and generation", () => {
    expect(matchAnnotation(DEFAULT_STAGE_MAP, 'gen')).toEqual({ stage: 'gen', tasks: ['weight-sync', 'generate'], via: 'default' });
    expect(matchAnnotation(DEFAULT_STAGE_MAP, 'generate_sequences')?.tasks).toEqual(['generate']);
  });

  it('looks a name up whole, then by its last segment', () => {
    expect(annotationKeys('timing_s/gen')).toEqual(['timing_s/gen', 'gen']);
    expect(annotationKeys('verl::Update_Critic')).toEqual(['verl::update_critic', 'update_critic']);
    expect(annotationKeys('  _gen ')).toEqual(['gen']);
  });

  it('orders stages as an iteration runs, the step last', () => {
    expect(stageOrder(DEFAULT_STAGE_MAP)).toEqual(['weight_sync', 'gen', 'generate_sequences', 'reward', 'old_log_prob', 'ref', 'values', 'update_critic', 'update_actor', 'step']);
  });
});

describe('--stage-map files', () => {
  it('adds names, defines stages from simulator tasks, redefines a stage and unmaps a default name', () => {
    const map = parseStageMap(
      'names.json',
      JSON.stringify({ stages: { rollout: 'gen', make_experience: ['ref', 'values'], 'Trainer.Critic_Fwd': 'values', generate_sequences: ['weight-sync', 'generate'], ref: null } }),
    );
    expect(matchAnnotation(map, 'rollout')).toEqual({ stage: 'gen', tasks: ['weight-sync', 'generate'], via: 'stage-map' });
    expect(matchAnnotation(map, 'OpenRLHF/make_experience')).toEqual({ stage: 'make_experience', tasks: ['ref', 'values'], via: 'stage-map' });
    expect(stageOf('trainer.critic_fwd', map)).toBe('values');
    expect(matchAnnotation(map, 'generate_sequences')?.tasks).toEqual(['weight-sync', 'generate']);
    // Unmapped by the file, although the default table knows it; other aliases of the stage still match.
    expect(stageOf('ref', map)).toBeUndefined();
    expect(stageOf('compute_ref_log_prob', map)).toBe('ref');
    expect(stageOrder(map).slice(-2)).toEqual(['make_experience', 'step']);
    expect(map.source).toBe('names.json');
  });

  it('reports every problem with its line and column', () => {
    const text = '{\n  "stages": {\n    "rollout": "generation",\n    "x": 3,\n    "y": []\n  }\n}\n';
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.line, p.column, p.field])).toEqual([
      [5, 5, 'stages.y'],
      [3, 5, 'stages.rollout'],
      [4, 5, 'stages.x'],
    ]);
    expect(problems[1]!.message).toMatch(/names no stage; known stages: weight_sync, gen, generate_sequences/);
  });

  it('rejects files that are not a stage map', () => {
    expect(problemsOf('{"stages": ')[0]!.message).toMatch(/stage map: not valid JSON/);
    expect(problemsOf('[1]')[0]!.message).toMatch(/expected a JSON object/);
    expect(problemsOf('{"rollout": "gen"}').map((p) => p.field)).toEqual(['rollout', 'stages']);
  });
});
