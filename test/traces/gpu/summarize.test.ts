import { describe, expect, it } from 'vitest';
import { KernelClassifier } from '../../../harness/traces/gpu/kernel-classes.js';
import { niceCeil, summarizeGpuTrace } from '../../../harness/traces/gpu/summarize.js';
import { GpuTraceBuilder } from '../../../harness/traces/gpu/trace-builder.js';

/**
 * Two ranks, one GPU each, times in seconds:
 *   rank 0 / GPU 0: GEMM [0,1] stream 7, NCCL [0.5,1.5] stream 20, element-wise [2,3], GEMM [5,6];
 *                   ProfilerStep#1 [0,4], #2 [4,8]; "forward" (CPU) [0,1.5] and [4,5.5];
 *                   "backward" on the CPU [2,3] and on the GPU [2,3.2].
 *   rank 1 / GPU 1: GEMM [0,2]; ProfilerStep#1 [0,5]; "forward" (CPU) [0,1].
 */
function twoRankTrace() {
  const b = new GpuTraceBuilder('kineto', new KernelClassifier());
  const t = (s: number) => b.relativeS(s, 1);
  const r0 = b.addSource('rank0.json');
  b.addOp(r0, 0, 'kernel', 'ampere_sgemm_128x64_nn', t(0), t(1), 7);
  b.addOp(r0, 0, 'kernel', 'ncclDevKernel_AllReduce_Sum_bf16_RING_LL', t(0.5), t(1.5), 20);
  b.addOp(r0, 0, 'kernel', 'void at::native::vectorized_elementwise_kernel<4>', t(2), t(3), 7);
  b.addOp(r0, 0, 'kernel', 'ampere_sgemm_128x64_nn', t(5), t(6), 7);
  b.addAnnotation({ name: 'ProfilerStep#1', source: 'cpu', fileIndex: r0, startS: t(0), endS: t(4) });
  b.addAnnotation({ name: 'ProfilerStep#2', source: 'cpu', fileIndex: r0, startS: t(4), endS: t(8) });
  b.addAnnotation({ name: 'forward', source: 'cpu', fileIndex: r0, startS: t(0), endS: t(1.5) });
  b.addAnnotation({ name: 'forward', source: 'cpu', fileIndex: r0, startS: t(4), endS: t(5.5) });
  b.addAnnotation({ name: 'backward', source: 'cpu', fileIndex: r0, startS: t(2), endS: t(3) });
  b.addAnnotation({ name: 'backward', source: 'gpu', fileIndex: r0, deviceIndex: 0, startS: t(2), endS: t(3.2) });
  b.addRank({ file: 'rank0.json', rank: 0, worldSize: 4 });
  b.describeDevice(r0, 0, { rank: 0, rawName: 'NVIDIA H800', catalogId: 'h800' });
  const r1 = b.addSource('rank1.json');
  b.addOp(r1, 1, 'kernel', 'ampere_sgemm_128x64_nn', t(0), t(2), 7);
  b.addAnnotation({ name: 'ProfilerStep#1', source: 'cpu', fileIndex: r1, startS: t(0), endS: t(5) });
  b.addAnnotation({ name: 'forward', source: 'cpu', fileIndex: r1, startS: t(0), endS: t(1) });
  b.addRank({ file: 'rank1.json', rank: 1, worldSize: 4 });
  b.describeDevice(r1, 1, { rank: 1 });
  return b.build();
}

describe('summarizeGpuTrace', () => {
  const summary = summarizeGpuTrace(twoRankTrace(), { idleGapS: 0.9, binS: 2 });

  it('spans the recorded activity and annotations, and names GPUs by rank', () => {
    expect(summary.spanS).toBe(8);
    expect(summary.gpus.map((g) => [g.id, g.rank, g.name, g.device])).toEqual([
      ['rank0.gpu0', 0, 'NVIDIA H800', 'h800'],
      ['rank1.gpu1', 1, null, null],
    ]);
  });

  it('takes the union over streams for busy time, not the sum', () => {
    // GPU 0: [0,1] ∪ [0.5,1.5] = 1.5, + 1 + 1 = 3.5 s busy of 8 (the plain sum would be 4).
    expect(summary.gpus.map((g) => [g.busyS, g.busyFraction, g.kernels])).toEqual([
      [3.5, 3.5 / 8, 4],
      [2, 0.25, 1],
    ]);
  });

  it('lists idle gaps at or above the threshold, including the tail of the span', () => {
    expect(summary.gpus[0]?.idle).toEqual({
      gaps: 2,
      totalS: 4,
      longest: [
        { startS: 3, durationS: 2 },
        { startS: 6, durationS: 2 },
      ],
    });
    expect(summary.gpus[1]?.idle).toEqual({ gaps: 1, totalS: 6, longest: [{ startS: 2, durationS: 6 }] });
  });

  it('sums operation time per class and gives the NCCL share', () => {
    expect(summary.byKernelClass).toEqual({ gemm: 4, attention: 0, nccl: 1, elementwise: 1, memcpy: 0, other: 0 });
    expect(summary.ncclShare).toBe(1 / 6);
    expect(summary.gpus[0]?.ncclS).toBe(1);
  });

  it('uses GPU-side ranges for a stage where a rank recorded them, CPU-side otherwise', () => {
    expect(summary.stages).toEqual([
      // forward: CPU ranges [0,1.5], [4,5.5] on rank 0 and [0,1] on rank 1; GPU busy inside: 1.5 + 0.5 + 1.
      { name: 'forward', source: 'cpu', count: 3, totalS: 4, meanS: 4 / 3, gpuBusyS: 3 },
      // backward: the GPU range [2,3.2] replaces the CPU one; GPU 0 is busy [2,3] inside it.
      { name: 'backward', source: 'gpu', count: 1, totalS: 1.2000000000000002, meanS: 1.2000000000000002, gpuBusyS: 1 },
    ]);
  });

  it('times steps by the slowest rank, with stage time per step', () => {
    expect(summary.steps).toEqual([
      {
        step: 1,
        files: 2,
        source: 'cpu',
        startS: 0,
        durationS: 5,
        meanDurationS: 4.5,
        // GPU 0 busy 2.5 of its 4 s step, GPU 1 busy 2 of its 5 s step.
        busyFraction: (2.5 / 4 + 2 / 5) / 2,
        stagesS: { backward: 0.6000000000000001, forward: 1.25 },
      },
      { step: 2, files: 1, source: 'cpu', startS: 4, durationS: 4, meanDurationS: 4, busyFraction: 0.25, stagesS: { forward: 1.5 } },
    ]);
  });

  it('bins utilisation over time per GPU', () => {
    expect(summary.utilization).toEqual({
      binS: 2,
      bins: 4,
      series: [
        { gpu: 'rank0.gpu0', measure: 'kernel-union', utilization: [0.75, 0.5, 0.5, 0] },
        { gpu: 'rank1.gpu1', measure: 'kernel-union', utilization: [1, 0, 0, 0] },
      ],
    });
  });

  it('says when only some ranks were recorded', () => {
    expect(summary.notes).toContain('2 of 4 ranks recorded: figures describe these ranks only');
  });

  it('chooses 1-2-5 bin widths', () => {
    expect([0.0013, 0.002, 0.0031, 0.007, 0.5, 3].map(niceCeil)).toEqual([0.002, 0.002, 0.005, 0.01, 0.5, 5]);
    expect(summarizeGpuTrace(twoRankTrace(), { idleGapS: 1 }).utilization.binS).toBe(0.02);
  });
});
