import { describe, expect, it } from 'vitest';
import { runCase } from '../../harness/jobs/cases.js';
import { nightlyKind, type Measurer } from '../../harness/nightly/measure-and-compare.js';
import { DEFAULT_TOLERANCE } from '../../harness/nightly/suite.js';
import { DEFAULT_TIMING_RULE } from '../../harness/nightly/timing-rule.js';
import type { Environment, NightlyCase, NightlyCaseResult, TimingComparison } from '../../harness/nightly/types.js';

const ENV: Environment = { platform: 'linux', arch: 'x64', cpuModel: 'cpu', cpus: 2, nodeMajor: 20 };
const BASE = [10, 10.2, 10.4, 10.6, 10.8, 11];
const SLOW = BASE.map((v) => v * 1.5);

/** A measurer that reports scripted samples per attempt, and one deterministic figure. */
function scripted(attempts: number[][]): { measurer: Measurer<NightlyCase>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    measurer: {
      kind: 'bench',
      async measure(_c, { attempt }) {
        calls++;
        return {
          figures: [
            { name: 'loop', unit: 'ms', mode: 'timing', better: 'lower', value: 0, samples: attempts[attempt]! },
            { name: 'count', unit: 'items', mode: 'exact', value: 42 },
          ],
          notes: [],
          environment: ENV,
        };
      },
    },
  };
}

async function judge(attempts: number[][], baselineEnv: Environment = ENV, confirmRuns = 1) {
  const { measurer, calls } = scripted(attempts);
  const testCase = {
    id: 'c',
    kind: 'bench',
    tolerance: DEFAULT_TOLERANCE,
    timing: { ...DEFAULT_TIMING_RULE, confirmRuns },
    baselines: { loop: { value: 10.5, unit: 'ms', runs: [BASE], environment: baselineEnv }, count: { value: 41, unit: 'items' } },
  };
  const outcome = await runCase({ bench: nightlyKind(measurer) }, testCase as never, 1, '/');
  if (outcome.status !== 'ok') throw new Error(JSON.stringify(outcome));
  const result = outcome.result as NightlyCaseResult;
  return { loop: result.figures[0]!.comparison as TimingComparison, count: result.figures[1]!.comparison, calls: calls(), figure: result.figures[0]! };
}

describe('nightlyKind: compare, then confirm suspected timing regressions', () => {
  it('reports a regression only when the re-run confirms it, and keeps the re-run’s judgement', async () => {
    const confirmed = await judge([SLOW, SLOW]);
    expect(confirmed.loop.verdict).toBe('regression');
    expect(confirmed.loop.confirmations).toHaveLength(1);
    expect(confirmed.loop.confirmations![0]!.verdict).toBe('regression');
    expect(confirmed.calls).toBe(2);
    expect(confirmed.figure.environment).toEqual(ENV);
  });

  it('drops a suspected regression the re-run does not show', async () => {
    const { loop, calls } = await judge([SLOW, BASE]);
    expect(loop.verdict).toBe('unchanged');
    expect(loop.reason).toMatch(/^suspected regression \(median \+50\.0 %, p = 0\.0011\) not confirmed on re-run \(median \+0\.0 %, p = /);
    expect(calls).toBe(2);
  });

  it('re-runs nothing when nothing is suspected, and as often as the rule says otherwise', async () => {
    expect((await judge([BASE])).calls).toBe(1);
    const twice = await judge([SLOW, SLOW, SLOW], ENV, 2);
    expect(twice.calls).toBe(3);
    expect(twice.loop.confirmations).toHaveLength(2);
    expect((await judge([SLOW], ENV, 0)).loop.verdict).toBe('regression');
  });

  it('does not compare timings from another kind of machine', async () => {
    const { loop, calls } = await judge([SLOW], { ...ENV, cpuModel: 'other cpu' });
    expect(loop.verdict).toBe('incomparable');
    expect(loop.reason).toBe('baseline measured on other cpu ×2, linux-x64, Node 20, this run on cpu ×2, linux-x64, Node 20; re-record it on this machine kind with --update-baseline');
    expect(calls).toBe(1);
  });

  it('compares deterministic figures within the tolerance', async () => {
    const { count } = await judge([BASE]);
    expect(count).toEqual({ mode: 'exact', verdict: 'changed', baseline: 41, absoluteChange: 1, relativeChange: 1 / 41 });
  });
});
