import { findGpu, GPU_CATALOG } from '../catalog/index.js';
import { COLLECTIVE_KEYS, type CollectiveKey } from '../collectives.js';
import { FieldReader, readJsonFile, type JsonDocument } from '../../util/json-input.js';
import { KERNEL_CLASSES, type KernelClass } from '../operators.js';
import {
  CALIBRATION_SCHEMA,
  type Calibration,
  type CalibrationSource,
  type DeviceCalibration,
  type FitRecord,
  type FittedDecode,
  type FittedKernel,
  type FittedLink,
  type FittedPrefill,
  type ParameterRange,
} from './types.js';

/**
 * Reads a calibration JSON (what `rlhf-replay calibrate --out` writes) and checks every field, so a
 * hand-edited file with an efficiency of 70 (percent, not a fraction) or an overhead in ms is
 * reported with its file, line, field and value instead of silently producing wrong times.
 */
export async function loadCalibration(path: string): Promise<Calibration> {
  return parseCalibration(await readJsonFile(path, 'calibration file'));
}

const RANGE_KEYS = ['tokens', 'batch', 'contextTokens', 'bytes', 'workers', 'tp'] as const;

export function parseCalibration(doc: JsonDocument): Calibration {
  const root = FieldReader.root(doc, 'calibration file');
  root.rejectUnknown(['schema', 'description', 'provenance', 'devices']);
  const schema = root.string('schema');
  if (schema !== undefined && schema !== CALIBRATION_SCHEMA) root.problem('schema', schema, `must be '${CALIBRATION_SCHEMA}'`);
  const description = root.string('description');
  const provenance = root.child('provenance');
  const sources: CalibrationSource[] = [];
  let provenanceFields: { fitMethod?: string; dataDates?: string[]; generatedBy?: string; notes?: string[] } = {};
  if (provenance) {
    provenance.rejectUnknown(['sources', 'fitMethod', 'dataDates', 'generatedBy', 'notes']);
    const list = provenance.object['sources'];
    if (!Array.isArray(list)) provenance.problem('sources', list, 'must be a list of {file, format, rows, provenance}');
    else
      list.forEach((item, i) => {
        const entry = new FieldReader(doc, (item ?? {}) as Record<string, unknown>, `provenance.sources[${i}].`, root.problems);
        const file = entry.string('file');
        const format = entry.string('format');
        const rows = entry.number('rows', { integer: true, min: 0 });
        const lines = entry.strings('provenance');
        if (file !== undefined && format !== undefined && rows !== undefined && lines !== undefined) sources.push({ file, format, rows, provenance: lines });
      });
    provenanceFields = {
      fitMethod: provenance.string('fitMethod'),
      dataDates: provenance.strings('dataDates'),
      generatedBy: provenance.string('generatedBy'),
      notes: provenance.strings('notes'),
    };
  }
  const devicesReader = root.child('devices');
  const devices: Record<string, DeviceCalibration> = {};
  if (devicesReader) {
    for (const id of Object.keys(devicesReader.object).sort()) {
      if (!findGpu(id)) devicesReader.problem(id, id, `is not a catalog GPU id (known: ${GPU_CATALOG.map((g) => g.id).join(', ')})`);
      const device = devicesReader.child(id);
      if (device) devices[id] = parseDevice(device);
    }
  }
  root.throwIfAny();
  return {
    schema: CALIBRATION_SCHEMA,
    description: description!,
    provenance: { sources, fitMethod: provenanceFields.fitMethod!, dataDates: provenanceFields.dataDates!, generatedBy: provenanceFields.generatedBy!, notes: provenanceFields.notes! },
    devices,
  };
}

function parseDevice(device: FieldReader): DeviceCalibration {
  device.rejectUnknown(['kernels', 'collectives', 'decode', 'prefill']);
  const out: { kernels?: Partial<Record<KernelClass, FittedKernel>>; collectives?: Partial<Record<CollectiveKey, FittedLink>>; decode?: FittedDecode; prefill?: FittedPrefill } = {};
  const kernels = device.child('kernels', { optional: true });
  if (kernels) {
    kernels.rejectUnknown(KERNEL_CLASSES);
    out.kernels = {};
    for (const kernel of KERNEL_CLASSES) {
      const k = kernels.child(kernel, { optional: true });
      if (!k) continue;
      k.rejectUnknown(['mfu', 'mbu', 'overheadS', 'fit']);
      const mfu = efficiency(k, 'mfu');
      const mbu = efficiency(k, 'mbu');
      const overheadS = seconds(k, 'overheadS');
      const fit = parseFit(k);
      if (mfu !== undefined && mbu !== undefined && overheadS !== undefined && fit) out.kernels[kernel] = { mfu, mbu, overheadS, fit };
    }
  }
  const collectives = device.child('collectives', { optional: true });
  if (collectives) {
    collectives.rejectUnknown(COLLECTIVE_KEYS);
    out.collectives = {};
    for (const key of COLLECTIVE_KEYS) {
      const c = collectives.child(key, { optional: true });
      if (!c) continue;
      c.rejectUnknown(['latencyS', 'latencyPerHopS', 'bandwidthEfficiency', 'fit']);
      const latencyS = seconds(c, 'latencyS');
      const latencyPerHopS = seconds(c, 'latencyPerHopS');
      const bandwidthEfficiency = efficiency(c, 'bandwidthEfficiency');
      const fit = parseFit(c);
      if (latencyS !== undefined && latencyPerHopS !== undefined && bandwidthEfficiency !== undefined && fit) out.collectives[key] = { latencyS, latencyPerHopS, bandwidthEfficiency, fit };
    }
  }
  const decode = device.child('decode', { optional: true });
  if (decode) {
    decode.rejectUnknown(['stepOverheadS', 'perSequenceS', 'perLayerS', 'perLayerPerTpPeerS', 'fit']);
    const values = ['stepOverheadS', 'perSequenceS', 'perLayerS', 'perLayerPerTpPeerS'].map((key) => seconds(decode, key));
    const fit = parseFit(decode);
    if (values.every((v) => v !== undefined) && fit) out.decode = { stepOverheadS: values[0]!, perSequenceS: values[1]!, perLayerS: values[2]!, perLayerPerTpPeerS: values[3]!, fit };
  }
  const prefill = device.child('prefill', { optional: true });
  if (prefill) {
    prefill.rejectUnknown(['overheadS', 'perSequenceS', 'perLayerS', 'kernelScale', 'packedAttentionFraction', 'fit']);
    const values = ['overheadS', 'perSequenceS', 'perLayerS'].map((key) => seconds(prefill, key));
    const kernelScale = prefill.number('kernelScale', { min: 0, exclusiveMin: true, max: 100, unit: '× (a multiplier, 1 = profiled kernel speed)' });
    const packed = prefill.number('packedAttentionFraction', { min: 0, max: 1, unit: 'fraction' });
    const fit = parseFit(prefill);
    if (values.every((v) => v !== undefined) && kernelScale !== undefined && packed !== undefined && fit)
      out.prefill = { overheadS: values[0]!, perSequenceS: values[1]!, perLayerS: values[2]!, kernelScale, packedAttentionFraction: packed, fit };
  }
  return out;
}

function efficiency(reader: FieldReader, key: string): number | undefined {
  return reader.number(key, { min: 0, exclusiveMin: true, max: 1, unit: 'fraction of peak (0–1, not percent)' });
}

/** Seconds; anything above 10 s per kernel or step is surely milliseconds or microseconds typed as seconds. */
function seconds(reader: FieldReader, key: string): number | undefined {
  return reader.number(key, { min: 0, max: 10, unit: 's' });
}

function parseFit(reader: FieldReader): FitRecord | undefined {
  const fit = reader.child('fit');
  if (!fit) return undefined;
  fit.rejectUnknown(['sources', 'rows', 'configurations', 'models', 'ops', 'inSampleMedianApePct', 'range', 'fittedFields']);
  const sources = fit.strings('sources');
  const rows = fit.number('rows', { integer: true, min: 0 });
  const configurations = fit.number('configurations', { integer: true, min: 0 });
  const models = fit.strings('models');
  const ops = fit.strings('ops');
  const inSample = fit.number('inSampleMedianApePct', { min: 0, unit: '%' });
  const fittedFields = fit.strings('fittedFields', { optional: true });
  const rangeReader = fit.child('range');
  const range: Record<string, readonly [number, number]> = {};
  if (rangeReader) {
    rangeReader.rejectUnknown(RANGE_KEYS);
    for (const key of RANGE_KEYS) {
      if (!rangeReader.has(key)) continue;
      const value = rangeReader.object[key];
      if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v)) || value[0] > value[1]) {
        rangeReader.problem(key, value, 'must be [low, high] with low ≤ high');
        continue;
      }
      range[key] = [value[0] as number, value[1] as number];
    }
  }
  if (sources === undefined || rows === undefined || configurations === undefined || models === undefined || ops === undefined || inSample === undefined || !rangeReader) return undefined;
  return { sources, rows, configurations, models, ops, inSampleMedianApePct: inSample, range: range as ParameterRange, ...(fittedFields ? { fittedFields } : {}) };
}
