import { describe, expect, it } from 'vitest';
import { runBenchSuites } from '../../../harness/bench/run.js';
import { rlhflessPlannerSuite } from '../../../harness/bench/suites/rlhfless-planner.js';
import { memoryIo } from '../../../harness/util/cli-io.js';

describe('rlhfless-planner benchmark suite (--quick smoke run)', () => {
  it('times the per-step planner at 20 nodes / batch 512 against the 1 ms goal, and on the testbed', async () => {
    const result = await runBenchSuites([rlhflessPlannerSuite], { quick: true, io: memoryIo() });
    const figures = result.suites[0]!.figures;
    expect(figures.map((f) => [f.name, f.unit, f.better, f.goal?.value])).toEqual([
      ['planner per step: 20x8 H100, Llama-2-70B, batch 512, responses ≤ 8192', 'ms', 'lower', 1],
      ['planner per step: 16 L40S, Qwen2.5-3B PPO, 1024 prompts', 'ms', 'lower', undefined],
      ['planner per step: 16 L40S, Qwen2.5-3B GRPO, 256 prompts x 4', 'ms', 'lower', undefined],
    ]);
    for (const figure of figures) {
      expect(figure.value).toBeGreaterThan(0);
      expect(figure.samples!.length).toBeGreaterThan(0);
    }
  });
});
