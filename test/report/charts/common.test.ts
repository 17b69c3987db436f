import { describe, expect, it } from 'vitest';
import { bottomLegend, legendColumns, naturalCompare, NARROW_CHART_WIDTH_PX, wrapText } from '../../../harness/report/charts/common.js';

describe('naturalCompare', () => {
  it('orders numbers inside names as numbers', () => {
    expect(['max generation 2048', 'max generation 512', 'max generation 1024'].sort(naturalCompare)).toEqual(['max generation 512', 'max generation 1024', 'max generation 2048']);
    expect(['10 nodes', '20 nodes', '5 nodes'].sort(naturalCompare)).toEqual(['5 nodes', '10 nodes', '20 nodes']);
    expect(['Qwen2.5-7B, PPO', 'Qwen2.5-3B, PPO', 'Qwen2.5-3B, GRPO'].sort(naturalCompare)).toEqual(['Qwen2.5-3B, GRPO', 'Qwen2.5-3B, PPO', 'Qwen2.5-7B, PPO']);
    expect(naturalCompare('a', 'a')).toBe(0);
    expect(naturalCompare('a1', 'a1b')).toBeLessThan(0);
  });
});

describe('legends that fit the narrowest page', () => {
  it('takes as many columns as entries of the longest label fit in the narrow width', () => {
    // 'rlhfless-weak-predictor' is 23 characters: 16 + 6.2 × 23 + 12 = 170.6 px an entry, 2 in 360 px.
    expect(legendColumns(['verl', 'rlhfless', 'rlhfless-weak-predictor'])).toBe(2);
    expect(legendColumns(['a', 'b'])).toBe(2);
    expect(legendColumns(['x'.repeat(80)])).toBe(1);
    expect(legendColumns([])).toBe(1);
    expect(bottomLegend(['a'])).toEqual({ orient: 'bottom', direction: 'horizontal', columns: 1, labelLimit: NARROW_CHART_WIDTH_PX, titleLimit: NARROW_CHART_WIDTH_PX });
  });
});

describe('wrapText', () => {
  it('wraps at spaces onto lines of at most the given length, a long word whole', () => {
    expect(wrapText('Qwen2.5-3B, GRPO, livecodebench-like', 22)).toEqual(['Qwen2.5-3B, GRPO,', 'livecodebench-like']);
    expect(wrapText('short', 22)).toEqual(['short']);
    expect(wrapText('averyveryverylongwordindeed x', 10)).toEqual(['averyveryverylongwordindeed', 'x']);
  });

  it('breaks a word longer than a line after its - _ . / where it must, without adding spaces', () => {
    expect(wrapText('r03–r05 Qwen2.5-0.5B-bsz256_2-prompt1024-resp512-0.567.log', 24)).toEqual(['r03–r05', 'Qwen2.5-0.5B-bsz256_2-', 'prompt1024-resp512-0.', '567.log']);
    expect(wrapText('r03–r05 Qwen2.5-0.5B-bsz256_2-prompt1024-resp512-0.567.log', 24).join('')).toBe('r03–r05Qwen2.5-0.5B-bsz256_2-prompt1024-resp512-0.567.log');
  });
});
