import { FieldReader, readJsonFile, type JsonDocument } from '../../util/json-input.js';
import { SERVING_ENGINES } from '../engine-eras.js';
import { FRAMEWORK_PARAMETERS, GPU_FAMILIES, TRAINING_ENGINES, type FrameworkCalibration, type FrameworkParameterValue, type FrameworkScope, type StageErrorSummary } from './types.js';

/**
 * Reads a framework calibration (what `rlhf-replay calibrate --runs … --out` writes) and checks
 * every field: a hand-edited kernel scale of 0 or an overhead in milliseconds is reported with
 * file, line, field and value instead of silently bending every simulated time.
 */
export async function loadFrameworkCalibration(path: string): Promise<FrameworkCalibration> {
  return parseFrameworkCalibration(await readJsonFile(path, 'framework calibration'));
}

/** Plausible ranges: a scale of 10 or an overhead of a minute per micro-batch is a unit error, not a fit. */
const VALUE_RANGE: Readonly<Record<string, readonly [number, number]>> = {
  fsdpKernelScale: [0.1, 10],
  megatronKernelScale: [0.1, 10],
  gpuKernelScale: [0.1, 10],
  fsdpPassOverheadS: [0, 10],
  megatronPassOverheadS: [0, 10],
  decodeSequenceOverheadS: [0, 0.01],
  decodeTpSyncOverheadS: [0, 0.01],
};

function parameterValue(reader: FieldReader): FrameworkParameterValue | undefined {
  reader.rejectUnknown(['name', 'scope', 'value', 'runs']);
  const name = reader.oneOf('name', FRAMEWORK_PARAMETERS);
  const value = reader.number('value', { min: 0 });
  const runs = reader.strings('runs');
  const scopeReader = reader.child('scope');
  let scope: FrameworkScope | undefined;
  if (scopeReader) {
    scopeReader.rejectUnknown(['all', 'servingEngine', 'gpu']);
    if (scopeReader.has('all')) scope = { all: true };
    else if (scopeReader.has('servingEngine')) {
      const engine = scopeReader.oneOf('servingEngine', SERVING_ENGINES);
      if (engine) scope = { servingEngine: engine };
    } else if (scopeReader.has('gpu')) {
      const gpu = scopeReader.string('gpu');
      if (gpu) scope = { gpu };
    } else scopeReader.objectProblem('must name one of all, servingEngine, gpu');
  }
  if (name !== undefined && value !== undefined) {
    const [low, high] = VALUE_RANGE[name]!;
    if (value < low || value > high) reader.problem('value', value, `must be within [${low}, ${high}] for ${name}`);
  }
  return name !== undefined && value !== undefined && runs !== undefined && scope !== undefined ? { name, scope, value, runs } : undefined;
}

function errorSummaries(reader: FieldReader | undefined): Record<string, StageErrorSummary> {
  const out: Record<string, StageErrorSummary> = {};
  if (!reader) return out;
  for (const stage of Object.keys(reader.object).sort()) {
    const entry = reader.child(stage);
    if (!entry) continue;
    entry.rejectUnknown(['n', 'medianAbsErrorPct', 'p90AbsErrorPct', 'bandLogRatioLow', 'bandLogRatioHigh', 'bandGuaranteed']);
    const n = entry.number('n', { integer: true, min: 1 });
    const median = entry.number('medianAbsErrorPct', { min: 0 });
    const p90 = entry.number('p90AbsErrorPct', { min: 0 });
    const low = entry.number('bandLogRatioLow');
    const high = entry.number('bandLogRatioHigh');
    const guaranteed = entry.boolean('bandGuaranteed');
    if (n !== undefined && median !== undefined && p90 !== undefined && low !== undefined && high !== undefined && guaranteed !== undefined) {
      if (low > high) entry.problem('bandLogRatioLow', low, 'must not exceed bandLogRatioHigh');
      out[stage] = { n, medianAbsErrorPct: median, p90AbsErrorPct: p90, bandLogRatioLow: low, bandLogRatioHigh: high, bandGuaranteed: guaranteed };
    }
  }
  return out;
}

export function parseFrameworkCalibration(doc: JsonDocument): FrameworkCalibration {
  const root = FieldReader.root(doc, 'framework calibration');
  root.rejectUnknown(['kind', 'description', 'parameters', 'fit', 'inSample', 'leaveOneRunOut', 'folds', 'bandCoverage', 'covered', 'notes']);
  if (root.string('kind') !== 'framework-calibration') root.problem('kind', root.get('kind'), "must be 'framework-calibration'");
  const description = root.string('description') ?? '';
  const parameters = (root.children('parameters') ?? []).map(parameterValue).filter((p): p is FrameworkParameterValue => p !== undefined);
  const fitReader = root.child('fit');
  fitReader?.rejectUnknown(['sources', 'runs', 'steps', 'stages', 'method', 'command']);
  const fit = {
    sources: fitReader?.strings('sources') ?? [],
    runs: fitReader?.strings('runs') ?? [],
    steps: fitReader?.number('steps', { integer: true, min: 0 }) ?? 0,
    stages: fitReader?.strings('stages') ?? [],
    method: fitReader?.string('method') ?? '',
    command: fitReader?.string('command') ?? '',
  };
  const folds = (root.children('folds') ?? []).map((fold) => {
    fold.rejectUnknown(['heldOutRun', 'parameters']);
    return {
      heldOutRun: fold.string('heldOutRun') ?? '',
      parameters: (fold.children('parameters') ?? []).map(parameterValue).filter((p): p is FrameworkParameterValue => p !== undefined),
    };
  });
  const coverageReader = root.child('bandCoverage');
  const bandCoverage: Record<string, { n: number; inside: number }> = {};
  for (const stage of Object.keys(coverageReader?.object ?? {}).sort()) {
    const entry = coverageReader!.child(stage)!;
    entry.rejectUnknown(['n', 'inside']);
    const n = entry.number('n', { integer: true, min: 0 });
    const inside = entry.number('inside', { integer: true, min: 0 });
    if (n !== undefined && inside !== undefined) bandCoverage[stage] = { n, inside };
  }
  const coveredReader = root.child('covered');
  coveredReader?.rejectUnknown(['gpuFamilies', 'trainingEngines', 'servingEngines', 'modelParametersB', 'gpus']);
  const pair = (key: string): readonly [number, number] => {
    const value = coveredReader?.get(key);
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return [value[0] as number, value[1] as number];
    coveredReader?.problem(key, value, 'must be [low, high]');
    return [0, 0];
  };
  const listOf = <T extends string>(key: string, allowed: readonly T[]): T[] => {
    const values = coveredReader?.strings(key) ?? [];
    for (const v of values) if (!(allowed as readonly string[]).includes(v)) coveredReader?.problem(key, v, `must list values of ${allowed.join(', ')}`);
    return values as T[];
  };
  const calibration: FrameworkCalibration = {
    kind: 'framework-calibration',
    description,
    parameters,
    fit,
    inSample: errorSummaries(root.child('inSample')),
    leaveOneRunOut: errorSummaries(root.child('leaveOneRunOut')),
    folds,
    bandCoverage,
    covered: {
      gpuFamilies: listOf('gpuFamilies', GPU_FAMILIES),
      trainingEngines: listOf('trainingEngines', TRAINING_ENGINES),
      servingEngines: listOf('servingEngines', SERVING_ENGINES),
      modelParametersB: pair('modelParametersB'),
      gpus: pair('gpus'),
    },
    notes: root.strings('notes') ?? [],
  };
  root.throwIfAny();
  return calibration;
}
