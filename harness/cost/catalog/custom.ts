import { basename, dirname } from 'node:path';
import { FieldReader, readJsonFile, type JsonDocument } from '../../util/json-input.js';
import type { CalibrationAliasKind, GpuSpec, IntraNodeLinkKind, MlaShape, ModelSpec, MoeShape } from '../types.js';
import { isHfConfigObject, modelIdFromName, parseHfConfig } from './hf-config.js';
import { findGpu, findModel, GPU_CATALOG, MODEL_CATALOG } from './index.js';

/**
 * Users add their own GPU or model as a JSON file. Fields carry their unit in the name
 * (`bf16Tflops`, `hbmGBPerS`, `memoryGiB`) and are converted to the catalog's base units (FLOP/s,
 * bytes/s, bytes) here, at the boundary; a value in the wrong unit (FLOP/s where TFLOPS is
 * asked) is caught by a plausible range. `extends` starts from a catalog entry and overrides
 * only the fields given. Every problem is reported with file, line, field and value.
 *
 * A model file may instead be a Hugging Face config.json (it names `architectures` or
 * `model_type`): then hf-config.ts reads it, MoE and MLA included.
 */

const GIB = 1024 ** 3;

export const CUSTOM_GPU_FIELDS = [
  'id',
  'name',
  'extends',
  'bf16Tflops',
  'hbmGBPerS',
  'memoryGiB',
  'intraNodeLink',
  'hostLinkGBPerSPerDirection',
  'interNodeGbitPerSPerNode',
  'gpusPerNode',
  'priceUsdPerGpuHour',
  'priceDate',
  'calibrationAlias',
  'calibrationAliasKind',
  'sources',
] as const;

const LINK_KINDS: readonly IntraNodeLinkKind[] = ['nvlink', 'pcie', 'infinity-fabric'];
const ALIAS_KINDS: readonly CalibrationAliasKind[] = ['same-silicon', 'other-family'];

export const CUSTOM_MODEL_FIELDS = [
  'id',
  'name',
  'extends',
  'layers',
  'hidden',
  'heads',
  'kvHeads',
  'headDim',
  'ffn',
  'vocab',
  'tiedEmbeddings',
  'qkvBias',
  'gatedMlp',
  'qkNorm',
  'normsPerLayer',
  'moe',
  'mla',
  'bytesPerParameter',
  'sources',
] as const;

const MOE_FIELDS = ['experts', 'expertsPerToken', 'expertFfn', 'sharedExpertFfn', 'denseLayers', 'routerBias'] as const;
const MLA_FIELDS = ['qLoraRank', 'kvLoraRank', 'qkNopeHeadDim', 'qkRopeHeadDim', 'vHeadDim'] as const;

const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
const ID_TEXT = 'lower-case letters, digits, ".", "_" or "-" (like "h100-sxm")';

export async function loadCustomGpu(path: string): Promise<GpuSpec> {
  return parseCustomGpu(await readJsonFile(path, 'custom GPU file'));
}

/** A model file: the project's custom format, or a Hugging Face config.json (named after its folder). */
export async function loadCustomModel(path: string): Promise<ModelSpec> {
  const doc = await readJsonFile(path, 'model file');
  if (isHfConfigObject(doc.value)) {
    const folder = basename(dirname(path));
    return parseHfConfig(doc, basename(path) === 'config.json' && folder !== '.' && folder !== '' ? { id: modelIdFromName(folder) } : {});
  }
  return parseCustomModel(doc);
}

export function parseCustomGpu(doc: JsonDocument): GpuSpec {
  const fields = FieldReader.root(doc, 'custom GPU file');
  fields.rejectUnknown(CUSTOM_GPU_FIELDS);
  const baseId = fields.string('extends', { optional: true });
  const base = baseId === undefined ? undefined : findGpu(baseId);
  if (baseId !== undefined && !base) fields.problem('extends', baseId, `is not a catalog GPU (known: ${GPU_CATALOG.map((g) => g.id).join(', ')})`);
  const optional = base !== undefined || baseId !== undefined;

  const id = fields.string('id', { pattern: ID_PATTERN, patternText: ID_TEXT });
  const name = fields.string('name', { optional: true });
  const tflops = fields.number('bf16Tflops', { optional, min: 0, exclusiveMin: true, max: 100_000, unit: 'TFLOPS (dense bf16, e.g. 989 for H100)' });
  const hbm = fields.number('hbmGBPerS', { optional, min: 0, exclusiveMin: true, max: 100_000, unit: 'GB/s (e.g. 3350 for H100)' });
  const memory = fields.number('memoryGiB', { optional, min: 0, exclusiveMin: true, max: 10_000, unit: 'GiB (e.g. 80)' });
  const link = fields.child('intraNodeLink', { optional });
  const linkKind = link?.oneOf('kind', LINK_KINDS);
  const linkRate = link?.number('GBPerSPerDirection', { min: 0, exclusiveMin: true, max: 100_000, unit: 'GB/s per direction (e.g. 450 for NVLink 4)' });
  link?.rejectUnknown(['kind', 'GBPerSPerDirection']);
  const host = fields.number('hostLinkGBPerSPerDirection', { optional, min: 0, exclusiveMin: true, max: 10_000, unit: 'GB/s per direction (e.g. 64 for PCIe Gen5 x16)' });
  const network = fields.number('interNodeGbitPerSPerNode', { optional, min: 0, exclusiveMin: true, max: 1_000_000, unit: 'Gb/s per node, all NICs (e.g. 3200 for 8 × 400 Gb/s)' });
  const gpusPerNode = fields.number('gpusPerNode', { optional, integer: true, min: 1, max: 1024 });
  const price = fields.number('priceUsdPerGpuHour', { optional, min: 0, max: 1000, unit: 'USD per GPU-hour' });
  const priceDate = fields.string('priceDate', { optional, pattern: /^\d{4}(-\d{2}(-\d{2})?)?$/, patternText: 'a date like 2025-06 or 2025-06-01' });
  const alias = fields.string('calibrationAlias', { optional: true });
  if (alias !== undefined && !findGpu(alias)) fields.problem('calibrationAlias', alias, `is not a catalog GPU (known: ${GPU_CATALOG.map((g) => g.id).join(', ')})`);
  const aliasKind = fields.oneOf('calibrationAliasKind', ALIAS_KINDS, { optional: true });
  const sources = fields.strings('sources');
  if (sources !== undefined && sources.length === 0) fields.problem('sources', sources, 'must name where the figures come from (at least one string)');
  fields.throwIfAny();

  const pick = <T>(value: T | undefined, fallback: T | undefined): T => (value ?? fallback) as T;
  return {
    id: id!,
    name: name ?? base?.name ?? id!,
    bf16FlopsPerS: pick(tflops === undefined ? undefined : tflops * 1e12, base?.bf16FlopsPerS),
    hbmBytesPerS: pick(hbm === undefined ? undefined : hbm * 1e9, base?.hbmBytesPerS),
    memoryBytes: pick(memory === undefined ? undefined : memory * GIB, base?.memoryBytes),
    intraNodeLink:
      linkKind !== undefined && linkRate !== undefined ? { kind: linkKind, bytesPerSPerDirection: linkRate * 1e9 } : (base?.intraNodeLink as GpuSpec['intraNodeLink']),
    hostLinkBytesPerSPerDirection: pick(host === undefined ? undefined : host * 1e9, base?.hostLinkBytesPerSPerDirection),
    interNodeBytesPerSPerNode: pick(network === undefined ? undefined : (network * 1e9) / 8, base?.interNodeBytesPerSPerNode),
    gpusPerNode: pick(gpusPerNode, base?.gpusPerNode),
    priceUsdPerGpuHour: pick(price, base?.priceUsdPerGpuHour),
    priceDate: pick(priceDate, base?.priceDate),
    ...(alias !== undefined ? { calibrationAlias: alias } : base ? { calibrationAlias: base.calibrationAlias ?? base.id } : {}),
    // Extending a catalog GPU borrows from it (or its alias); the kind is the user's to say, else the base's, else a base without an alias is the same silicon.
    ...(aliasKind !== undefined ? { calibrationAliasKind: aliasKind } : alias === undefined && base ? { calibrationAliasKind: base.calibrationAlias !== undefined ? (base.calibrationAliasKind ?? 'other-family') : 'same-silicon' } : {}),
    sources: [...(base ? [`extends catalog GPU '${base.id}'`, ...base.sources] : []), ...sources!.map((s) => `${doc.file}: ${s}`)],
  };
}

export function parseCustomModel(doc: JsonDocument): ModelSpec {
  const fields = FieldReader.root(doc, 'custom model file');
  fields.rejectUnknown(CUSTOM_MODEL_FIELDS);
  const baseId = fields.string('extends', { optional: true });
  const base = baseId === undefined ? undefined : findModel(baseId);
  if (baseId !== undefined && !base) fields.problem('extends', baseId, `is not a catalog model (known: ${MODEL_CATALOG.map((m) => m.id).join(', ')})`);
  const optional = baseId !== undefined;

  const id = fields.string('id', { pattern: ID_PATTERN, patternText: ID_TEXT });
  const name = fields.string('name', { optional: true });
  const count = (key: string, max: number, isOptional = optional) => fields.number(key, { optional: isOptional, integer: true, min: 1, max });
  const layers = count('layers', 1000);
  const hidden = count('hidden', 1_000_000);
  const heads = count('heads', 10_000);
  const kvHeads = count('kvHeads', 10_000);
  const headDimGiven = count('headDim', 10_000, true);
  const ffn = count('ffn', 10_000_000);
  const vocab = count('vocab', 10_000_000);
  const tied = fields.boolean('tiedEmbeddings', { optional });
  const qkvBias = fields.boolean('qkvBias', { optional: true });
  const gatedMlp = fields.boolean('gatedMlp', { optional: true });
  const qkNorm = fields.boolean('qkNorm', { optional: true });
  const normsPerLayer = fields.number('normsPerLayer', { optional: true, integer: true, min: 1, max: 16 });
  const moe = readMoe(fields, layers ?? base?.layers);
  const mla = readMla(fields);
  const bytesPerParameter = fields.number('bytesPerParameter', { optional: true, min: 0, exclusiveMin: true, max: 8, unit: 'bytes (2 for bf16)' });
  const sources = fields.strings('sources');
  if (sources !== undefined && sources.length === 0) fields.problem('sources', sources, 'must name where the shape comes from (at least one string)');

  const headsValue = heads ?? base?.heads;
  const kvHeadsValue = kvHeads ?? base?.kvHeads;
  const hiddenValue = hidden ?? base?.hidden;
  if (headsValue !== undefined && kvHeadsValue !== undefined && (kvHeadsValue > headsValue || headsValue % kvHeadsValue !== 0)) {
    fields.problem(kvHeads !== undefined ? 'kvHeads' : 'heads', kvHeads ?? heads, `kvHeads (${kvHeadsValue}) must divide heads (${headsValue})`);
  }
  let headDim = headDimGiven ?? (hidden === undefined && heads === undefined ? base?.headDim : undefined);
  if (headDim === undefined && hiddenValue !== undefined && headsValue !== undefined) {
    if (hiddenValue % headsValue !== 0) fields.problem('headDim', undefined, `is needed: hidden (${hiddenValue}) is not a multiple of heads (${headsValue})`);
    else headDim = hiddenValue / headsValue;
  }
  fields.throwIfAny();

  return {
    id: id!,
    name: name ?? base?.name ?? id!,
    layers: (layers ?? base?.layers)!,
    hidden: hiddenValue!,
    heads: headsValue!,
    kvHeads: kvHeadsValue!,
    headDim: headDim!,
    ffn: (ffn ?? base?.ffn)!,
    vocab: (vocab ?? base?.vocab)!,
    tiedEmbeddings: (tied ?? base?.tiedEmbeddings)!,
    qkvBias: qkvBias ?? base?.qkvBias ?? false,
    gatedMlp: gatedMlp ?? base?.gatedMlp ?? true,
    ...((qkNorm ?? base?.qkNorm) !== undefined ? { qkNorm: (qkNorm ?? base?.qkNorm)! } : {}),
    ...((normsPerLayer ?? base?.normsPerLayer) !== undefined ? { normsPerLayer: (normsPerLayer ?? base?.normsPerLayer)! } : {}),
    ...((moe ?? base?.moe) ? { moe: (moe ?? base?.moe)! } : {}),
    ...((mla ?? base?.mla) ? { mla: (mla ?? base?.mla)! } : {}),
    bytesPerParameter: bytesPerParameter ?? base?.bytesPerParameter ?? 2,
    sources: [...(base ? [`extends catalog model '${base.id}'`, ...base.sources] : []), ...sources!.map((s) => `${doc.file}: ${s}`)],
  };
}

/** The optional `moe` object: experts, expertsPerToken, expertFfn (required), sharedExpertFfn, denseLayers, routerBias. */
function readMoe(fields: FieldReader, layers: number | undefined): MoeShape | undefined {
  const moe = fields.child('moe', { optional: true });
  if (!moe) return undefined;
  moe.rejectUnknown(MOE_FIELDS);
  const count = (key: string, optional = false, min = 1) => moe.number(key, { optional, integer: true, min, max: 10_000_000 });
  const experts = count('experts');
  const expertsPerToken = count('expertsPerToken');
  const expertFfn = count('expertFfn');
  const sharedExpertFfn = count('sharedExpertFfn', true, 0) ?? 0;
  const routerBias = moe.boolean('routerBias', { optional: true });
  const denseLayers = moe.has('denseLayers') ? moe.get('denseLayers') : [];
  if (!Array.isArray(denseLayers) || denseLayers.some((l) => !Number.isInteger(l) || (l as number) < 0 || (layers !== undefined && (l as number) >= layers))) {
    moe.problem('denseLayers', denseLayers, `must be a list of layer indices below layers (${layers})`);
    return undefined;
  }
  if (experts !== undefined && expertsPerToken !== undefined && expertsPerToken > experts) moe.problem('expertsPerToken', expertsPerToken, `must be at most experts (${experts})`);
  if (experts === undefined || expertsPerToken === undefined || expertFfn === undefined) return undefined;
  return { experts, expertsPerToken, expertFfn, sharedExpertFfn, denseLayers: denseLayers as number[], ...(routerBias ? { routerBias } : {}) };
}

/** The optional `mla` object: qLoraRank (0 for none), kvLoraRank, qkNopeHeadDim, qkRopeHeadDim, vHeadDim. */
function readMla(fields: FieldReader): MlaShape | undefined {
  const mla = fields.child('mla', { optional: true });
  if (!mla) return undefined;
  mla.rejectUnknown(MLA_FIELDS);
  const count = (key: string, min = 1) => mla.number(key, { integer: true, min, max: 1_000_000 });
  const qLoraRank = count('qLoraRank', 0);
  const kvLoraRank = count('kvLoraRank');
  const qkNopeHeadDim = count('qkNopeHeadDim');
  const qkRopeHeadDim = count('qkRopeHeadDim');
  const vHeadDim = count('vHeadDim');
  if (qLoraRank === undefined || kvLoraRank === undefined || qkNopeHeadDim === undefined || qkRopeHeadDim === undefined || vHeadDim === undefined) return undefined;
  return { qLoraRank, kvLoraRank, qkNopeHeadDim, qkRopeHeadDim, vHeadDim };
}
