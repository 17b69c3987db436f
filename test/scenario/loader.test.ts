import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, locatePath } from '../../harness/scenario/loader.js';
import { SHIPPED_SCENARIOS } from '../../harness/scenario/shipped.js';
import { scenarioAssumptions, provenanceOf } from '../../harness/scenario/scenario.js';
import { InputError } from '../../harness/util/input-error.js';
import { projectRoot } from '../../harness/util/shared-data.js';
import { runCli, scratchDir } from '../cli/run-cli.js';

const shipped = join(projectRoot, 'harness', 'scenario', 'scenarios');

async function problemsOf(path: string): Promise<string[]> {
  try {
    await loadScenario(path);
  } catch (error) {
    if (error instanceof InputError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('shipped scenarios', () => {
  it('all load, with every field explained by a fact, a fit or an assumption', async () => {
    // The shipped list, not whatever the folder holds: a user's own file there is not a test input.
    const files = SHIPPED_SCENARIOS.map((name) => `${name}.json`);
    expect(files.length).toBeGreaterThanOrEqual(14);
    const onDisk = new Set(await readdir(shipped));
    for (const file of files) expect(onDisk.has(file)).toBe(true);
    for (const file of files) {
      const scenario = await loadScenario(join(shipped, file));
      expect(scenario.name).toBe(file.replace(/\.json$/, ''));
      expect(provenanceOf(scenario, 'cluster.gpu')).toBeDefined();
    }
  });

  it('carry the papers’ setups', async () => {
    const fuse = await loadScenario(join(shipped, 'rlhfuse-65b-33b-gen512.json'));
    expect(fuse.cluster).toMatchObject({ gpu: 'h800', nodes: 32, gpusPerNode: 8 });
    expect(fuse.batch).toEqual({ prompts: 512, miniBatchPrompts: 64 });
    expect(fuse.lengths.maxResponseTokens).toBe(512);
    expect(fuse.models).toEqual({ actor: 'llama-65b', critic: 'llama-33b', ref: 'llama-65b', reward: 'llama-33b' });
    expect(provenanceOf(fuse, 'cluster.gpu')!.kind).toBe('assumption');
    expect(scenarioAssumptions(fuse).map((a) => a.path)).toContain('cluster.gpu');
    const grpo = await loadScenario(join(shipped, 'rlhfless-3b-grpo.json'));
    expect(grpo.models.critic).toBeUndefined();
    expect(grpo.layout!.criticTrain).toBeUndefined();
    expect(grpo.algorithm).toMatchObject({ kind: 'grpo', samplesPerPrompt: 4 });
    expect(grpo.cluster).toMatchObject({ gpu: 'l40s', nodes: 2, gpusPerNode: 8 });
    const sim = await loadScenario(join(shipped, 'rlhfless-sim-70b.json'));
    expect(sim).toMatchObject({ scope: 'generation', cluster: { gpu: 'h100-sxm', nodes: 20 }, generation: { tp: 2 } });
  });
});

describe('scenario errors name the file, line, field and value', () => {
  const base = JSON.parse(
    JSON.stringify({
      name: 'x',
      description: 'x',
      cluster: { gpu: 'h100-sxm', nodes: 1, gpusPerNode: 8, priceUsdPerGpuHour: 1 },
      models: { actor: 'llama-2-7b', ref: 'llama-2-7b' },
      algorithm: { kind: 'grpo', samplesPerPrompt: 4, ppoEpochs: 1 },
      batch: { prompts: 8, miniBatchPrompts: 4 },
      lengths: { maxPromptTokens: 100, maxResponseTokens: 100 },
      generation: { tp: 1, instances: 8, maxConcurrentSequences: 8, gpuMemoryUtilization: 0.9, maxBatchedTokens: 8192, promptSharing: true },
      layout: { actorTrain: { tp: 1, pp: 1, dp: 8, microBatchSamples: 1 }, ref: { tp: 1, pp: 1, dp: 8, microBatchSamples: 1 } },
      costModel: { kind: 'roofline' },
      scope: 'iteration',
      schedulerParameters: {},
      provenance: { cluster: 'fact: x', models: 'fact: x', algorithm: 'fact: x', batch: 'fact: x', lengths: 'fact: x', generation: 'fact: x', layout: 'fact: x', costModel: 'fact: x', scope: 'fact: x' },
    }),
  );

  it('accepts the valid base', async () => {
    const dir = await scratchDir();
    await writeFile(join(dir, 'ok.json'), JSON.stringify(base, null, 2));
    expect(await problemsOf(join(dir, 'ok.json'))).toEqual([]);
  });

  it('reports a bad value with its line and column, an unknown field and a missing one, all at once', async () => {
    const dir = await scratchDir();
    const bad = structuredClone(base);
    bad.generation.tp = 0;
    bad.batch.miniBatch = 3;
    delete bad.lengths.maxPromptTokens;
    const path = join(dir, 'bad.json');
    await writeFile(path, JSON.stringify(bad, null, 2));
    const problems = await problemsOf(path);
    expect(problems).toContain(`${path}:28:5: field 'generation.tp' value '0': must be at least 1`);
    expect(problems.some((p) => p.includes("field 'batch.miniBatch' value '3': is not a known field of batch"))).toBe(true);
    expect(problems.some((p) => p.includes("field 'lengths.maxPromptTokens': is missing"))).toBe(true);
  });

  it('checks catalog ids, algorithm consistency, layouts against the cluster, and provenance', async () => {
    const dir = await scratchDir();
    const bad = structuredClone(base);
    bad.cluster.gpu = 'tpu-v5';
    bad.models.critic = 'llama-2-7b';
    bad.layout.actorTrain.dp = 16;
    delete bad.provenance.scope;
    bad.provenance['batch.typo'] = 'fact: x';
    bad.provenance.lengths = 'because';
    const path = join(dir, 'bad.json');
    await writeFile(path, JSON.stringify(bad, null, 2));
    const problems = (await problemsOf(path)).join('\n');
    expect(problems).toMatch(/field 'cluster.gpu' value 'tpu-v5': unknown GPU id; the catalog has .*h100-sxm/);
    expect(problems).toMatch(/field 'models.critic' value 'llama-2-7b': GRPO has no critic/);
    expect(problems).toMatch(/field 'layout.actorTrain' value '1×1×16': needs 16 GPUs \(tp × pp × dp\) but the cluster has 8/);
    expect(problems).toMatch(/field 'scope' value 'scope': has no provenance/);
    expect(problems).toMatch(/field 'provenance.batch.typo' value 'batch.typo': names no field of this scenario/);
    expect(problems).toMatch(/field 'provenance.lengths' value 'because': must start with "fact:", "fitted:" or "assumption:"/);
  });

  it('reports JSON syntax errors with their position, and missing files', async () => {
    const dir = await scratchDir();
    await writeFile(join(dir, 'broken.json'), '{\n  "name": "x",\n  "cluster": {,\n}');
    const [problem] = await problemsOf(join(dir, 'broken.json'));
    expect(problem).toMatch(/broken\.json:3:\d+: scenario: not valid JSON/);
    expect(await problemsOf(join(dir, 'missing.json'))).toEqual([`${join(dir, 'missing.json')}: scenario: file not found`]);
  });

  it('follows extends (null removes a field), blames the file that set a bad field, and refuses cycles', async () => {
    const dir = await scratchDir();
    const ppo = structuredClone(base);
    ppo.algorithm = { kind: 'ppo', samplesPerPrompt: 1, ppoEpochs: 1 };
    ppo.models.critic = 'llama-2-7b';
    ppo.layout.criticTrain = ppo.layout.actorTrain;
    ppo.layout.criticInference = ppo.layout.ref;
    await writeFile(join(dir, 'ppo.json'), JSON.stringify(ppo, null, 2));
    await writeFile(
      join(dir, 'grpo.json'),
      JSON.stringify({ extends: 'ppo.json', name: 'grpo', algorithm: { kind: 'grpo', samplesPerPrompt: 4 }, models: { critic: null }, layout: { criticTrain: null, criticInference: null } }, null, 2),
    );
    const grpo = await loadScenario(join(dir, 'grpo.json'));
    expect(grpo.name).toBe('grpo');
    expect(grpo.algorithm).toEqual({ kind: 'grpo', samplesPerPrompt: 4, ppoEpochs: 1 });
    expect(grpo.models.critic).toBeUndefined();
    expect(grpo.cluster).toEqual(ppo.cluster);

    await writeFile(join(dir, 'child.json'), JSON.stringify({ extends: 'ppo.json', name: 'child', generation: { instances: 99 } }, null, 2));
    const [problem] = await problemsOf(join(dir, 'child.json'));
    expect(problem).toBe(`${join(dir, 'child.json')}:5:5: field 'generation.instances' value '99': 99 instances × TP 1 need 99 GPUs but the cluster has 8`);

    await writeFile(join(dir, 'a.json'), JSON.stringify({ extends: 'b.json', name: 'a' }));
    await writeFile(join(dir, 'b.json'), JSON.stringify({ extends: 'a.json', name: 'b' }));
    expect((await problemsOf(join(dir, 'a.json')))[0]).toMatch(/'extends' forms a cycle/);
  });
});

describe('locatePath', () => {
  it('finds a nested key after its parents, not an earlier namesake', () => {
    const text = '{\n  "a": { "tp": 1 },\n  "b": {\n    "tp": 2\n  }\n}';
    expect(locatePath(text, ['b', 'tp'])).toEqual({ line: 4, column: 5 });
    expect(locatePath(text, ['a', 'tp'])).toEqual({ line: 2, column: 10 });
    expect(locatePath(text, ['zzz'])).toEqual({});
  });
});

describe('the shipped JSON Schema', () => {
  it('is the one generated from the validation table', async () => {
    const { scenarioJsonSchema } = await import('../../harness/scenario/schema.js');
    const onDisk = JSON.parse(await readFile(join(shipped, 'scenario.schema.json'), 'utf8'));
    expect(onDisk).toEqual(scenarioJsonSchema());
  });
});

describe('models named by a config.json path', () => {
  const config = {
    architectures: ['Qwen3MoeForCausalLM'],
    hidden_size: 2048,
    num_hidden_layers: 48,
    num_attention_heads: 32,
    num_key_value_heads: 4,
    head_dim: 128,
    intermediate_size: 6144,
    moe_intermediate_size: 768,
    num_experts: 128,
    num_experts_per_tok: 8,
    vocab_size: 151936,
  };
  const scenario = (actor: string, extra: Record<string, unknown> = {}) => ({
    extends: join(shipped, 'rlhfless-3b-grpo.json'),
    name: 'rlhfless-3b-grpo',
    models: { actor, ref: actor },
    provenance: { 'models.actor': 'fact: test', 'models.ref': 'fact: test' },
    ...extra,
  });

  it('reads the config relative to the scenario file and keeps the model beside the scenario', async () => {
    const dir = await scratchDir('scenario-model-path-');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'Qwen3-30B-A3B'));
    await writeFile(join(dir, 'Qwen3-30B-A3B', 'config.json'), JSON.stringify(config));
    await writeFile(join(dir, 'moe.json'), JSON.stringify(scenario('Qwen3-30B-A3B/config.json')));
    const loaded = await loadScenario(join(dir, 'moe.json'));
    expect(loaded.models.actor).toBe('Qwen3-30B-A3B/config.json');
    const model = loaded.modelSpecs!['Qwen3-30B-A3B/config.json']!;
    expect(model.id).toBe('qwen3-30b-a3b');
    expect(model.moe).toMatchObject({ experts: 128, expertsPerToken: 8, expertFfn: 768 });
  });

  it('reports a missing config.json at the scenario field that names it', async () => {
    const dir = await scratchDir('scenario-model-path-');
    const text = JSON.stringify(scenario('missing/config.json'), null, 2);
    await writeFile(join(dir, 'moe.json'), text);
    const problems = await problemsOf(join(dir, 'moe.json'));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(new RegExp(`moe\\.json:\\d+:\\d+: field 'models\\.actor' value 'missing/config\\.json': model file: file not found \\(.*missing/config\\.json\\): a model path is read relative to the folder of the file that writes it \\(.*\\); write 'package:<path>' for a file shipped with rlhf-replay`));
  });

  it('checks EP against the model: an MoE model whose experts EP divides', async () => {
    const dir = await scratchDir('scenario-model-path-');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'Qwen3-30B-A3B'));
    await writeFile(join(dir, 'Qwen3-30B-A3B', 'config.json'), JSON.stringify(config));
    const layout = { actorTrain: { tp: 1, pp: 1, dp: 16, microBatchSamples: 4, ep: 3 } };
    await writeFile(join(dir, 'ep.json'), JSON.stringify(scenario('Qwen3-30B-A3B/config.json', { layout, provenance: { 'models.actor': 'fact: t', 'models.ref': 'fact: t', 'layout.actorTrain.ep': 'assumption: t' } })));
    const problems = await problemsOf(join(dir, 'ep.json'));
    expect(problems.some((p) => /field 'layout\.actorTrain\.ep' value '3': must divide qwen3-30b-a3b's 128 experts/.test(p))).toBe(true);
    expect(problems.some((p) => /field 'layout\.actorTrain\.ep' value '3': must divide the tp × cp × dp = 16 GPUs/.test(p))).toBe(true);
  });
});

describe('a scenario outside the package', () => {
  it('a shipped scenario copied to any folder loads and replays as it did', async () => {
    const dir = await scratchDir('scenario-copy');
    const copy = join(dir, 'my-copy.json');
    await writeFile(copy, await readFile(join(shipped, 'rlhfless-7b-grpo.json'), 'utf8'));
    const original = await loadScenario(join(shipped, 'rlhfless-7b-grpo.json'));
    const copied = await loadScenario(copy);
    const { file: _a, ...a } = original;
    const { file: _b, ...b } = copied;
    expect(b).toEqual(a);
    expect(copied.costModel.calibration).toBe('package:harness/cost/calibrations/public-profiles.json');
    const run = await runCli(['replay', '--scenario', copy, '--trace', join(projectRoot, 'traces', 'examples', 'default.jsonl'), '--scheduler', 'verl', '--iterations', '1', '--json'], dir);
    const reference = await runCli(['replay', '--scenario', join(shipped, 'rlhfless-7b-grpo.json'), '--trace', join(projectRoot, 'traces', 'examples', 'default.jsonl'), '--scheduler', 'verl', '--iterations', '1', '--json'], dir);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).summary).toEqual(JSON.parse(reference.out).summary);
  });

  it("a calibration a parent writes relative to itself is restated for the child; one that names no file is reported at its field with the fix", async () => {
    const dir = await scratchDir('scenario-calibration');
    await mkdir(join(dir, 'base', 'cal'), { recursive: true });
    await writeFile(join(dir, 'base', 'cal', 'profiles.json'), await readFile(join(projectRoot, 'harness', 'cost', 'calibrations', 'public-profiles.json'), 'utf8'));
    const parent = JSON.parse(await readFile(join(shipped, 'rlhfless-3b-ppo.json'), 'utf8'));
    parent.costModel.calibration = 'cal/profiles.json';
    delete parent.$schema;
    await writeFile(join(dir, 'base', 'parent.json'), JSON.stringify(parent, null, 2));
    await writeFile(join(dir, 'child.json'), JSON.stringify({ extends: 'base/parent.json', name: 'child', provenance: {} }, null, 2));
    const child = await loadScenario(join(dir, 'child.json'));
    expect(child.costModel.calibration).toBe('base/cal/profiles.json');

    parent.costModel.calibration = 'nope/profiles.json';
    const text = JSON.stringify(parent, null, 2);
    await writeFile(join(dir, 'base', 'parent.json'), text);
    const problems = await problemsOf(join(dir, 'child.json'));
    const { line, column } = locatePath(text, ['costModel', 'calibration']);
    expect(problems).toEqual([
      `${join(dir, 'base', 'parent.json')}:${line}:${column}: field 'costModel.calibration' value 'nope/profiles.json': file not found (${join(dir, 'base', 'nope', 'profiles.json')}): costModel.calibration is read relative to the folder of the file that writes it (${join(dir, 'base')}); write 'package:<path>' for a file shipped with rlhf-replay (e.g. 'package:harness/cost/calibrations/public-profiles.json')`,
    ]);
  });

  it("an 'extends' that names no file is reported at its field with the fix", async () => {
    const dir = await scratchDir('scenario-extends');
    const text = JSON.stringify({ extends: 'rlhfless-3b-ppo.json', name: 'x' }, null, 2);
    await writeFile(join(dir, 'x.json'), text);
    const problems = await problemsOf(join(dir, 'x.json'));
    expect(problems).toEqual([
      `${join(dir, 'x.json')}:2:3: field 'extends' value 'rlhfless-3b-ppo.json': scenario: file not found (${join(dir, 'rlhfless-3b-ppo.json')}): 'extends' is read relative to the folder of the file that writes it (${dir}); write 'package:<path>' for a file shipped with rlhf-replay (e.g. 'package:harness/cost/calibrations/public-profiles.json')`,
    ]);
    // the package form of the same parent works from here
    await writeFile(join(dir, 'y.json'), JSON.stringify({ extends: 'package:harness/scenario/scenarios/rlhfless-3b-ppo.json', name: 'y' }, null, 2));
    expect((await loadScenario(join(dir, 'y.json'))).name).toBe('y');
  });
});
