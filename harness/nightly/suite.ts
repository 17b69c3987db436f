import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { benchSuites } from '../bench/index.js';
import { findGpu, findModel } from '../cost/catalog/index.js';
import { isValidCaseId } from '../jobs/cases.js';
import { findScheduler, schedulers } from '../schedulers/index.js';
import { flexFusionInstances } from '../schedulers/rlhfuse/fused-pipeline/flexfusion-instances.js';
import { InputError } from '../util/input-error.js';
import { FieldReader, OBJECT_SCOPED_STYLE, readJsonFile } from '../util/json-input.js';
import { DEFAULT_TIMING_RULE } from './timing-rule.js';
import { COST_QUERY_OPS, SIM_METRICS, TRACE_STATS_METRICS, type CostQuery, type CostQueryOp, type NightlyCase, type Tolerance, type TimingRule } from './types.js';

/**
 * The nightly suite file (baselines/nightly/suite.json): which cases run, with what tolerance and
 * timing rule. Entries expand into cases (a sim-figure entry into one case per scheduler).
 * Paths inside are relative to the suite file. See harness/nightly/README.md for the format.
 */
type WithoutBaselines<T> = T extends unknown ? Omit<T, 'baselines'> : never;
export type NightlyCaseSpec = WithoutBaselines<NightlyCase>;

export interface NightlySuite {
  readonly file: string;
  /** Folder the suite's relative paths are resolved against. */
  readonly dir: string;
  readonly description: string;
  readonly seed: number;
  readonly cases: readonly NightlyCaseSpec[];
}

/** Deterministic figures default to agreeing to 1e-9 relative: exact up to floating-point reassociation. */
export const DEFAULT_TOLERANCE: Tolerance = { kind: 'close', relative: 1e-9, absolute: 0 };

const ID_TEXT = 'letters, digits and ._/+=@- (no spaces or colons)';
const KINDS = ['sim-figure', 'cost-model', 'trace-stats', 'pipeline-search', 'bench'] as const;
const COMMON = ['id', 'kind', 'tolerance', 'timing', 'description'];

function readTolerance(reader: FieldReader, fallback: Tolerance): Tolerance {
  if (!reader.has('tolerance')) return fallback;
  const value = reader.get('tolerance');
  if (value === 'exact') return { kind: 'exact' };
  const child = typeof value === 'object' && value !== null && !Array.isArray(value) ? reader.child('tolerance') : undefined;
  if (!child) {
    reader.problem('tolerance', value, `must be "exact" or { "relative": r, "absolute": a } (pass when |current − baseline| ≤ a + r·|baseline|)`);
    return fallback;
  }
  child.rejectUnknown(['relative', 'absolute']);
  const relative = child.number('relative', { optional: true, min: 0 }) ?? 0;
  const absolute = child.number('absolute', { optional: true, min: 0 }) ?? 0;
  if (!child.has('relative') && !child.has('absolute')) child.objectProblem('needs "relative", "absolute" or both');
  return { kind: 'close', relative, absolute };
}

function readTimingRule(reader: FieldReader | undefined, fallback: TimingRule): TimingRule {
  if (!reader) return fallback;
  reader.rejectUnknown(['alpha', 'minEffectPct', 'minSamples', 'confirmRuns', 'environment']);
  return {
    alpha: reader.number('alpha', { optional: true, min: 0, exclusiveMin: true, max: 0.5 }) ?? fallback.alpha,
    minEffectPct: reader.number('minEffectPct', { optional: true, min: 0 }) ?? fallback.minEffectPct,
    minSamples: reader.number('minSamples', { optional: true, integer: true, min: 2 }) ?? fallback.minSamples,
    confirmRuns: reader.number('confirmRuns', { optional: true, integer: true, min: 0, max: 10 }) ?? fallback.confirmRuns,
    environment: reader.oneOf('environment', ['require-match', 'ignore'] as const, { optional: true }) ?? fallback.environment,
  };
}

function existingFile(reader: FieldReader, key: string, dir: string): string | undefined {
  const path = reader.string(key);
  if (path === undefined) return undefined;
  const absolute = resolve(dir, path);
  if (!existsSync(absolute)) reader.problem(key, path, `file not found (paths are relative to the suite file: ${absolute})`);
  else if (!statSync(absolute).isFile()) reader.problem(key, path, 'is not a file');
  return path;
}

function readQueries(reader: FieldReader): CostQuery[] {
  const entries = reader.children('queries') ?? [];
  if (reader.has('queries') && entries.length === 0) reader.problem('queries', reader.get('queries'), 'must list at least one query');
  const names = new Set<string>();
  const queries: CostQuery[] = [];
  const needs: Record<CostQueryOp, readonly string[]> = {
    prefill: ['tokens', 'sequences'],
    decodeStep: ['batch', 'contextTokens'],
    decodeSteps: ['batch', 'contextTokens', 'steps'],
    forward: ['tokens', 'sequences'],
    trainStageForward: ['tokens', 'sequences'],
    trainStageBackward: ['tokens', 'sequences'],
    kvCapacityTokens: ['memoryUtilization'],
    allReduce: ['bytes', 'workers', 'crossNode'],
    transfer: ['bytes', 'placement'],
  };
  for (const query of entries) {
    const name = query.string('name', { pattern: /^[^:\n]+$/, patternText: 'a name without colons' });
    if (name !== undefined && names.has(name)) query.problem('name', name, 'is used by two queries of this case');
    if (name !== undefined) names.add(name);
    const op = query.oneOf('op', COST_QUERY_OPS);
    if (op === undefined || name === undefined) continue;
    query.rejectUnknown(['name', 'op', ...needs[op]]);
    const fields: Record<string, unknown> = { name, op };
    for (const field of needs[op]) {
      if (field === 'crossNode') fields[field] = query.boolean(field);
      else if (field === 'placement') fields[field] = query.oneOf(field, ['same-gpu', 'same-node', 'other-node'] as const);
      else if (field === 'memoryUtilization') fields[field] = query.number(field, { min: 0, exclusiveMin: true, max: 1 });
      else fields[field] = query.number(field, { integer: field !== 'bytes', min: field === 'bytes' ? 0 : 1 });
    }
    queries.push(fields as unknown as CostQuery);
  }
  return queries;
}

function checkMetrics(reader: FieldReader, key: string, metrics: readonly string[] | undefined, known: readonly string[], extraPattern?: RegExp): void {
  for (const metric of metrics ?? []) {
    if (!known.includes(metric) && !(extraPattern && extraPattern.test(metric))) reader.problem(key, metric, `unknown metric; known: ${known.join(', ')}${extraPattern ? ', stages.<stage>' : ''}`);
  }
  if (metrics && new Set(metrics).size !== metrics.length) reader.problem(key, metrics, 'lists a metric twice');
}

function readEntry(entry: FieldReader, dir: string, defaults: { tolerance: Tolerance; timing: TimingRule }): NightlyCaseSpec[] {
  const id = entry.string('id', { pattern: /^[A-Za-z0-9._/+=@-]+$/, patternText: ID_TEXT });
  const kind = entry.oneOf('kind', KINDS);
  if (kind === undefined || id === undefined) return [];
  const tolerance = readTolerance(entry, defaults.tolerance);
  const timing = readTimingRule(entry.child('timing', { optional: true }), defaults.timing);
  entry.string('description', { optional: true });
  const base = { id, tolerance, timing };
  switch (kind) {
    case 'sim-figure': {
      entry.rejectUnknown([...COMMON, 'scenario', 'trace', 'schedulers', 'metrics', 'iterations', 'seed', 'keepTraceBatches']);
      const scenario = existingFile(entry, 'scenario', dir);
      const trace = existingFile(entry, 'trace', dir);
      const names = entry.strings('schedulers', { nonEmpty: true }) ?? [];
      for (const name of names) if (!findScheduler(name)) entry.problem('schedulers', name, `unknown scheduler; known: ${schedulers.map((s) => s.name).join(', ')}`);
      if (new Set(names).size !== names.length) entry.problem('schedulers', names, 'lists a scheduler twice');
      const metrics = entry.strings('metrics', { nonEmpty: true });
      checkMetrics(entry, 'metrics', metrics, SIM_METRICS, /^stages\.[A-Za-z0-9_-]+$/);
      const iterations = entry.number('iterations', { optional: true, integer: true, min: 1 }) ?? 1;
      const seed = entry.number('seed', { optional: true, integer: true, min: 0, max: 0xffffffff });
      const keepTraceBatches = entry.boolean('keepTraceBatches', { optional: true }) ?? false;
      if (scenario === undefined || trace === undefined || metrics === undefined) return [];
      return names.map((scheduler) => ({
        ...base,
        id: `${id}/${scheduler}`,
        kind,
        scenario,
        trace,
        scheduler,
        metrics,
        iterations,
        ...(seed !== undefined ? { seed } : {}),
        keepTraceBatches,
      }));
    }
    case 'cost-model': {
      entry.rejectUnknown([...COMMON, 'gpu', 'model', 'tp', 'pp', 'calibration', 'queries']);
      const gpu = entry.string('gpu');
      if (gpu !== undefined && !findGpu(gpu)) entry.problem('gpu', gpu, 'not in the GPU catalog (harness/cost/catalog/gpus.ts)');
      const model = entry.string('model');
      if (model !== undefined && !findModel(model)) entry.problem('model', model, 'not in the model catalog (harness/cost/catalog/models.ts)');
      const tp = entry.number('tp', { optional: true, integer: true, min: 1 }) ?? 1;
      const pp = entry.number('pp', { optional: true, integer: true, min: 1 }) ?? 1;
      const calibration = entry.string('calibration', { optional: true }) ?? 'shipped';
      if (calibration !== 'shipped' && calibration !== 'none') existingFile(entry, 'calibration', dir);
      const queries = readQueries(entry);
      if (gpu === undefined || model === undefined) return [];
      return [{ ...base, kind, gpu, model, tp, pp, calibration, queries }];
    }
    case 'trace-stats': {
      entry.rejectUnknown([...COMMON, 'trace', 'metrics']);
      const trace = existingFile(entry, 'trace', dir);
      const metrics = entry.strings('metrics', { optional: true, nonEmpty: true }) ?? [...TRACE_STATS_METRICS];
      checkMetrics(entry, 'metrics', metrics, TRACE_STATS_METRICS);
      if (trace === undefined) return [];
      return [{ ...base, kind, trace, metrics }];
    }
    case 'pipeline-search': {
      entry.rejectUnknown([...COMMON, 'instance', 'latencyEvaluations', 'memoryEvaluations', 'seed']);
      const instance = entry.number('instance', { integer: true, min: 0, max: flexFusionInstances.length - 1 });
      const latencyEvaluations = entry.number('latencyEvaluations', { optional: true, integer: true, min: 0 }) ?? 20_000;
      const memoryEvaluations = entry.number('memoryEvaluations', { optional: true, integer: true, min: 0 }) ?? 2_000;
      const seed = entry.number('seed', { optional: true, integer: true, min: 0, max: 0xffffffff });
      if (instance === undefined) return [];
      return [{ ...base, kind, instance, latencyEvaluations, memoryEvaluations, ...(seed !== undefined ? { seed } : {}) }];
    }
    case 'bench': {
      entry.rejectUnknown([...COMMON, 'suite', 'quick', 'repeats', 'figures']);
      const suite = entry.string('suite');
      if (suite !== undefined && !benchSuites.some((s) => s.name === suite)) entry.problem('suite', suite, `unknown benchmark suite; known: ${benchSuites.map((s) => s.name).join(', ')}`);
      const quick = entry.boolean('quick', { optional: true }) ?? true;
      const repeats = entry.number('repeats', { optional: true, integer: true, min: 1, max: 100 }) ?? 3;
      const figures = entry.strings('figures', { optional: true, nonEmpty: true });
      if (suite === undefined) return [];
      return [{ ...base, kind, suite, quick, repeats, ...(figures ? { figures } : {}) }];
    }
  }
}

/** Parses and validates a suite document; every problem is reported at once (InputError, exit 2). */
export function parseSuite(doc: { file: string; text: string; value: unknown }): NightlySuite {
  const root = FieldReader.root(doc, 'nightly suite', OBJECT_SCOPED_STYLE);
  root.rejectUnknown(['$schema', 'description', 'seed', 'defaults', 'cases']);
  const description = root.string('description', { optional: true }) ?? '';
  const seed = root.number('seed', { optional: true, integer: true, min: 0, max: 0xffffffff }) ?? 1;
  const defaultsReader = root.child('defaults', { optional: true });
  defaultsReader?.rejectUnknown(['tolerance', 'timing']);
  const defaults = {
    tolerance: defaultsReader ? readTolerance(defaultsReader, DEFAULT_TOLERANCE) : DEFAULT_TOLERANCE,
    timing: readTimingRule(defaultsReader?.child('timing', { optional: true }), DEFAULT_TIMING_RULE),
  };
  const dir = dirname(doc.file);
  const entries = root.children('cases') ?? [];
  if (root.has('cases') && Array.isArray(root.get('cases')) && (root.get('cases') as unknown[]).length === 0) root.problem('cases', [], 'must list at least one case');
  const cases: NightlyCaseSpec[] = [];
  const firstSeen = new Map<string, string>();
  entries.forEach((entry) => {
    for (const spec of readEntry(entry, dir, defaults)) {
      if (!isValidCaseId(spec.id)) entry.problem('id', spec.id, `expands to an id that is not ${ID_TEXT}`);
      const previous = firstSeen.get(spec.id);
      if (previous !== undefined) entry.problem('id', spec.id, `case id is already used by ${previous}`);
      else firstSeen.set(spec.id, entry.prefix.replace(/\.$/, ''));
      cases.push(spec);
    }
  });
  root.throwIfAny();
  return { file: doc.file, dir, description, seed, cases };
}

export async function loadSuite(path: string): Promise<NightlySuite> {
  const doc = await readJsonFile(path, 'nightly suite');
  if (!doc) throw new InputError({ file: path, message: 'nightly suite: file not found' });
  return parseSuite(doc);
}
