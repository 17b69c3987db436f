import { describe, expect, it } from 'vitest';
import { defaultAgainstLongSearch } from '../../../harness/bench/suites/pipeline-search.js';
import { memoryIo } from '../../../harness/util/cli-io.js';
import { flexFusionInstances } from '../../../harness/schedulers/rlhfuse/fused-pipeline/flexfusion-instances.js';

describe('pipeline-search: the default memory phase against 1M evaluations', () => {
  it('reports both peaks and the default search time, each goal judged on its own figure', () => {
    // FlexFusion exp 2: both searches stop at the proven memory bound, 15.6 (8 × 1.95).
    const figures = defaultAgainstLongSearch(flexFusionInstances[2]!, 1, memoryIo());
    expect(figures.map((figure) => figure.name)).toEqual([
      'flexfusion-exp2 peak memory, default memory phase',
      'flexfusion-exp2 peak memory, 1000000 memory evaluations',
      'flexfusion-exp2 search time, default',
    ]);
    expect(figures[0]).toMatchObject({ value: 15.6, unit: 'activation units', goal: { value: 15.6, met: true } });
    expect(figures[1]!.value).toBe(15.6);
    expect(figures[2]).toMatchObject({ unit: 's', goal: { value: 10 } });
    expect(figures[2]!.goal!.met).toBe(figures[2]!.value <= 10);
  });
});
