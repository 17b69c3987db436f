import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isModelPath, loadModelReferences, modelPathFrom, resolveModelReference } from '../../../harness/cost/catalog/model-reference.js';
import { InputError } from '../../../harness/util/input-error.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-reference-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('model references: a catalog id or a path to a .json', () => {
  it('tells paths from ids and resolves paths against the naming file', () => {
    expect(isModelPath('qwen3-30b-a3b')).toBe(false);
    expect(isModelPath('models/Qwen3/config.json')).toBe(true);
    expect(modelPathFrom('m/config.json', '/runs/a/scenario.json')).toBe('/runs/a/m/config.json');
  });

  it('reads each path once and looks models up without I/O afterwards', async () => {
    await writeFile(join(dir, 'tiny.json'), JSON.stringify({ id: 'tiny', layers: 2, hidden: 256, heads: 4, kvHeads: 2, ffn: 512, vocab: 1000, tiedEmbeddings: true, sources: ['made up'] }));
    const loaded = await loadModelReferences(['tiny.json', 'tiny.json', 'llama-2-7b'], join(dir, 'scenario.json'), () => ({ file: 'scenario.json', field: 'models.actor' }));
    expect(Object.keys(loaded)).toEqual(['tiny.json']);
    expect(resolveModelReference('tiny.json', loaded, { file: 's' }).id).toBe('tiny');
    expect(resolveModelReference('llama-2-7b', loaded, { file: 's' }).id).toBe('llama-2-7b');
    expect(() => resolveModelReference('other.json', loaded, { file: 's', field: 'models.ref' })).toThrow(InputError);
  });
});
