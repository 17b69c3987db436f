import { describe, expect, it } from 'vitest';
import { gpuById } from '../../../harness/cost/catalog/index.js';
import { resolveFramework } from '../../../harness/cost/framework/resolve.js';
import type { FrameworkCalibration } from '../../../harness/cost/framework/types.js';

const calibration: FrameworkCalibration = {
  kind: 'framework-calibration',
  description: 'test',
  parameters: [
    { name: 'fsdpKernelScale', scope: { all: true }, value: 1.6, runs: ['a', 'b'] },
    { name: 'fsdpPassOverheadS', scope: { all: true }, value: 0.03, runs: ['a', 'b'] },
    { name: 'decodeSequenceOverheadS', scope: { servingEngine: 'vllm-2024-eager' }, value: 1.5e-4, runs: ['a'] },
    { name: 'gpuKernelScale', scope: { gpu: 'mi300x' }, value: 1.4, runs: ['b'] },
  ],
  fit: { sources: [], runs: ['a', 'b'], steps: 2, stages: [], method: '', command: '' },
  inSample: {},
  leaveOneRunOut: {},
  folds: [],
  bandCoverage: {},
  covered: { gpuFamilies: ['amd-cdna3', 'nvidia-ampere'], trainingEngines: ['fsdp'], servingEngines: ['vllm-2024-eager'], modelParametersB: [0.5, 8], gpus: [1, 8] },
  notes: [],
};
const context = { trainingEngines: ['fsdp' as const], servingEngine: 'vllm-2024-eager' as const, gpu: gpuById('a100-80gb'), modelParametersB: 7, gpus: 8 };

describe('resolving a framework calibration for a simulation', () => {
  it('gives a covered context its fitted values and nothing else', () => {
    expect(resolveFramework(calibration, context)).toEqual({
      assumptions: { fsdpKernelScale: 1.6, fsdpPassOverheadS: 0.03, decodeSequenceOverheadS: 1.5e-4, megatronKernelScale: 1.6, megatronPassOverheadS: 0.03 },
      outsideCalibration: [],
    });
  });

  it('lends a training engine the fit never saw the fitted engine’s values, and says so when that engine is used', () => {
    const megatron = resolveFramework(calibration, { ...context, trainingEngines: ['megatron'] });
    expect(megatron.assumptions.megatronKernelScale).toBe(1.6);
    expect(megatron.outsideCalibration.filter((r) => /megatron/.test(r))).toHaveLength(2);
  });

  it('keeps an unseen serving engine’s own terms (host overheads belong to an engine build)', () => {
    const graphs = resolveFramework(calibration, { ...context, servingEngine: 'vllm-2024' });
    expect(graphs.assumptions.decodeSequenceOverheadS).toBeUndefined();
    expect(graphs.outsideCalibration.join(' ')).toMatch(/vllm-2024 keeps its era’s own terms/);
  });

  it('counts an unseen serving engine as one reason however many of its terms were fitted (each reason widens the band)', () => {
    const two = { ...calibration, parameters: [...calibration.parameters, { name: 'decodeTpSyncOverheadS' as const, scope: { servingEngine: 'vllm-2024-eager' as const }, value: 2e-4, runs: ['a'] }] };
    const graphs = resolveFramework(two, { ...context, servingEngine: 'vllm-v1' });
    expect(graphs.assumptions.decodeTpSyncOverheadS).toBeUndefined();
    expect(graphs.outsideCalibration.filter((r) => /serving engine/.test(r))).toEqual(['decodeSequenceOverheadS and decodeTpSyncOverheadS were fitted for servingEngine=vllm-2024-eager only: serving engine vllm-v1 keeps its era’s own terms']);
  });

  it('applies a GPU kernel scale to that GPU only, and names a borrowing GPU it has not seen', () => {
    expect(resolveFramework(calibration, { ...context, gpu: gpuById('mi300x') }).assumptions.gpuKernelScale).toBe(1.4);
    const h20 = resolveFramework(calibration, { ...context, gpu: gpuById('h20') });
    expect(h20.assumptions.gpuKernelScale).toBeUndefined();
    // one reason, not two: the GPU's borrowed efficiencies and its uncovered family are the same gap
    expect(h20.outsideCalibration).toEqual(['h20 borrows the kernel efficiencies of h100-sxm (another family) and no recorded run on it was fitted']);
    expect(resolveFramework(calibration, { ...context, gpu: gpuById('h100-sxm') }).outsideCalibration).toEqual(['no recorded run on a nvidia-hopper GPU']);
  });

  it('lists a model size or GPU count outside the covered range', () => {
    const big = resolveFramework(calibration, { ...context, modelParametersB: 70, gpus: 64 });
    expect(big.outsideCalibration).toEqual(['model of 70 B parameters, outside the calibrated 0.5–8 B', '64 GPUs, outside the calibrated 1–8']);
  });
});
