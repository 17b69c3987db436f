import { describe, expect, it } from 'vitest';
import { runBenchSuites } from '../../../harness/bench/run.js';
import { whatifAsyncSuite } from '../../../harness/bench/suites/whatif-async.js';
import { memoryIo } from '../../../harness/util/cli-io.js';

describe('whatif-async benchmark suite (--quick smoke run)', () => {
  it('times `whatif --async` on the 128-GPU DAPO 7B run end to end (4 splits in quick mode, no goal claimed)', async () => {
    const result = await runBenchSuites([whatifAsyncSuite], { quick: true, io: memoryIo() });
    const figures = result.suites[0]!.figures;
    expect(figures).toHaveLength(1);
    const [figure] = figures;
    expect([figure!.name, figure!.unit, figure!.better, figure!.goal]).toEqual([expect.stringMatching(/^defaults \(1 iteration, --jobs \d+\): 4 splits of 128 GPUs$/), 's', 'lower', undefined]);
    expect(figure!.value).toBeGreaterThan(0);
    // 4 splits × (one-step-off + fully-async at 4 staleness values), all run.
    expect(figure!.note).toMatch(/^20 points \(20 ran\) \+ the co-located baseline, 512 prompts × 16 samples per iteration/);
  });
});
