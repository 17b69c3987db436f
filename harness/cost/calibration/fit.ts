import { createRooflineCostModel, resolveAssumptions } from '../roofline/model.js';
import type { CostAssumptions } from '../assumptions.js';
import { defaultGpusPerNodeInCollective, linkBytesPerS, type CollectiveKey } from '../collectives.js';
import { layerShape, operatorCoefficients, type KernelClass, type LayerOperator } from '../operators.js';
import type { GpuSpec } from '../types.js';
import { minimize } from './nelder-mead.js';
import { apePct, predictRowS } from './predict.js';
import { groupConfigurations, type CalibrationRow, type Configuration, type FitGroup } from './profile-rows.js';
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
 * Fits a calibration from classified profile rows: per device, first the kernel classes (from
 * operator profiles) and the collectives (from NCCL profiles), then the serving-engine decode and
 * prefill terms (from end-to-end profiles) on top of the fitted kernels. Each group minimises
 * a robust loss of log(predicted / measured) over its measured configurations (repeats merged by their median)
 * with Nelder–Mead in a bounded (logistic) parameterisation.
 */

export const FIT_METHOD =
  'per (device, group): Nelder–Mead (adaptive, restarted) minimising a soft-L1 (pseudo-Huber, scale 10 %) loss of log(predicted/measured) over measured configurations (repeats merged by median, exact duplicate rows dropped), parameters bounded through a logistic transform; engine groups fitted on top of the fitted kernels';

/** Says what the engine groups describe: the serving engine the profiles were measured on, applied as the era 'splitwise-2023'. */
export const ENGINE_GROUPS_NOTE =
  "decode and prefill groups (and the attention kernels fitted with them) describe the serving engine the end-to-end profiles were measured on (SplitwiseSim, 2023–24); the cost model applies them under the serving-engine era 'splitwise-2023' (harness/cost/engine-eras.ts), and scenarios simulating another engine name theirs";

export interface FitOptions {
  readonly assumptions?: Partial<CostAssumptions>;
  readonly description?: string;
  readonly sources?: readonly CalibrationSource[];
  readonly dataDates?: readonly string[];
  readonly notes?: readonly string[];
  /** How a row's file is named in the provenance (e.g. relative to the shared data folder). */
  readonly sourceLabel?: (file: string) => string;
}

interface Bounded {
  readonly lo: number;
  readonly hi: number;
  readonly initial: number;
}

const logistic = (u: number) => 1 / (1 + Math.exp(-u));
const toValue = (b: Bounded, u: number) => b.lo + (b.hi - b.lo) * logistic(u);
const toSearch = (b: Bounded, value: number) => {
  const t = Math.min(1 - 1e-9, Math.max(1e-9, (value - b.lo) / (b.hi - b.lo)));
  return Math.log(t / (1 - t));
};

function fitBounded(bounds: readonly Bounded[], loss: (values: readonly number[]) => number): number[] {
  const decode = (u: readonly number[]) => u.map((ui, i) => toValue(bounds[i]!, ui));
  const result = minimize((u) => loss(decode(u)), bounds.map((b) => toSearch(b, b.initial)), { maxEvaluations: 3000 * bounds.length, step: 1 });
  // A parameter the data drive to its bound comes back as 1e-200 of it: call it the bound.
  return decode(result.x).map((value, i) => {
    const { lo, hi } = bounds[i]!;
    const span = hi - lo;
    if (value - lo < span * 1e-9) return lo;
    if (hi - value < span * 1e-9) return hi;
    return value;
  });
}

const EFFICIENCY = (initial: number): Bounded => ({ lo: 0.002, hi: 1, initial });
const SECONDS = (hi: number, initial: number): Bounded => ({ lo: 0, hi, initial });

/**
 * Soft-L1 (pseudo-Huber) loss on log(predicted / measured): quadratic within ≈ ROBUST_SCALE
 * (10 %), linear beyond, so a few broken measurements (SplitwiseSim's TP-2 batch-64 rows, which
 * are faster than batch 32) cannot drag every other configuration away from its fit.
 */
const ROBUST_SCALE = 0.1;

function logLoss(predicted: ArrayLike<number>, measured: ArrayLike<number>): number {
  let total = 0;
  const s2 = ROBUST_SCALE * ROBUST_SCALE;
  for (let i = 0; i < measured.length; i++) {
    const r = Math.log(predicted[i]! / measured[i]!);
    total += Math.sqrt(1 + (r * r) / s2) - 1;
  }
  return total;
}

function round6(value: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(6));
}

function extent(values: readonly number[]): readonly [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function medianOf(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

export function fitCalibration(rows: readonly CalibrationRow[], options: FitOptions = {}): Calibration {
  const assumptions = resolveAssumptions(options.assumptions);
  const label = options.sourceLabel ?? ((file: string) => file);
  const byDevice = new Map<string, Map<FitGroup, CalibrationRow[]>>();
  const gpus = new Map<string, GpuSpec>();
  for (const row of rows) {
    gpus.set(row.gpu.id, row.gpu);
    let groups = byDevice.get(row.gpu.id);
    if (!groups) byDevice.set(row.gpu.id, (groups = new Map()));
    const list = groups.get(row.group);
    if (list) list.push(row);
    else groups.set(row.group, [row]);
  }
  const deviceIds = [...byDevice.keys()].sort();
  const devices: Record<string, DeviceCalibration> = {};

  // Kernels and collectives first: the engine fits of every device (and of devices that borrow
  // through calibrationAlias) run on top of them.
  for (const id of deviceIds) {
    const gpu = gpus.get(id)!;
    const groups = byDevice.get(id)!;
    const kernels: Partial<Record<KernelClass, FittedKernel>> = {};
    const collectives: Partial<Record<CollectiveKey, FittedLink>> = {};
    for (const group of [...groups.keys()].sort()) {
      const groupRows = groups.get(group)!;
      if (group.startsWith('kernel:')) {
        const kernel = group.slice('kernel:'.length) as KernelClass;
        kernels[kernel] = fitKernel(gpu, groupRows, assumptions, label);
      } else if (group.startsWith('collective:')) {
        const key = group.slice('collective:'.length) as CollectiveKey;
        collectives[key] = fitCollective(gpu, key, groupRows, label);
      }
    }
    devices[id] = {
      ...(Object.keys(kernels).length > 0 ? { kernels: sortedRecord(kernels) } : {}),
      ...(Object.keys(collectives).length > 0 ? { collectives: sortedRecord(collectives) } : {}),
    };
  }
  const base = (): Calibration => assemble(devices, options);
  for (const id of deviceIds) {
    const gpu = gpus.get(id)!;
    const groups = byDevice.get(id)!;
    const decodeRows = groups.get('decode');
    if (decodeRows) {
      const fitted = fitDecode(gpu, decodeRows, base(), assumptions, label);
      devices[id] = { ...devices[id], decode: fitted.decode, kernels: sortedRecord({ ...devices[id]!.kernels, attention_decode: fitted.attention }) };
    }
    const prefillRows = groups.get('prefill');
    if (prefillRows) {
      const fitted = fitPrefill(gpu, prefillRows, base(), assumptions, label);
      devices[id] = { ...devices[id], prefill: fitted.prefill, kernels: sortedRecord({ ...devices[id]!.kernels, attention_prefill: fitted.attention }) };
    }
  }
  return base();
}

function assemble(devices: Record<string, DeviceCalibration>, options: FitOptions): Calibration {
  const sorted: Record<string, DeviceCalibration> = {};
  for (const id of Object.keys(devices).sort()) sorted[id] = devices[id]!;
  return {
    schema: CALIBRATION_SCHEMA,
    description: options.description ?? 'fitted from GPU profiles',
    provenance: {
      sources: options.sources ?? [],
      fitMethod: FIT_METHOD,
      dataDates: options.dataDates ?? [],
      generatedBy: 'rlhf-replay calibrate',
      notes: [...(options.notes ?? []), ENGINE_GROUPS_NOTE],
    },
    devices: sorted,
  };
}

function sortedRecord<K extends string, V>(record: Partial<Record<K, V>>): Partial<Record<K, V>> {
  const out: Partial<Record<K, V>> = {};
  for (const key of (Object.keys(record) as K[]).sort()) out[key] = record[key];
  return out;
}

function fitRecord(rows: readonly CalibrationRow[], configurations: number, predicted: (row: CalibrationRow) => number, range: ParameterRange, label: (f: string) => string): FitRecord {
  const errors = rows.map((r) => apePct(predicted(r), r.row.timeS));
  return {
    sources: [...new Set(rows.map((r) => label(r.row.file)))].sort(),
    rows: rows.length,
    configurations,
    models: [...new Set(rows.map((r) => r.model?.id ?? ''))].filter((m) => m !== '').sort(),
    ops: [...new Set(rows.map((r) => r.row.op))].sort(),
    inSampleMedianApePct: round6(medianOf(errors)),
    range,
  };
}

function tpRange(rows: readonly CalibrationRow[]) {
  return extent(rows.map((r) => r.row.tp));
}

// ---------------------------------------------------------------------------------------------
// Kernels: time = max(compute / mfu, memory / mbu) + overhead, with compute and memory at unit efficiency.
// ---------------------------------------------------------------------------------------------

function fitKernel(gpu: GpuSpec, rows: readonly CalibrationRow[], assumptions: CostAssumptions, label: (f: string) => string): FittedKernel {
  const unit = { mfu: 1, mbu: 1, overheadS: 0 };
  const features = (row: CalibrationRow) => {
    const op = row.row.op as LayerOperator;
    const c = operatorCoefficients(op, layerShape(row.model!, row.row.tp), gpu, unit, assumptions.gemmTileTokens);
    const n = row.row.tokens!;
    const computeTokens = c.tileTokens > 1 ? Math.ceil(n / c.tileTokens) * c.tileTokens : n;
    return { computeS: computeTokens * c.computeSPerToken, memoryS: c.fixedBytesS + n * c.bytesSPerToken };
  };
  const configurations = groupConfigurations(rows);
  const f = configurations.map((c) => features(c.first));
  const measured = Float64Array.from(configurations, (c) => c.medianTimeS);
  const predicted = new Float64Array(configurations.length);
  const hasCompute = f.some((x) => x.computeS > 0);
  const predict = (mfu: number, mbu: number, overheadS: number) => {
    for (let i = 0; i < f.length; i++) {
      const compute = f[i]!.computeS / mfu;
      const memory = f[i]!.memoryS / mbu;
      predicted[i] = (compute > memory ? compute : memory) + overheadS;
    }
    return predicted;
  };
  // Element-wise kernels do no FLOPs in this model: their mfu stays the default and is never used.
  let mfu = assumptions.defaultGemmMfu;
  let mbu: number;
  let overheadS: number;
  if (hasCompute) {
    [mfu, mbu, overheadS] = fitBounded([EFFICIENCY(0.6), EFFICIENCY(0.7), SECONDS(1e-3, 5e-6)], ([a, b, o]) => logLoss(predict(a!, b!, o!), measured)) as [number, number, number];
  } else {
    [mbu, overheadS] = fitBounded([EFFICIENCY(0.5), SECONDS(1e-3, 3e-6)], ([b, o]) => logLoss(predict(mfu, b!, o!), measured)) as [number, number];
  }
  const params = { mfu: round6(mfu), mbu: round6(mbu), overheadS: round6(overheadS) };
  const predictRow = (row: CalibrationRow) => {
    const x = features(row);
    return Math.max(x.computeS / params.mfu, x.memoryS / params.mbu) + params.overheadS;
  };
  const range: ParameterRange = { tokens: extent(rows.map((r) => r.row.tokens!)), tp: tpRange(rows) };
  return { ...params, fit: { ...fitRecord(rows, configurations.length, predictRow, range, label), fittedFields: hasCompute ? ['mfu', 'mbu', 'overheadS'] : ['mbu', 'overheadS'] } };
}

// ---------------------------------------------------------------------------------------------
// Collectives: latency + latencyPerHop·(n−1) + volume / (link · efficiency).
// ---------------------------------------------------------------------------------------------

function fitCollective(gpu: GpuSpec, key: CollectiveKey, rows: readonly CalibrationRow[], label: (f: string) => string): FittedLink {
  const allReduce = key.startsWith('all_reduce');
  const crossNode = key.endsWith('inter-node');
  const features = (row: CalibrationRow) => {
    const workers = row.row.workers!;
    const bytes = row.row.bytes!;
    if (allReduce) {
      const bandwidth = linkBytesPerS(gpu, crossNode ? 'inter-node' : 'intra-node', defaultGpusPerNodeInCollective(gpu, workers));
      return { hops: workers - 1, volumeS: workers > 1 ? ((2 * (workers - 1)) / workers) * (bytes / bandwidth) : 0 };
    }
    return { hops: 0, volumeS: bytes / linkBytesPerS(gpu, crossNode ? 'inter-node' : 'intra-node', 1) };
  };
  const configurations = groupConfigurations(rows);
  const f = configurations.map((c) => features(c.first));
  const measured = Float64Array.from(configurations, (c) => c.medianTimeS);
  const predicted = new Float64Array(configurations.length);
  const predict = (latencyS: number, perHopS: number, efficiency: number) => {
    for (let i = 0; i < f.length; i++) predicted[i] = latencyS + perHopS * f[i]!.hops + f[i]!.volumeS / efficiency;
    return predicted;
  };
  // A send/recv always has one hop: its per-hop latency cannot be told from its base latency.
  let latencyS: number;
  let latencyPerHopS = 0;
  let bandwidthEfficiency: number;
  if (allReduce) {
    [latencyS, latencyPerHopS, bandwidthEfficiency] = fitBounded([SECONDS(1e-2, 2e-5), SECONDS(1e-3, 1e-6), EFFICIENCY(0.5)], ([l, h, e]) => logLoss(predict(l!, h!, e!), measured)) as [number, number, number];
  } else {
    [latencyS, bandwidthEfficiency] = fitBounded([SECONDS(1e-2, 2e-5), EFFICIENCY(0.5)], ([l, e]) => logLoss(predict(l!, 0, e!), measured)) as [number, number];
  }
  const params = { latencyS: round6(latencyS), latencyPerHopS: round6(latencyPerHopS), bandwidthEfficiency: round6(bandwidthEfficiency) };
  const predictRow = (row: CalibrationRow) => {
    const x = features(row);
    return params.latencyS + params.latencyPerHopS * x.hops + x.volumeS / params.bandwidthEfficiency;
  };
  const range: ParameterRange = { bytes: extent(rows.map((r) => r.row.bytes!)), workers: extent(rows.map((r) => r.row.workers!)) };
  return { ...params, fit: { ...fitRecord(rows, configurations.length, predictRow, range, label), fittedFields: allReduce ? ['latencyS', 'latencyPerHopS', 'bandwidthEfficiency'] : ['latencyS', 'bandwidthEfficiency'] } };
}

// ---------------------------------------------------------------------------------------------
// Serving engine: decode and prefill terms fitted through the replica cost model itself.
// ---------------------------------------------------------------------------------------------

function engineFit(
  gpu: GpuSpec,
  rows: readonly CalibrationRow[],
  base: Calibration,
  assumptions: CostAssumptions,
  bounds: readonly Bounded[],
  withValues: (values: readonly number[]) => DeviceCalibration,
): { values: number[]; configurations: Configuration[]; calibrationWith: (values: readonly number[]) => Calibration } {
  const configurations = groupConfigurations(rows);
  const measured = Float64Array.from(configurations, (c) => c.medianTimeS);
  const predicted = new Float64Array(configurations.length);
  const calibrationWith = (values: readonly number[]): Calibration => ({
    ...base,
    devices: { ...base.devices, [gpu.id]: { ...base.devices[gpu.id], ...withValues(values) } },
  });
  const loss = (values: readonly number[]) => {
    const model = createRooflineCostModel(gpu, calibrationWith(values), { assumptions });
    for (let i = 0; i < configurations.length; i++) predicted[i] = predictRowS(model, configurations[i]!.first);
    return logLoss(predicted, measured);
  };
  return { values: fitBounded(bounds, loss), configurations, calibrationWith };
}

const PLACEHOLDER_FIT: FitRecord = { sources: [], rows: 0, configurations: 0, models: [], ops: [], inSampleMedianApePct: 0, range: {} };

function fitDecode(gpu: GpuSpec, rows: readonly CalibrationRow[], base: Calibration, assumptions: CostAssumptions, label: (f: string) => string) {
  const attentionMfu = assumptions.defaultAttentionMfu;
  const build = (v: readonly number[]) => {
    const decode: FittedDecode = { stepOverheadS: v[0]!, perSequenceS: v[1]!, perLayerS: v[2]!, perLayerPerTpPeerS: v[3]!, fit: PLACEHOLDER_FIT };
    const attention: FittedKernel = { mfu: attentionMfu, mbu: v[4]!, overheadS: 0, fit: PLACEHOLDER_FIT };
    return { decode, attention };
  };
  const { values, configurations, calibrationWith } = engineFit(
    gpu,
    rows,
    base,
    assumptions,
    [SECONDS(0.5, 1e-3), SECONDS(0.05, 1e-5), SECONDS(0.01, 2e-5), SECONDS(0.01, 5e-6), EFFICIENCY(0.5)],
    (v) => {
      const { decode, attention } = build(v);
      return { decode, kernels: { ...base.devices[gpu.id]?.kernels, attention_decode: attention } };
    },
  );
  const rounded = values.map(round6);
  const model = createRooflineCostModel(gpu, calibrationWith(rounded), { assumptions });
  const range: ParameterRange = {
    batch: extent(rows.map((r) => r.row.batch!)),
    contextTokens: [Math.min(...rows.map((r) => r.row.contextTokens!)), Math.max(...rows.map((r) => r.row.contextTokens! + r.row.outputTokens! - 1))],
    tp: tpRange(rows),
  };
  const fit = fitRecord(rows, configurations.length, (row) => predictRowS(model, row), range, label);
  const { decode, attention } = build(rounded);
  return {
    decode: { ...decode, fit: { ...fit, fittedFields: ['stepOverheadS', 'perSequenceS', 'perLayerS', 'perLayerPerTpPeerS'] } },
    attention: { ...attention, fit: { ...fit, fittedFields: ['mbu (mfu is the default assumption; the kernel overhead is part of perLayerS)'] } },
  };
}

function fitPrefill(gpu: GpuSpec, rows: readonly CalibrationRow[], base: Calibration, assumptions: CostAssumptions, label: (f: string) => string) {
  const attentionMbu = assumptions.defaultAttentionMbu;
  const build = (v: readonly number[]) => {
    const prefill: FittedPrefill = { overheadS: v[0]!, perSequenceS: v[1]!, perLayerS: v[2]!, kernelScale: v[3]!, packedAttentionFraction: v[5]!, fit: PLACEHOLDER_FIT };
    const attention: FittedKernel = { mfu: v[4]!, mbu: attentionMbu, overheadS: 0, fit: PLACEHOLDER_FIT };
    return { prefill, attention };
  };
  const { values, configurations, calibrationWith } = engineFit(
    gpu,
    rows,
    base,
    assumptions,
    [SECONDS(1, 1e-2), SECONDS(0.5, 1e-3), SECONDS(0.01, 1e-5), { lo: 0.25, hi: 10, initial: 1.5 }, EFFICIENCY(0.3), { lo: 0, hi: 1, initial: 0.5 }],
    (v) => {
      const { prefill, attention } = build(v);
      return { prefill, kernels: { ...base.devices[gpu.id]?.kernels, attention_prefill: attention } };
    },
  );
  const rounded = values.map(round6);
  const model = createRooflineCostModel(gpu, calibrationWith(rounded), { assumptions });
  const range: ParameterRange = { tokens: extent(rows.map((r) => r.row.tokens!)), batch: extent(rows.map((r) => r.row.batch!)), tp: tpRange(rows) };
  const fit = fitRecord(rows, configurations.length, (row) => predictRowS(model, row), range, label);
  const { prefill, attention } = build(rounded);
  return {
    prefill: { ...prefill, fit: { ...fit, fittedFields: ['overheadS', 'perSequenceS', 'perLayerS', 'kernelScale', 'packedAttentionFraction'] } },
    attention: { ...attention, fit: { ...fit, fittedFields: ['mfu (mbu is the default assumption; the kernel overhead is part of perLayerS)'] } },
  };
}
