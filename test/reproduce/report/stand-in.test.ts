import { describe, expect, it } from 'vitest';
import type { TraceChoiceFigure } from '../../../harness/reproduce/compare.js';
import { lengthStatsTable, meetsPaperTail, PAPER_TAIL_RATIO, traceChoiceArgument, traceChoiceTable, traceLengthStats } from '../../../harness/reproduce/report/stand-in.js';

describe('length statistics of a candidate trace', () => {
  it('computes the quantiles, the tail ratio and what each cap cuts, by hand', () => {
    // 1000 responses: 1..1000 tokens.
    const lengths = Array.from({ length: 1000 }, (_, i) => i + 1);
    const s = traceLengthStats('sharegpt', 'T', 'recorded', lengths);
    expect(s.medianTokens).toBe(500.5);
    // Type-7 quantiles of 1..1000: 1 + 999·p.
    expect(s.p99Tokens).toBeCloseTo(1 + 999 * 0.99, 9);
    expect(s.p999Tokens).toBeCloseTo(1 + 999 * 0.999, 9);
    expect(s.tailRatio).toBeCloseTo((1 + 999 * 0.999) / 500.5, 9);
    expect(s.beyondCapPct).toEqual({ 512: 48.8, 1024: 0, 2048: 0 });
    expect(meetsPaperTail(s)).toBe(false);
  });

  it('asks for RLHFuse’s tail (p99.9 ≥ 10 × median) and lengths beyond the middle cap', () => {
    const tailed = [...Array(990).fill(100), ...Array(10).fill(3000)];
    const s = traceLengthStats('polytrace-dapo', 'D', 'recorded', tailed);
    expect(s.tailRatio).toBe(30);
    expect(PAPER_TAIL_RATIO).toBe(10);
    expect(meetsPaperTail(s)).toBe(true);
    expect(meetsPaperTail({ ...s, beyondCapPct: { 512: 1, 1024: 0, 2048: 0 } })).toBe(false);
    expect(lengthStatsTable([s]).rows[0]).toMatchObject({ role: 'default', median: 100, max: 3000, ratio: 30, beyond1024: 1, beyond2048: 1 });
  });
});

describe('the trace choice in the report', () => {
  const figure: TraceChoiceFigure = {
    id: 'rlhfuse.speedup-vs-base',
    unit: '×',
    published: { min: 1.2, max: 1.4 },
    target: { low: 1.14, high: 1.47 },
    traces: [
      { source: 'polytrace-dapo', reproduced: { mean: 1.155, ciLow: 1.09, ciHigh: 1.23 }, status: 'reproduced' },
      { source: 'sharegpt', reproduced: { mean: 1.1, ciLow: 1.05, ciHigh: 1.15 }, status: 'overlaps' },
      { source: 'azure-conv', reproduced: null, status: 'failed', reason: 'r' },
    ],
  };

  it('puts each trace’s value and status side by side, the default first', () => {
    const table = traceChoiceTable([figure]);
    expect(table.columns.map((c) => c.label)).toEqual(['Figure', 'Published', 'PolyTrace DAPO (Qwen2.5-32B math RL)', 'Status', 'ShareGPT turns (sarathi-serve stats)', 'Status', 'Azure LLM inference, conversation (2023)', 'Status']);
    expect(table.rows[0]).toEqual({ id: 'rlhfuse.speedup-vs-base', published: '1.2–1.4 ×', v0: '1.155 × [1.09, 1.23]', s0: 'within tolerance', v1: '1.1 × [1.05, 1.15]', s1: 'CI overlaps target', v2: '—', s2: 'not computed' });
  });

  it('states the rule first, never the count of figures on target, and keeps the default when only it has the tail', () => {
    const dapo = traceLengthStats('polytrace-dapo', 'DAPO', 'recorded', [...Array(990).fill(100), ...Array(10).fill(3000)]);
    const chat = traceLengthStats('sharegpt', 'ShareGPT', 'recorded', Array.from({ length: 1000 }, (_, i) => i + 1));
    const [rule, measured, verdict, counts] = traceChoiceArgument([dapo, chat], [figure]);
    expect(rule).toContain('Which trace lands more figures in their targets is not a criterion');
    expect(measured).toContain('DAPO: median 100 tokens, p99.9 3000 (30 × the median)');
    expect(verdict).toBe('Only DAPO meets the rule, so it stays the default.');
    expect(counts).toContain('PolyTrace DAPO (Qwen2.5-32B math RL): 1 of 1 within tolerance, 0 CI overlaps target, 0 missed');
    const [, , noDefault] = traceChoiceArgument([{ ...dapo, tailRatio: 2 }, chat], [figure]);
    expect(noDefault).toContain('does not meet the rule on this run');
  });
});
