import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { scenarioCostModel } from '../../scenario/cost-model.js';
import { historyAfter } from '../../schedulers/history.js';
import { loadScenario, parseScenarioObject } from '../../scenario/loader.js';
import type { Scenario } from '../../scenario/scenario.js';
import { IterationContext } from '../../schedulers/iteration-context.js';
import { rlhflessSchedulers, rlhflessSettings } from '../../schedulers/rlhfless/registry.js';
import { decideStep } from '../../schedulers/rlhfless/scheduler.js';
import { DEFAULT_REFERENCE_ANSWER_MODEL } from '../../traces/generate/assumptions.js';
import { generateWorkload } from '../../traces/generate/generate-workload.js';
import { parseLengthModel } from '../../traces/generate/length-model.js';
import { createRng } from '../../util/rng.js';
import { projectRoot } from '../../util/shared-data.js';
import type { BenchFigure, BenchOptions, BenchSuite } from '../types.js';

/**
 * RLHFless's decision overhead: the per-step planner (EWMA prediction from the replay history,
 * prefix-depth search, every candidate actor count with its assignment, estimates and locality
 * check, the normalised choice) — everything decided before generation runs. The paper's planner
 * takes up to 30 ms per step at 20 nodes; our goal is ≤ 1 ms at 20 nodes × 8 H100 with a batch of
 * 512 (80 candidate actor counts). Lengths come from the generator fitted to the PolyTrace DAPO
 * recording, two epochs over the same prompts so the EWMA has history.
 */
const SCENARIOS = join(projectRoot, 'harness', 'scenario', 'scenarios');
const LENGTH_MODEL = join(projectRoot, 'traces', 'fitted', 'polytrace-dapo-32b.json');
const GOAL_MS = 1;

async function twoEpochs(prompts: number, samples: number, capTokens: number) {
  const model = parseLengthModel(await readFile(LENGTH_MODEL, 'utf8'), LENGTH_MODEL);
  const workload = generateWorkload(model, { seed: 1, iterations: 1, promptsPerIteration: prompts, samplesPerPrompt: samples, epochs: 2, maxResponseTokens: capTokens, referenceAnswers: DEFAULT_REFERENCE_ANSWER_MODEL, parametersName: 'traces/fitted/polytrace-dapo-32b.json' });
  return { previous: workload.iterations[0]!, current: workload.iterations[1]! };
}

function withResponseCap(base: Scenario, capTokens: number): Scenario {
  const { file: _file, ...rest } = base;
  return parseScenarioObject({ ...rest, name: `${base.name}-${capTokens}`, lengths: { ...base.lengths, maxResponseTokens: capTokens } });
}

interface Case {
  readonly name: string;
  readonly scenario: Scenario;
  /** The scenario file the cost model is built from (a capped copy has no file to resolve its calibration against). */
  readonly costFrom: Scenario;
  readonly prompts: number;
  readonly samples: number;
  readonly goal: boolean;
}

export const rlhflessPlannerSuite: BenchSuite = {
  name: 'rlhfless-planner',
  description: 'RLHFless per-step planner (prediction, prefix depth, actor scaling over every candidate N, assignment): 20 × 8 H100 / batch 512 (goal ≤ 1 ms) and the 16-L40S testbed',
  async run(options: BenchOptions): Promise<readonly BenchFigure[]> {
    const sim = await loadScenario(join(SCENARIOS, 'rlhfless-sim-70b.json'));
    const testbedPpo = await loadScenario(join(SCENARIOS, 'rlhfless-3b-ppo.json'));
    const testbedGrpo = await loadScenario(join(SCENARIOS, 'rlhfless-3b-grpo.json'));
    const caps = options.quick ? [8192] : [2048, 4096, 8192];
    const cases: Case[] = [
      ...caps.map((cap) => ({ name: `20x8 H100, Llama-2-70B, batch 512, responses ≤ ${cap}`, scenario: withResponseCap(sim, cap), costFrom: sim, prompts: 512, samples: 1, goal: true })),
      { name: '16 L40S, Qwen2.5-3B PPO, 1024 prompts', scenario: testbedPpo, costFrom: testbedPpo, prompts: 1024, samples: 1, goal: false },
      { name: '16 L40S, Qwen2.5-3B GRPO, 256 prompts x 4', scenario: testbedGrpo, costFrom: testbedGrpo, prompts: 256, samples: 4, goal: false },
    ];
    const entry = rlhflessSchedulers.find((s) => s.name === 'rlhfless')!;
    const bench = new Bench({ retainSamples: true, time: options.quick ? 100 : 1000, iterations: options.quick ? 10 : 200, warmupIterations: options.quick ? 3 : 20 });
    const rng = createRng(1);
    for (const c of cases) {
      const cost = await scenarioCostModel(c.costFrom);
      const { previous, current } = await twoEpochs(c.prompts, c.samples, c.scenario.lengths.maxResponseTokens);
      const settings = rlhflessSettings(entry.name, c.scenario);
      const history = historyAfter(entry, c.scenario, [previous]);
      bench.add(c.name, () => {
        const ctx = new IterationContext(entry.name, c.scenario, current, cost, rng);
        decideStep(ctx, settings, history);
      });
    }
    await bench.run();
    return bench.tasks.map((task, i): BenchFigure => {
      const result = task.result;
      if (!result || result.state !== 'completed') throw new Error(`rlhfless-planner: ${task.name} did not complete`);
      const value = result.latency.mean;
      const c = cases[i]!;
      return {
        name: `planner per step: ${task.name}`,
        value,
        unit: 'ms',
        better: 'lower',
        samples: [...(result.latency.samples ?? [])],
        ...(c.goal ? { goal: { value: GOAL_MS, met: value <= GOAL_MS, note: 'RLHFless reports ≤ 30 ms at 20 nodes' } } : {}),
        note: `p99 ${result.latency.p99?.toFixed(3) ?? 'n/a'} ms; includes building the step's sample table`,
      };
    });
  },
};
