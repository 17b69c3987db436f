import { Bench } from 'tinybench';
import { annealMakespan, annealMemory } from '../../schedulers/pipeline/anneal.js';
import { ScheduleEvaluator } from '../../schedulers/pipeline/evaluate.js';
import { compileProblem } from '../../schedulers/pipeline/problem.js';
import { BudgetMeter } from '../../schedulers/pipeline/search-budget.js';
import { flexFusionInstances } from '../../schedulers/rlhfuse/fused-pipeline/flexfusion-instances.js';
import { greedyOrderCodes } from '../../schedulers/rlhfuse/fused-pipeline/greedy.js';
import { fusedLayout, type FusedLayout } from '../../schedulers/rlhfuse/fused-pipeline/layout.js';
import { latencyLowerBounds } from '../../schedulers/rlhfuse/fused-pipeline/lower-bounds.js';
import { defaultMemoryEvaluations, searchFusedSchedule } from '../../schedulers/rlhfuse/fused-pipeline/search.js';
import { createRng } from '../../util/rng.js';
import type { BenchFigure, BenchOptions, BenchSuite } from '../types.js';

/** The issues' bar: each FlexFusion instance's latency lower bound, and its final memory, within 10 s on one core. */
const TIME_TO_LOWER_BOUND_GOAL_S = 10;
const TIME_TO_MEMORY_GOAL_S = 10;

/**
 * Ablation: the artifact's memory pass (annealing memory at a fixed makespan, `annealMemory`)
 * from the same start as the memory phase, with the same evaluation budget.
 */
function artifactMemoryPass(layout: FusedLayout, seed: number, evaluations: number, name: string): BenchFigure {
  const start = searchFusedSchedule(layout, { seed, memoryEvaluations: 0 });
  const evaluator = new ScheduleEvaluator(compileProblem(layout.problem));
  const started = performance.now();
  const outcome = annealMemory(evaluator, start.best.codes, { rng: createRng(seed).fork('memory'), meter: new BudgetMeter({ maxEvaluations: evaluations }), makespanCap: start.best.score.makespan, evaluations });
  return {
    name: `${name} artifact memory pass peak memory`,
    value: Number(outcome.score.peakMemory.toFixed(6)),
    unit: 'activation units',
    better: 'lower',
    note: `ablation: annealMemory from the memory phase's start (${Number(start.best.score.peakMemory.toFixed(6))}), ${evaluations} evaluations, ${((performance.now() - started) / 1000).toFixed(1)} s`,
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function timeToLowerBound(name: string, samples: readonly number[], reached: boolean, note: string): BenchFigure {
  const worst = Math.max(...samples);
  return {
    name,
    value: mean(samples),
    unit: 's',
    better: 'lower',
    samples,
    goal: { value: TIME_TO_LOWER_BOUND_GOAL_S, met: reached && worst <= TIME_TO_LOWER_BOUND_GOAL_S, note: reached ? `worst seed ${worst.toFixed(3)} s` : 'a seed did not reach the lower bound' },
    note,
  };
}

/**
 * The fused-pipeline search on the six FlexFusion instances: greedy time (tinybench), the full
 * search's time to the latency lower bound, the memory phase's outcome (peak memory reached, the
 * evaluations and seconds until it was first reached, against the proven lower bound), the
 * annealer's own time to the latency bound when started from the greedy (the constructions
 * switched off), and evaluator speed.
 */
export const pipelineSearchSuite: BenchSuite = {
  name: 'pipeline-search',
  description: 'Fused bidirectional pipeline schedules (RLHFuse intra-stage fusion): greedy time and time-to-lower-bound on the FlexFusion instances',
  async run(options: BenchOptions): Promise<readonly BenchFigure[]> {
    const { quick, io, only } = options;
    const seeds = quick ? [1] : [1, 2, 3];
    const figures: BenchFigure[] = [];
    // With `only`, an instance's greedy timing runs when its greedy figure is wanted, its searches when another of its figures is.
    const wantsGreedy = (name: string) => !only || only.includes(`${name} greedy`);
    const wantsSearch = (name: string) => !only || only.some((figure) => figure.startsWith(`${name} `) && figure !== `${name} greedy`);
    const bench = new Bench({ iterations: quick ? 3 : 20, warmupIterations: 2, time: 0, retainSamples: true });
    for (const instance of flexFusionInstances.filter((i) => wantsGreedy(i.name))) {
      const layout = fusedLayout(instance.spec);
      const compiled = compileProblem(layout.problem);
      bench.add(instance.name, () => {
        greedyOrderCodes(compiled, layout);
      });
    }
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (!result || result.state !== 'completed') throw new Error(`pipeline-search benchmark '${task.name}' did not complete`);
      figures.push({ name: `${task.name} greedy`, value: result.latency.mean, unit: 'ms', better: 'lower', samples: [...(result.latency.samples ?? [])], note: 'FlexFusion greedy list schedule' });
    }

    for (const instance of flexFusionInstances.filter((i) => wantsSearch(i.name))) {
      const layout = fusedLayout(instance.spec);
      const lowerBound = latencyLowerBounds(layout.problem).lowerBound;
      if (io.stderrIsTTY) io.stderr(`pipeline-search: ${instance.name}…\n`);
      const searchSeconds: number[] = [];
      let searchReached = true;
      for (const seed of seeds) {
        // The memory phase runs once (first seed, default budget); the other seeds only time the latency search.
        const memoryEvaluations = seed !== seeds[0] ? 0 : quick ? 20_000 : defaultMemoryEvaluations(compileProblem(layout.problem).taskCount);
        const started = performance.now();
        const result = searchFusedSchedule(layout, { seed, memoryEvaluations });
        searchReached &&= result.best.score.makespan <= lowerBound;
        searchSeconds.push(result.latencyReachedAfter.seconds);
        if (memoryEvaluations > 0) {
          const tidy = (value: number) => Number(value.toFixed(6));
          const reachedAfter = result.memoryReachedAfter;
          const atBound = tidy(result.best.score.peakMemory) <= tidy(result.provenMemoryLowerBound);
          figures.push({
            name: `${instance.name} peak memory at latency ${result.best.score.makespan}`,
            value: tidy(result.best.score.peakMemory),
            unit: 'activation units',
            better: 'lower',
            note: `seed ${seed}; proven lower bound ${tidy(result.provenMemoryLowerBound)}${atBound ? ' (reached: optimal)' : ''}; serial-1F1B peak ${tidy(result.memoryLowerBound)}; memory phase started at ${tidy(result.memoryStartPeak)}`,
          });
          figures.push({
            name: `${instance.name} time to final memory`,
            value: reachedAfter.seconds,
            unit: 's',
            better: 'lower',
            goal: { value: TIME_TO_MEMORY_GOAL_S, met: reachedAfter.seconds <= TIME_TO_MEMORY_GOAL_S, note: 'from the start of the search, latency phase included' },
            note: `seed ${seed}; after ${reachedAfter.evaluations} memory-phase evaluations of ${result.evaluations.memory} spent (budget ${memoryEvaluations}); ${result.memoryProbes.length} memory caps tried`,
          });
          figures.push({ name: `${instance.name} evaluations to final memory`, value: reachedAfter.evaluations, unit: 'evaluations', better: 'lower', note: `seed ${seed}; memory phase` });
          figures.push({ name: `${instance.name} search with memory phase`, value: (performance.now() - started) / 1000, unit: 's', better: 'lower', note: `seed ${seed}; the memory phase stops early once no memory level is left to try` });
          if (!quick) figures.push(artifactMemoryPass(layout, seed, memoryEvaluations, instance.name));
        }
      }
      figures.push(timeToLowerBound(`${instance.name} search time to LB ${lowerBound}`, searchSeconds, searchReached, 'constructions, then annealing if needed; memory phase not included'));

      const compiled = compileProblem(layout.problem);
      const annealSeconds: number[] = [];
      let annealReached = true;
      let evaluationsPerS = 0;
      for (const seed of seeds) {
        const evaluator = new ScheduleEvaluator(compiled);
        const meter = new BudgetMeter({ maxEvaluations: 3_000_000 });
        const started = performance.now();
        const outcome = annealMakespan(evaluator, greedyOrderCodes(compiled, layout), { rng: createRng(seed), meter, target: lowerBound });
        const seconds = (performance.now() - started) / 1000;
        annealReached &&= outcome.score.makespan <= lowerBound;
        annealSeconds.push(seconds);
        if (meter.evaluations > 0) evaluationsPerS = meter.evaluations / seconds;
      }
      // An ablation, so no goal: the search above is what the 10 s goal is about.
      figures.push({
        name: `${instance.name} annealing from greedy time to LB`,
        value: mean(annealSeconds),
        unit: 's',
        better: 'lower',
        samples: annealSeconds,
        note: `ablation: makespan annealing alone from the greedy, no constructions${annealReached ? '' : '; a seed did not reach the lower bound'}`,
      });
      if (evaluationsPerS > 0) figures.push({ name: `${instance.name} schedule evaluations`, value: evaluationsPerS, unit: 'evaluations/s', better: 'higher', note: `${compiled.taskCount} tasks per evaluation` });
    }
    return figures;
  },
};
