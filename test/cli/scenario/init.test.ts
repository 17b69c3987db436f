import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../harness/scenario/loader.js';
import { provenanceOf } from '../../../harness/scenario/scenario.js';
import { projectRoot } from '../../../harness/util/shared-data.js';
import { runCli, scratchDir } from '../run-cli.js';

const trace = join(projectRoot, 'traces', 'examples', 'default.jsonl');

describe('rlhf-replay scenario init', () => {
  it('writes a starting scenario that loads and replays as written, every field explained', async () => {
    const dir = await scratchDir('scenario-init');
    const run = await runCli(['scenario', 'init', '--model', 'qwen2.5-7b', '--gpu', 'h100-sxm', '--nodes', '1', '--out', 'my-run.json', '--json'], dir);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.out);
    expect(summary).toMatchObject({ out: 'my-run.json', model: 'qwen2.5-7b', gpu: 'h100-sxm', gpus: 8, notes: [] });
    const scenario = await loadScenario(join(dir, 'my-run.json'));
    expect(scenario.cluster).toEqual({ gpu: 'h100-sxm', nodes: 1, gpusPerNode: 8, priceUsdPerGpuHour: 6.88 });
    expect(scenario.costModel).toEqual({ kind: 'roofline', calibration: 'package:harness/cost/calibrations/public-profiles.json', engine: 'vllm-v1' });
    expect(provenanceOf(scenario, 'generation.tp')!.text).toMatch(/GPUs per generation instance/);
    expect(provenanceOf(scenario, 'batch.prompts')!.kind).toBe('assumption');
    // every scheduler replays it (the training layout was chosen to fit Megatron's memory)
    const replay = await runCli(['replay', '--scenario', 'my-run.json', '--trace', trace, '--iterations', '1', '--json'], dir);
    expect(replay.err).toBe('');
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.out).summary.length).toBeGreaterThan(10);
  });

  it('takes a Hugging Face config.json and names it relative to the written file; a MoE model gets expert parallelism', async () => {
    const dir = await scratchDir('scenario-init-config');
    await mkdir(join(dir, 'models'));
    await mkdir(join(dir, 'runs'));
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
      tie_word_embeddings: false,
      torch_dtype: 'bfloat16',
    };
    await writeFile(join(dir, 'models', 'config.json'), JSON.stringify(config));
    const run = await runCli(['scenario', 'init', '--model', 'models/config.json', '--gpu', 'h20', '--nodes', '2', '--out', 'runs/moe.json'], dir);
    expect(run.code).toBe(0);
    const written = JSON.parse(await readFile(join(dir, 'runs', 'moe.json'), 'utf8'));
    expect(written.models).toEqual({ actor: '../models/config.json', ref: '../models/config.json' });
    expect(written.layout.actorTrain.ep).toBeGreaterThan(1);
    const scenario = await loadScenario(join(dir, 'runs', 'moe.json'));
    expect(scenario.modelSpecs!['../models/config.json']!.moe!.experts).toBe(128);
    const replay = await runCli(['replay', '--scenario', 'runs/moe.json', '--trace', trace, '--iterations', '1', '--scheduler', 'megatron-colocated'], dir);
    expect(replay.code).toBe(0);
  });

  it('refuses bad input with the flag and value, and writes nothing inside the shipped scenarios', async () => {
    const dir = await scratchDir('scenario-init-bad');
    const gpu = await runCli(['scenario', 'init', '--model', 'qwen2.5-7b', '--gpu', 'h900', '--nodes', '1', '--out', 'x.json'], dir);
    expect(gpu.code).toBe(2);
    expect(gpu.err).toMatch(/<command line>: field '--gpu' value 'h900': unknown GPU id; the catalog has a100-80gb/);
    const model = await runCli(['scenario', 'init', '--model', 'gpt-5', '--gpu', 'h100-sxm', '--nodes', '1', '--out', 'x.json'], dir);
    expect(model.err).toMatch(/field '--model' value 'gpt-5': unknown model id/);
    const nodes = await runCli(['scenario', 'init', '--model', 'qwen2.5-7b', '--gpu', 'h100-sxm', '--nodes', '0', '--out', 'x.json'], dir);
    expect(nodes.err).toMatch(/field '--nodes' value '0': must be a positive integer/);
    const inside = await runCli(['scenario', 'init', '--model', 'qwen2.5-7b', '--gpu', 'h100-sxm', '--nodes', '1', '--out', join(projectRoot, 'harness', 'scenario', 'scenarios', 'mine.json')], dir);
    expect(inside.code).toBe(2);
    expect(inside.err).toMatch(/is inside the package's shipped scenarios/);
    const missing = await runCli(['scenario', 'init', '--model', 'nowhere/config.json', '--gpu', 'h100-sxm', '--nodes', '1', '--out', 'x.json'], dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/field '--model' value '.\/nowhere\/config.json': model file: file not found/);
  });

  it('has --help', async () => {
    const help = await runCli(['scenario', 'init', '--help']);
    for (const flag of ['--model', '--gpu', '--nodes', '--gpus-per-node', '--out', '--json']) expect(help.out).toContain(flag);
  });
});
