import type { CostAssumptions } from '../assumptions.js';
import { COLLECTIVE_KEYS, type CollectiveKey, type CollectiveParameters, type LinkParameters } from '../collectives.js';
import { KERNEL_CLASSES, type KernelClass, type KernelEfficiencies, type KernelEfficiency } from '../operators.js';
import type { GpuSpec } from '../types.js';
import type { Calibration, DecodeEngineParameters, DeviceCalibration, FitRecord, ParameterRange, PrefillEngineParameters } from './types.js';

/**
 * The full parameter set a cost model runs on, for one GPU: each group from the GPU's own
 * calibration, else from its calibrationAlias's, else the named defaults — with where each came
 * from, and the fitted range (undefined when not fitted: every query is then out of range).
 */

export type ParameterGroup = `kernel:${KernelClass}` | `collective:${CollectiveKey}` | 'decode' | 'prefill';

export interface ParameterOrigin {
  /** 'fitted' on this GPU, 'borrowed' from the alias's fit, or 'default' (named assumptions). */
  readonly kind: 'fitted' | 'borrowed' | 'default';
  readonly device?: string;
  readonly range?: ParameterRange;
}

export interface ResolvedParameters {
  readonly kernels: KernelEfficiencies;
  readonly collectives: CollectiveParameters;
  readonly decode: DecodeEngineParameters;
  readonly prefill: PrefillEngineParameters;
  readonly origins: Readonly<Record<ParameterGroup, ParameterOrigin>>;
}

export const ZERO_DECODE_ENGINE: DecodeEngineParameters = { stepOverheadS: 0, perSequenceS: 0, perLayerS: 0, perLayerPerTpPeerS: 0 };
export const NEUTRAL_PREFILL_ENGINE: PrefillEngineParameters = { overheadS: 0, perSequenceS: 0, perLayerS: 0, kernelScale: 1, packedAttentionFraction: 0 };

export function defaultKernelEfficiency(kernel: KernelClass, a: CostAssumptions): KernelEfficiency {
  switch (kernel) {
    case 'gemm':
      return { mfu: a.defaultGemmMfu, mbu: a.defaultGemmMbu, overheadS: a.defaultKernelOverheadS };
    case 'attention_prefill':
    case 'attention_decode':
      return { mfu: a.defaultAttentionMfu, mbu: a.defaultAttentionMbu, overheadS: a.defaultKernelOverheadS };
    default:
      return { mfu: a.defaultGemmMfu, mbu: a.defaultElementwiseMbu, overheadS: a.defaultKernelOverheadS };
  }
}

export function defaultLinkParameters(a: CostAssumptions): LinkParameters {
  return { latencyS: a.defaultCollectiveLatencyS, latencyPerHopS: a.defaultCollectiveLatencyPerHopS, bandwidthEfficiency: a.defaultLinkEfficiency };
}

export function resolveParameters(gpu: GpuSpec, calibration: Calibration | undefined, assumptions: CostAssumptions): ResolvedParameters {
  const own = calibration?.devices[gpu.id];
  const aliasId = gpu.calibrationAlias;
  const alias = aliasId !== undefined && aliasId !== gpu.id ? calibration?.devices[aliasId] : undefined;
  const origins = {} as Record<ParameterGroup, ParameterOrigin>;

  function pick<T extends { fit: FitRecord }>(group: ParameterGroup, select: (device: DeviceCalibration) => T | undefined): T | undefined {
    const mine = own ? select(own) : undefined;
    if (mine) {
      origins[group] = { kind: 'fitted', device: gpu.id, range: mine.fit.range };
      return mine;
    }
    const borrowed = alias ? select(alias) : undefined;
    if (borrowed) {
      origins[group] = { kind: 'borrowed', device: aliasId!, range: borrowed.fit.range };
      return borrowed;
    }
    origins[group] = { kind: 'default' };
    return undefined;
  }

  const kernels = {} as Record<KernelClass, KernelEfficiency>;
  for (const kernel of KERNEL_CLASSES) {
    const fitted = pick(`kernel:${kernel}`, (device) => device.kernels?.[kernel]);
    kernels[kernel] = fitted ? { mfu: fitted.mfu, mbu: fitted.mbu, overheadS: fitted.overheadS } : defaultKernelEfficiency(kernel, assumptions);
  }
  const collectives = {} as Record<CollectiveKey, LinkParameters>;
  for (const key of COLLECTIVE_KEYS) {
    const fitted = pick(`collective:${key}`, (device) => device.collectives?.[key]);
    collectives[key] = fitted ? { latencyS: fitted.latencyS, latencyPerHopS: fitted.latencyPerHopS, bandwidthEfficiency: fitted.bandwidthEfficiency } : defaultLinkParameters(assumptions);
  }
  const decodeFit = pick('decode', (device) => device.decode);
  const prefillFit = pick('prefill', (device) => device.prefill);
  return {
    kernels,
    collectives,
    decode: decodeFit
      ? { stepOverheadS: decodeFit.stepOverheadS, perSequenceS: decodeFit.perSequenceS, perLayerS: decodeFit.perLayerS, perLayerPerTpPeerS: decodeFit.perLayerPerTpPeerS }
      : ZERO_DECODE_ENGINE,
    prefill: prefillFit
      ? {
          overheadS: prefillFit.overheadS,
          perSequenceS: prefillFit.perSequenceS,
          perLayerS: prefillFit.perLayerS,
          kernelScale: prefillFit.kernelScale,
          packedAttentionFraction: prefillFit.packedAttentionFraction,
        }
      : NEUTRAL_PREFILL_ENGINE,
    origins,
  };
}

/** One line per parameter group, for `--help`-style listings and reports. */
export function describeOrigins(resolved: ResolvedParameters): string[] {
  return (Object.keys(resolved.origins) as ParameterGroup[]).sort().map((group) => {
    const origin = resolved.origins[group];
    return `${group}: ${origin.kind}${origin.device ? ` (${origin.device})` : ''}`;
  });
}
