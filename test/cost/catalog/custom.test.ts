import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCustomGpu, loadCustomModel } from '../../../harness/cost/catalog/custom.js';
import { activeParameterCount, kvBytesPerToken, parameterCount } from '../../../harness/cost/model-shape.js';
import { InputError } from '../../../harness/util/input-error.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cost-custom-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, contents: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, contents);
  return path;
}

async function problemsOf(load: () => Promise<unknown>): Promise<InputError> {
  try {
    await load();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

const VALID_GPU = {
  id: 'b200-guess',
  name: 'A made-up accelerator',
  bf16Tflops: 2250,
  hbmGBPerS: 8000,
  memoryGiB: 180,
  intraNodeLink: { kind: 'nvlink', GBPerSPerDirection: 900 },
  hostLinkGBPerSPerDirection: 64,
  interNodeGbitPerSPerNode: 3200,
  gpusPerNode: 8,
  priceUsdPerGpuHour: 9.5,
  priceDate: '2025-07',
  sources: ['vendor sheet'],
};

describe('custom GPU files', () => {
  it('converts unit-named fields to base units (TFLOPS → FLOP/s, GB/s → bytes/s, GiB → bytes, Gb/s → bytes/s)', async () => {
    const gpu = await loadCustomGpu(await file('gpu.json', JSON.stringify(VALID_GPU)));
    expect(gpu.bf16FlopsPerS).toBe(2.25e15);
    expect(gpu.hbmBytesPerS).toBe(8e12);
    expect(gpu.memoryBytes).toBe(180 * 1024 ** 3);
    expect(gpu.intraNodeLink).toEqual({ kind: 'nvlink', bytesPerSPerDirection: 900e9 });
    expect(gpu.interNodeBytesPerSPerNode).toBe(400e9);
    expect(gpu.sources[0]).toMatch(/gpu\.json: vendor sheet/);
  });

  it('extends a catalog GPU, overriding only the fields given and keeping its calibration alias', async () => {
    const gpu = await loadCustomGpu(await file('cheap.json', JSON.stringify({ extends: 'h800', id: 'h800-spot', priceUsdPerGpuHour: 2.1, priceDate: '2025-09', sources: ['spot quote'] })));
    expect(gpu.bf16FlopsPerS).toBe(989e12);
    expect(gpu.priceUsdPerGpuHour).toBe(2.1);
    expect(gpu.calibrationAlias).toBe('h100-sxm');
  });

  it('catches a value given in the wrong unit (FLOP/s where TFLOPS is asked), with file, line, field and value', async () => {
    const text = JSON.stringify({ ...VALID_GPU, bf16Tflops: 989e12 }, null, 2);
    const error = await problemsOf(async () => loadCustomGpu(await file('flops.json', text)));
    expect(error.problems).toHaveLength(1);
    const [problem] = error.problems;
    expect(problem!.field).toBe('bf16Tflops');
    expect(problem!.value).toBe(989e12);
    expect(problem!.line).toBe(4);
    expect(error.message).toMatch(/flops\.json:4:\d+: field 'bf16Tflops' value '989000000000000': must be at most 100000 TFLOPS/);
  });

  it('reports every problem of a file at once: missing, mistyped, unknown fields', async () => {
    const { memoryGiB: _dropped, ...rest } = VALID_GPU;
    const text = JSON.stringify({ ...rest, gpusPerNode: 'eight', memoryGib: 80, intraNodeLink: { kind: 'infiniband', GBPerSPerDirection: 900 } }, null, 2);
    const error = await problemsOf(async () => loadCustomGpu(await file('bad.json', text)));
    const fields = error.problems.map((p) => p.field).sort();
    expect(fields).toEqual(['gpusPerNode', 'intraNodeLink.kind', 'memoryGiB', 'memoryGib']);
    expect(error.message).toMatch(/field 'memoryGiB': is missing \(expected a number in GiB/);
    expect(error.message).toMatch(/field 'memoryGib' value '80': is not a known field/);
  });

  it('reports invalid JSON with its line and column, and a missing file plainly', async () => {
    const error = await problemsOf(async () => loadCustomGpu(await file('broken.json', '{\n  "id": "x",\n  "name": oops\n}')));
    expect(error.problems[0]!.line).toBe(3);
    expect(error.message).toMatch(/broken\.json:3:\d+: custom GPU file: not valid JSON/);
    const missing = await problemsOf(() => loadCustomGpu(join(dir, 'nope.json')));
    expect(missing.message).toMatch(/nope\.json: custom GPU file: file not found/);
  });
});

describe('custom model files', () => {
  it('reads a model and derives head dim; its parameter count follows the shape', async () => {
    const model = await loadCustomModel(
      await file('model.json', JSON.stringify({ id: 'tiny', layers: 2, hidden: 256, heads: 4, kvHeads: 2, ffn: 512, vocab: 1000, tiedEmbeddings: true, sources: ['made up'] })),
    );
    expect(model.headDim).toBe(64);
    // V·d + L·(2d² + 2·d·(2·64) + 3·d·ffn + 2d) + d
    expect(parameterCount(model)).toBe(1000 * 256 + 2 * (2 * 256 * 256 + 2 * 256 * 128 + 3 * 256 * 512 + 2 * 256) + 256);
  });

  it('rejects KV heads that do not divide the heads, and a non-integer layer count', async () => {
    const error = await problemsOf(async () =>
      loadCustomModel(await file('gqa.json', JSON.stringify({ id: 'odd', layers: 2.5, hidden: 256, heads: 4, kvHeads: 3, ffn: 512, vocab: 1000, tiedEmbeddings: false, sources: ['x'] }, null, 2))),
    );
    expect(error.problems.map((p) => p.field).sort()).toEqual(['kvHeads', 'layers']);
    expect(error.message).toMatch(/field 'kvHeads' value '3': kvHeads \(3\) must divide heads \(4\)/);
  });

  it('requires sources, so every figure says where it comes from', async () => {
    const error = await problemsOf(async () => loadCustomModel(await file('nosrc.json', JSON.stringify({ extends: 'llama-2-7b', id: 'llama-2-7b-chat', sources: [] }))));
    expect(error.message).toMatch(/field 'sources' value '\[\]': must name where the shape comes from/);
  });

  it('reads MoE and MLA shapes; memory by the total, compute by the active parameters', async () => {
    const moe = { experts: 8, expertsPerToken: 2, expertFfn: 128, sharedExpertFfn: 64, denseLayers: [0], routerBias: true };
    const mla = { qLoraRank: 0, kvLoraRank: 32, qkNopeHeadDim: 16, qkRopeHeadDim: 8, vHeadDim: 16 };
    const model = await loadCustomModel(await file('moe.json', JSON.stringify({ id: 'tiny-moe', layers: 2, hidden: 64, heads: 4, kvHeads: 4, ffn: 256, vocab: 100, tiedEmbeddings: false, moe, mla, sources: ['made up'] })));
    expect(model.moe).toEqual(moe);
    expect(model.mla).toEqual(mla);
    const attention = 64 * 4 * 24 + 64 * (32 + 8) + 32 + 32 * 4 * 32 + 4 * 16 * 64;
    const moeMlp = 64 * 8 + 8 + 8 * 3 * 64 * 128 + 3 * 64 * 64;
    expect(parameterCount(model)).toBe(2 * 100 * 64 + (attention + 3 * 64 * 256 + 128) + (attention + moeMlp + 128) + 64);
    expect(parameterCount(model) - activeParameterCount(model)).toBe(6 * 3 * 64 * 128);
    expect(kvBytesPerToken(model, 2)).toBe(2 * 40 * 2);
  });

  it('reads a Hugging Face config.json as a model file, named after its folder', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'Mixtral-8x7B-v0.1'), { recursive: true });
    const path = join(dir, 'Mixtral-8x7B-v0.1', 'config.json');
    await writeFile(path, JSON.stringify({ architectures: ['MixtralForCausalLM'], hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 14336, num_local_experts: 8, num_experts_per_tok: 2, vocab_size: 32000 }));
    const model = await loadCustomModel(path);
    expect(model.id).toBe('mixtral-8x7b-v0.1');
    expect(Math.round(parameterCount(model) / 1e8) / 10).toBe(46.7);
  });

  it('rejects a bad moe object field by field', async () => {
    const error = await problemsOf(async () =>
      loadCustomModel(await file('badmoe.json', JSON.stringify({ id: 'x', layers: 2, hidden: 64, heads: 4, kvHeads: 4, ffn: 256, vocab: 100, tiedEmbeddings: false, moe: { experts: 4, expertsPerToken: 8, expertFfn: 0, topk: 2 }, sources: ['x'] }, null, 2))),
    );
    expect(error.problems.map((p) => p.field).sort()).toEqual(['moe.expertFfn', 'moe.expertsPerToken', 'moe.topk']);
  });
});
