import { InputError } from '../../util/input-error.js';
import type { GpuSpec, ModelSpec } from '../types.js';
import { GPU_CATALOG } from './gpus.js';
import { MODEL_CATALOG } from './models.js';

export { GPU_CATALOG } from './gpus.js';
export { MODEL_CATALOG } from './models.js';

/** Where an id came from, for the error when it is unknown (a scenario file, a flag). */
export interface IdSite {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly field?: string;
}

const DEFAULT_SITE: IdSite = { file: '(catalog)' };

export function findGpu(id: string): GpuSpec | undefined {
  return GPU_CATALOG.find((gpu) => gpu.id === id);
}

export function findModel(id: string): ModelSpec | undefined {
  return MODEL_CATALOG.find((model) => model.id === id);
}

/** A catalog GPU; an unknown id is an InputError listing the known ones. */
export function gpuById(id: string, site: IdSite = DEFAULT_SITE): GpuSpec {
  const gpu = findGpu(id);
  if (!gpu) throw unknownId(id, 'gpu', GPU_CATALOG.map((g) => g.id), site);
  return gpu;
}

/** A catalog model; an unknown id is an InputError listing the known ones. */
export function modelById(id: string, site: IdSite = DEFAULT_SITE): ModelSpec {
  const model = findModel(id);
  if (!model) throw unknownId(id, 'model', MODEL_CATALOG.map((m) => m.id), site);
  return model;
}

function unknownId(id: string, kind: string, known: readonly string[], site: IdSite): InputError {
  return new InputError({
    ...site,
    field: site.field ?? kind,
    value: id,
    message: `unknown ${kind} id; the catalog has ${known.join(', ')} (or give a custom ${kind} JSON file)`,
  });
}
