import { describe, expect, it } from 'vitest';
import type { CaseOutcome } from '../../../harness/jobs/cases.js';
import type { AsyncWhatIfPlan } from '../../../harness/whatif/async/plan.js';
import { asyncWhatIfExitCode, summarizeAsyncWhatIf } from '../../../harness/whatif/async/report.js';
import type { AsyncRunsResult, RunResult } from '../../../harness/whatif/async/runs.js';
import { formatAsyncWhatIf } from '../../../harness/whatif/async/report-text.js';
import { asyncWhatIfPage } from '../../../harness/whatif/async/report-page.js';

/**
 * A plan written out by hand: 8 GPUs co-located (verl); splits 2:6 and 4:4 of 8 GPUs, one-step-off
 * and fully-async at staleness 0.5; the 6:2 split of one-step-off infeasible.
 */
const split = (rollout: number) => ({ totalGpus: 8, rolloutGpus: rollout, trainerGpus: 8 - rollout, requestedShares: [] });
const osa = { scheduler: 'one-step-off' as const };
const fa = { scheduler: 'fully-async' as const, stalenessThreshold: 0.5, requireBatches: 1, triggerParameterSyncStep: 4, partialRollout: true };
const id = (rollout: number, key: string) => `g0008/r000${rollout}/${key}`;
const FA = 'fully-async/staleness=0.5/require=1/trigger=4/partial=true';
const common = { kind: 'whatif-async-runs' as const, scenario: 's.json', trace: 't.jsonl', keepTraceBatches: false, replaySeed: 1, bandSchedulers: ['verl', 'one-step-off', 'fully-async'] };
const plan: AsyncWhatIfPlan = {
  command: 'whatif-async',
  seed: 1,
  cases: [
    { ...common, id: 'co-located', runs: [{ id: 'co-located', scheduler: 'verl', parameters: {} }] },
    { ...common, id: 'g0008/r0002', runs: [{ id: id(2, 'one-step-off'), scheduler: 'one-step-off', parameters: {} }, { id: id(2, FA), scheduler: 'fully-async', parameters: {} }] },
    { ...common, id: 'g0008/r0004', runs: [{ id: id(4, 'one-step-off'), scheduler: 'one-step-off', parameters: {} }, { id: id(4, FA), scheduler: 'fully-async', parameters: {} }] },
  ],
  config: {
    scenario: 's.json',
    trace: 't.jsonl',
    scenarioName: 'test',
    traceIterations: 3,
    recorded: null,
    scenarioSha256: '',
    traceSha256: '',
    baseline: 'verl',
    colocatedGpus: 8,
    priceUsdPerGpuHour: 3.6,
    gpus: [8],
    splits: null,
    rolloutGpus: [2, 4, 6],
    rules: { rolloutUnit: 2, trainerUnit: 2 },
    grid: { schedulers: ['one-step-off', 'fully-async'], staleness: [0.5], requireBatches: [1], trigger: [4], partialRollout: [true] },
    inherited: { 'one-step-off': {}, 'fully-async': { 'ulysses-sp': 2 } },
    points: [
      { id: id(2, 'one-step-off'), caseId: 'g0008/r0002', split: split(2), config: osa },
      { id: id(2, FA), caseId: 'g0008/r0002', split: split(2), config: fa },
      { id: id(4, 'one-step-off'), caseId: 'g0008/r0004', split: split(4), config: osa },
      { id: id(4, FA), caseId: 'g0008/r0004', split: split(4), config: fa },
      { id: id(6, 'one-step-off'), caseId: 'g0008/r0006', split: split(6), config: osa, problem: 'too small' },
      { id: id(6, FA), caseId: 'g0008/r0006', split: split(6), config: fa, problem: 'too small' },
    ],
  },
};

/** A run's result: step time, samples/s, cost and stale share; the band ×0.8 to ×1.25 of a step. */
function ran(runId: string, scheduler: string, stepTimeS: number, samplesPerS: number, costUsd: number, stale?: number, samples = 1000): RunResult {
  return {
    id: runId,
    scheduler,
    status: 'ok',
    figures: { iterations: 2, iterationTimesS: [stepTimeS, stepTimeS], stepTimeS, samples, samplesPerS, gpuSecondsAllocated: 8 * stepTimeS, costUsd, counters: stale === undefined ? {} : { stale_samples_frac: stale, policy_lag_mean_versions: stale } },
    bandFactors: { step: { low: 0.8, high: 1.25 } },
    bandNote: 'the bands',
    notes: scheduler === 'verl' ? [] : [`${scheduler} note`, `${runId} own note`],
  };
}

const ok = (caseId: string, runs: RunResult[]): CaseOutcome<AsyncRunsResult> => ({ id: caseId, kind: 'whatif-async-runs', status: 'ok', result: { costModel: 'cost', inputNotes: ['input note'], runs } });

//   co-located 100 s, 10 samples/s, 2 USD, stale 0
//   2:6 one-step-off 80 s, 12.5/s, 1.6 USD, stale 1      → 1.25 ×; fastest: on the frontier
//   2:6 fully-async  90 s, 11.1/s, 1.8 USD, stale 0.3    → on (fresher than one-step-off, faster than co-located)
//   4:4 one-step-off 85 s, 11.76/s, 1.7 USD, stale 1     → off (2:6 one-step-off is better on all three)
//   4:4 fully-async  90 s, 11.1/s, 1.8 USD, stale 0.3    → ties 2:6 fully-async on all three: on, both
const outcomes: CaseOutcome<AsyncRunsResult>[] = [
  ok('co-located', [ran('co-located', 'verl', 100, 10, 2)]),
  ok('g0008/r0002', [ran(id(2, 'one-step-off'), 'one-step-off', 80, 12.5, 1.6, 1), ran(id(2, FA), 'fully-async', 90, 100 / 9, 1.8, 0.3)]),
  ok('g0008/r0004', [ran(id(4, 'one-step-off'), 'one-step-off', 85, 200 / 17, 1.7, 1), ran(id(4, FA), 'fully-async', 90, 100 / 9, 1.8, 0.3)]),
];

describe('summarizeAsyncWhatIf', () => {
  const report = summarizeAsyncWhatIf(plan, [...outcomes].reverse());

  it('reports the baseline with its band', () => {
    expect(report.baseline).toEqual({ id: 'co-located', scheduler: 'verl', gpus: 8, iterations: 2, stepTimeS: 100, stepTimeBand80S: [80, 125], samplesPerStep: 1000, samplesPerS: 10, gpuSecondsAllocated: 800, costUsd: 2, costBand80Usd: [1.6, 2.5], staleShare: 0, onFrontier: true });
  });

  it('gives every point its speedup (samples/s over the baseline’s), band and counters; infeasible ones with their reason', () => {
    expect(report.points.map((p) => [p.id, p.status, p.speedupX, p.stepTimeBand80S, p.staleShare, p.reason])).toEqual([
      [id(2, 'one-step-off'), 'ok', 1.25, [64, 100], 1, null],
      [id(2, FA), 'ok', 100 / 9 / 10, [72, 112.5], 0.3, null],
      [id(4, 'one-step-off'), 'ok', 200 / 17 / 10, [68, 106.25], 1, null],
      [id(4, FA), 'ok', 100 / 9 / 10, [72, 112.5], 0.3, null],
      [id(6, 'one-step-off'), 'infeasible', null, null, null, 'too small'],
      [id(6, FA), 'infeasible', null, null, null, 'too small'],
    ]);
    expect(report.points[1]).toMatchObject({ config: 'fully-async, staleness 0.5', rolloutShare: 0.25, trainerGpus: 6, policyLagMeanVersions: 0.3 });
  });

  it('puts on the frontier what nothing beats on time, cost and staleness (ties both), in step-time order', () => {
    expect(report.points.filter((p) => p.onFrontier).map((p) => p.id)).toEqual([id(2, 'one-step-off'), id(2, FA), id(4, FA)]);
    expect(report.frontier.map((f) => [f.id, f.stepTimeS])).toEqual([
      [id(2, 'one-step-off'), 80],
      [id(2, FA), 90],
      [id(4, FA), 90],
      ['co-located', 100],
    ]);
  });

  it('keeps the notes every run of a scheduler made and the bands’ note once', () => {
    expect(report.notes).toContain('input note');
    expect(report.notes).toContain('replayed the first 2 of the 3 iterations the trace gives under the scenario: the asynchronous schedulers simulate each as a steady-state window of their pipeline (warm-up, the iteration, lookahead); --iterations N replays more');
    expect(report.notes).toContain('one-step-off note');
    expect(report.notes).toContain('fully-async note');
    expect(report.notes.filter((n) => n.includes('own note'))).toEqual([]);
    expect(report.notes.filter((n) => n === 'bands: the bands')).toHaveLength(1);
    expect(report.notes).toContain("fully-async takes over the co-located run's settings (schedulerParameters.verl): ulysses-sp 2; set schedulerParameters.fully-async in the scenario to change them (veRL's asynchronous recipes, for one, turn offload off on the trainer)");
    expect(asyncWhatIfExitCode(report)).toBe(0);
  });

  it('prints the tables with units and what did not run', () => {
    const text = formatAsyncWhatIf(report);
    expect(text).toMatch(/GPUs\s+Rollout GPUs\s+Trainer GPUs\s+Rollout share \(%\)\s+Configuration\s+Iteration time \(s\)\s+Iteration time, 80 % band \(s\)\s+Speedup vs co-located \(×\)\s+GPU time allocated \(GPU·s\)\s+Cost \(USD\)/);
    expect(text).toMatch(/\n\s+8\s+—\s+—\s+—\s+co-located \(verl\)\s+100\.0\s+\[80, 125\]\s+1\.00/);
    expect(text).toMatch(/\n\s+8\s+2\s+6\s+25\.0\s+one-step-off\s+80\.0\s+\[64, 100\]\s+1\.25\s+640\s+1\.600\s+1\.00\s+1\.00/);
    expect(text).toMatch(/3\. Not run\n.*\n.*\n\s+8\s+6\s+2\s+one-step-off; fully-async, staleness 0\.5\s+infeasible\s+too small/);
    expect(text).toContain('fastest: one-step-off, 2:6 GPUs → 80 s per step, 1.25 × the co-located run\'s throughput, stale share 1');
  });

  it('draws the frontier chart and the step time against the share', () => {
    const page = asyncWhatIfPage(report);
    expect(page.charts!.map((c) => c.id)).toEqual(['frontier', 'step-time-vs-share-g8']);
    const values = (page.charts![0]!.spec as unknown as { data: { values: { label: string; frontier: boolean; colour: number }[] } }).data.values;
    expect(values.map((v) => [v.label, v.frontier, v.colour])).toEqual([
      ['co-located', true, 0],
      ['one-step-off, 2:6', true, 1],
      ['staleness 0.5, 2:6', true, 0.3],
      ['one-step-off, 4:4', false, 1],
      ['staleness 0.5, 4:4', true, 0.3],
    ]);
  });
});

describe('a point that trains another batch per step than the co-located run', () => {
  it('is compared per co-located batch: its time and cost scaled by the samples, its step kept as the runner gave it', () => {
    // The 4:4 fully-async point trains 2000 samples per 150 s step (13.33/s) for 3 USD: per co-located batch of 1000, 75 s and 1.5 USD.
    const big = ran(id(4, FA), 'fully-async', 150, 2000 / 150, 3, 0.3, 2000);
    const report = summarizeAsyncWhatIf(plan, [outcomes[0]!, outcomes[1]!, ok('g0008/r0004', [ran(id(4, 'one-step-off'), 'one-step-off', 85, 200 / 17, 1.7, 1), big])]);
    const point = report.points.find((p) => p.id === id(4, FA))!;
    expect([point.stepTimeS, point.costUsd, point.samplesPerStep, point.batchTimeS, point.batchCostUsd]).toEqual([150, 3, 2000, 75, 1.5]);
    expect(point.speedupX).toBeCloseTo(2000 / 150 / 10, 12);
    // Per batch it beats everything on time and cost: the fastest on the frontier, at 75 s.
    expect(report.frontier[0]).toMatchObject({ id: id(4, FA), stepTimeS: 75, costUsd: 1.5 });
    expect(report.notes).toContain('1 point trains another number of samples per step than the co-located batch of 1000 (a local update of require-batches × mini-batch prompts that does not divide the batch): their speedup, frontier place and chart position use the time and cost per co-located batch, not their step');
    expect(formatAsyncWhatIf(report)).toMatch(/Samples per step\s+Time per co-located batch \(s\)/);
  });
});

describe('a recorded run beside the what-if', () => {
  const recorded = { gpuTrace: 'run/', pairedSteps: 3, recordedStepS: 120, simulatedStepS: 100, stepErrorPct: -100 / 6, mismatch: null };

  it('projects every point onto the recorded step by its ratio to the co-located simulation', () => {
    const report = summarizeAsyncWhatIf({ ...plan, config: { ...plan.config, recorded } }, outcomes);
    expect(report.recorded).toEqual(recorded);
    expect(report.points.map((p) => p.projectedStepTimeS)).toEqual([96, 108, 102, 108, null, null]);
    const text = formatAsyncWhatIf(report);
    expect(text).toContain('recorded run (run/): 3 steps, 120 s per step; the co-located simulation of the same iterations: 100 s (-16.7 %)');
    expect(text).toMatch(/Projected onto the recorded run \(s\)/);
    expect(asyncWhatIfExitCode(report)).toBe(0);
  });

  it('withholds the projections and exits 1 when the recording does not match its simulation, unless forced', () => {
    const mismatched = { ...plan, config: { ...plan.config, recorded: { ...recorded, recordedStepS: 400, mismatch: 'the recorded run does not match its simulation' } } };
    const report = summarizeAsyncWhatIf(mismatched, outcomes);
    expect(report.points.every((p) => p.projectedStepTimeS === null)).toBe(true);
    expect(report.notes).toContain('the recorded run does not match its simulation; projections withheld (--force prints them)');
    expect(asyncWhatIfExitCode(report)).toBe(1);
    const forced = summarizeAsyncWhatIf(mismatched, outcomes, { force: true });
    expect(forced.points[0]!.projectedStepTimeS).toBe(320);
    expect(asyncWhatIfExitCode(forced)).toBe(1);
  });
});

describe('a case that failed', () => {
  it('leaves its points as errors and exits 3 (a harness bug) or 2 (bad input)', () => {
    const failed: CaseOutcome<AsyncRunsResult> = { id: 'g0008/r0004', kind: 'whatif-async-runs', status: 'error', error: { message: 'boom', inputError: false } };
    const report = summarizeAsyncWhatIf(plan, [outcomes[0]!, outcomes[1]!, failed]);
    expect(report.points.filter((p) => p.status === 'error').map((p) => [p.id, p.reason])).toEqual([
      [id(4, 'one-step-off'), 'boom'],
      [id(4, FA), 'boom'],
    ]);
    expect(report.errors).toEqual([{ id: 'g0008/r0004', message: 'boom', inputError: false }]);
    expect(asyncWhatIfExitCode(report)).toBe(3);
    expect(asyncWhatIfExitCode(summarizeAsyncWhatIf(plan, [outcomes[0]!, outcomes[1]!, { ...failed, error: { message: 'bad', inputError: true } }]))).toBe(2);
  });
});
