import { describe, expect, it } from 'vitest';
import { parseGpuType } from '../../../harness/traces/recorded-runs/gpu-type.js';

describe('parseGpuType', () => {
  it('reads vendor, name and memory', () => {
    expect(parseGpuType('AMD MI300')).toEqual({ text: 'AMD MI300', vendor: 'AMD', models: ['MI300'], comments: [] });
    expect(parseGpuType('H20 96GB')).toEqual({ text: 'H20 96GB', models: ['H20'], memoryGb: 96, comments: [] });
    expect(parseGpuType('H100 80 GB')).toEqual({ text: 'H100 80 GB', models: ['H100'], memoryGb: 80, comments: [] });
    expect(parseGpuType('H20')).toEqual({ text: 'H20', models: ['H20'], comments: [] });
  });

  it('reads alternatives and a stated peak', () => {
    expect(parseGpuType('A100/A800 (312 TFLOPS peak back-computed from perf/mfu/actor)')).toEqual({
      text: 'A100/A800 (312 TFLOPS peak back-computed from perf/mfu/actor)',
      models: ['A100', 'A800'],
      peakTflops: 312,
      comments: ['peak back-computed from perf/mfu/actor'],
    });
  });

  it('keeps what it does not understand', () => {
    expect(parseGpuType('some cloud GPU').unparsed).toBe('some cloud GPU');
  });
});
