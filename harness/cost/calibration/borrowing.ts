import { DEFAULT_COST_ASSUMPTIONS } from '../assumptions.js';
import type { GpuSpec } from '../types.js';
import { resolveParameters } from './resolve.js';
import type { Calibration } from './types.js';

/**
 * Where a GPU's kernel efficiencies come from, so a fidelity report can say how far to trust
 * figures on it: its own calibration ('own'), another GPU's of the same silicon ('same-silicon':
 * H800 → H100, A800 → A100, H200 → H100), another family's ('other-family': MI300X → H100,
 * GB200 → H100, L40S → A100, H20 → H100), or the named default efficiencies ('defaults': no
 * calibration covers it). The lead widens error bands for the last two.
 */
export type EfficiencyOrigin = 'own' | 'same-silicon' | 'other-family' | 'defaults';

export interface CalibrationBorrowing {
  readonly gpu: string;
  readonly origin: EfficiencyOrigin;
  /** The calibrated GPU whose efficiencies are used (absent for 'defaults'). */
  readonly from?: string;
  readonly reason: string;
}

/**
 * Judged by the GEMM efficiencies, the ones compute rides on, exactly where resolveParameters
 * (calibration/resolve.ts) takes them from: the GPU's own fit, else its calibrationAlias's, else the
 * defaults. (A device may have some groups of its own and borrow others: the power-capped H100
 * fits its serving-engine terms and borrows its kernels.) An alias of undeclared kind counts as
 * 'other-family'.
 */
export function calibrationBorrowing(gpu: GpuSpec, calibration: Calibration | undefined): CalibrationBorrowing {
  const origin = resolveParameters(gpu, calibration, DEFAULT_COST_ASSUMPTIONS).origins['kernel:gemm'];
  if (origin.kind === 'fitted') return { gpu: gpu.id, origin: 'own', from: gpu.id, reason: `fitted on ${gpu.id}'s own profiles` };
  if (origin.kind === 'borrowed') {
    const kind = gpu.calibrationAliasKind ?? 'other-family';
    const why = kind === 'same-silicon' ? 'the same silicon' : 'another GPU family or compute/memory balance';
    return { gpu: gpu.id, origin: kind, from: origin.device!, reason: `kernel efficiencies borrowed from ${origin.device}'s fit (${why}), applied as fractions of ${gpu.id}'s own peaks` };
  }
  return { gpu: gpu.id, origin: 'defaults', reason: calibration ? `the calibration covers neither ${gpu.id} nor an alias of it: named default efficiencies` : 'no calibration: named default efficiencies' };
}
