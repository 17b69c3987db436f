import { describe, expect, it } from 'vitest';
import { SamplingParamsReader } from '../../../harness/traces/verl/sampling-params.js';

describe('SamplingParamsReader', () => {
  it("keeps the first rollout worker's printed SamplingParams", () => {
    const reader = new SamplingParamsReader();
    reader.feed("(WorkerDict pid=3) some other kwargs: {'x': 1}", 1);
    reader.feed("\x1b[36m(WorkerDict pid=3)\x1b[0m kwargs: {'n': 5, 'logprobs': 0, 'max_tokens': 1024} [repeated 7x across cluster]", 2);
    reader.feed("(WorkerDict pid=4) kwargs: {'n': 1}", 3);
    expect(reader.result()).toEqual({ line: 2, values: { n: 5, logprobs: 0, max_tokens: 1024 } });
  });
});
