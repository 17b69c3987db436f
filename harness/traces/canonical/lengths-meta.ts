import type { ProblemCollector } from '../problems.js';
import type { WorkloadMeta } from '../types.js';
import { describeJsonType, isPlainObject } from '../source/values.js';

/** The `format` value of a canonical response-length file's `$meta`. */
export const LENGTHS_FORMAT_ID = 'rlhf-replay.lengths';
export const LENGTHS_FORMAT_VERSION = 1;

/** The metadata a canonical response-length file records (the `$meta` object, snake_case as written). */
export interface LengthsFileMeta {
  readonly synthetic: boolean;
  readonly description?: string;
  readonly generator?: { readonly name: string; readonly seed: number; readonly parameters: string };
  readonly maxResponseTokens?: number;
  readonly maxResponseTokensSource?: 'given' | 'inferred' | 'recorded';
  readonly singleResponseGroups?: boolean;
  readonly notes: readonly string[];
  readonly derivedFrom?: { readonly format: string; readonly files: readonly string[] };
}

const META_KEYS = new Set([
  'format',
  'version',
  'synthetic',
  'description',
  'generator',
  'max_response_tokens',
  'max_response_tokens_source',
  'single_response_groups',
  'notes',
  'derived_from',
]);

/** The `$meta` object for a workload's metadata, keys in a fixed order so output is byte-stable. */
export function encodeLengthsMeta(meta: WorkloadMeta): Record<string, unknown> {
  const out: Record<string, unknown> = { format: LENGTHS_FORMAT_ID, version: LENGTHS_FORMAT_VERSION, synthetic: meta.synthetic };
  if (meta.description !== undefined) out.description = meta.description;
  if (meta.generator !== undefined) out.generator = { name: meta.generator.name, seed: meta.generator.seed, parameters: meta.generator.parameters };
  if (meta.maxResponseTokens !== undefined) out.max_response_tokens = meta.maxResponseTokens;
  if (meta.maxResponseTokensSource !== undefined) out.max_response_tokens_source = meta.maxResponseTokensSource;
  if (meta.singleResponseGroups !== undefined) out.single_response_groups = meta.singleResponseGroups;
  out.notes = [...meta.notes];
  if (meta.derivedFrom !== undefined) out.derived_from = { format: meta.derivedFrom.format, files: [...meta.derivedFrom.files] };
  return out;
}

/** Reads a `$meta` object; problems are reported against `file:line`. */
export function decodeLengthsMeta(value: unknown, file: string, line: number, problems: ProblemCollector): LengthsFileMeta | undefined {
  const before = problems.count;
  const report = (field: string, fieldValue: unknown, message: string): void => problems.add({ file, line, field: `$meta.${field}`, value: fieldValue, message });
  if (!isPlainObject(value)) {
    problems.add({ file, line, field: '$meta', value, message: `must be an object, not ${describeJsonType(value)}` });
    return undefined;
  }
  for (const key of Object.keys(value)) if (!META_KEYS.has(key)) report(key, value[key], `unknown key (known keys: ${[...META_KEYS].join(', ')})`);
  if (value.format !== LENGTHS_FORMAT_ID) report('format', value.format, `must be '${LENGTHS_FORMAT_ID}'`);
  if (value.version !== LENGTHS_FORMAT_VERSION) report('version', value.version, `unsupported version; this harness reads version ${LENGTHS_FORMAT_VERSION}`);
  if (typeof value.synthetic !== 'boolean') report('synthetic', value.synthetic, 'must be true or false (true only for generated traces)');
  if (value.description !== undefined && typeof value.description !== 'string') report('description', value.description, 'must be a string');
  let generator: LengthsFileMeta['generator'];
  if (value.generator !== undefined) {
    const g = value.generator;
    if (!isPlainObject(g) || typeof g.name !== 'string' || typeof g.seed !== 'number' || !Number.isInteger(g.seed) || typeof g.parameters !== 'string')
      report('generator', g, 'must be {"name": string, "seed": integer, "parameters": string}');
    else generator = { name: g.name, seed: g.seed, parameters: g.parameters };
  }
  const cap = value.max_response_tokens;
  if (cap !== undefined && (typeof cap !== 'number' || !Number.isInteger(cap) || cap < 1)) report('max_response_tokens', cap, 'must be a positive whole number of tokens');
  const capSource = value.max_response_tokens_source;
  if (capSource !== undefined && capSource !== 'given' && capSource !== 'inferred' && capSource !== 'recorded')
    report('max_response_tokens_source', capSource, "must be 'given', 'inferred' or 'recorded'");
  if (capSource !== undefined && cap === undefined) report('max_response_tokens_source', capSource, 'given without max_response_tokens');
  if (value.single_response_groups !== undefined && typeof value.single_response_groups !== 'boolean') report('single_response_groups', value.single_response_groups, 'must be true or false');
  const notes = value.notes ?? [];
  if (!Array.isArray(notes) || notes.some((note) => typeof note !== 'string')) report('notes', notes, 'must be an array of strings');
  let derivedFrom: LengthsFileMeta['derivedFrom'];
  if (value.derived_from !== undefined) {
    const d = value.derived_from;
    if (!isPlainObject(d) || typeof d.format !== 'string' || !Array.isArray(d.files) || d.files.some((f) => typeof f !== 'string'))
      report('derived_from', d, 'must be {"format": string, "files": [string, ...]}');
    else derivedFrom = { format: d.format, files: d.files as string[] };
  }
  if (problems.count !== before) return undefined;
  return {
    synthetic: value.synthetic as boolean,
    ...(value.description !== undefined ? { description: value.description as string } : {}),
    ...(generator ? { generator } : {}),
    ...(cap !== undefined ? { maxResponseTokens: cap as number } : {}),
    ...(capSource !== undefined ? { maxResponseTokensSource: capSource as 'given' | 'inferred' | 'recorded' } : {}),
    ...(value.single_response_groups !== undefined ? { singleResponseGroups: value.single_response_groups as boolean } : {}),
    notes: notes as string[],
    ...(derivedFrom ? { derivedFrom } : {}),
  };
}

/**
 * Builds the WorkloadMeta of a canonical file from its `$meta` (or its absence) and the
 * reader's options. A cap given by the caller overrides the recorded one.
 */
export function workloadMetaFromFile(format: string, path: string, fileMeta: LengthsFileMeta | undefined, maxResponseTokens: number | undefined): WorkloadMeta {
  const notes = [...(fileMeta?.notes ?? [])];
  if (!fileMeta) notes.push('no $meta line: assumed recorded data (synthetic: false) with no known length cap');
  let cap = fileMeta?.maxResponseTokens;
  let capSource = fileMeta?.maxResponseTokensSource ?? (cap !== undefined ? 'recorded' : undefined);
  if (maxResponseTokens !== undefined) {
    if (cap !== undefined && cap !== maxResponseTokens) notes.push(`length cap ${maxResponseTokens} given, overriding the file's ${cap}`);
    cap = maxResponseTokens;
    capSource = 'given';
  }
  return {
    format,
    sources: [path],
    synthetic: fileMeta?.synthetic ?? false,
    ...(fileMeta?.description !== undefined ? { description: fileMeta.description } : {}),
    ...(fileMeta?.generator ? { generator: fileMeta.generator } : {}),
    ...(cap !== undefined ? { maxResponseTokens: cap, maxResponseTokensSource: capSource } : {}),
    ...(fileMeta?.singleResponseGroups !== undefined ? { singleResponseGroups: fileMeta.singleResponseGroups } : {}),
    notes,
    ...(fileMeta?.derivedFrom ? { derivedFrom: fileMeta.derivedFrom } : {}),
  };
}
