import { describe, expect, it } from 'vitest';
import { fidelityStepFrom } from '../../harness/fidelity/from-recorded.js';
import { loadRecorded } from '../../harness/fidelity/load-recorded.js';
import { sharedDataPath } from '../../harness/util/shared-data.js';

const RUNS = sharedDataPath('rl-step-logs', 'runs.csv');

describe('recorded steps of runs.csv, with the logs beside it', async () => {
  const { sources } = await loadRecorded([RUNS]);
  const steps = new Map(sources.map((source) => [source.row.runId, fidelityStepFrom(source)]));
  const step = (id: string) => {
    const made = steps.get(id);
    if (!made?.ok) throw new Error(`${id}: ${made ? made.reason : 'missing'}`);
    return made.step;
  };

  it('expresses every row of runs.csv (25 rows, none unsupported)', () => {
    expect(sources).toHaveLength(25);
    expect([...steps.values()].filter((s) => !s.ok)).toEqual([]);
  });

  it('takes a row’s configuration from its own log where the row is silent (r06: the GPG log’s launch command and printed config)', () => {
    const r06 = step('r06');
    expect(r06.config.model).toBe('qwen2-7b-instruct');
    expect(r06.config.gpu).toBe('a100-80gb');
    expect(r06.config.rollout).toEqual({ engine: 'vllm', tp: 2, n: 5, gpuMemoryUtilization: 0.6, maxNumSeqs: 1024, maxBatchedTokens: 8192, enforceEager: true });
    expect(r06.config.training).toMatchObject({ backend: 'fsdp', microBatchPerGpu: 16, logProbMicroBatchPerGpu: 16, gradientCheckpointing: true, removePadding: true, paramOffload: false, refParamOffload: true });
    expect(r06.config.referencePolicy).toBe(false);
    expect(r06.config.critic).toBe(false);
    expect(r06.lengths).toEqual({ responseMeanTokens: 280.789, responseMaxTokens: 1024, responseClipRatio: 0.024, promptMeanTokens: 97.947 });
    expect(r06.measuredS).toEqual({ gen: 69.534, old_log_prob: 32.91, update_actor: 134.132, step: 238.206 });
    // only the GPU (from the transcriber's alternatives) and the unused critic micro-batch are not the run's own
    expect(Object.keys(r06.assumed).sort()).toEqual(['gpu', 'training.criticMicroBatchPerGpu']);
  });

  it('divides the Dec-2024 global micro-batches over the data-parallel GPUs, as veRL did (r45: 4 over 2 GPUs = 2, not the 4 the row says)', () => {
    const r45 = step('r45');
    expect(r45.config.training.microBatchPerGpu).toBe(2);
    expect(r45.config.training.logProbMicroBatchPerGpu).toBe(2);
    expect(r45.config.model).toBe('gemma-2-2b-it');
    expect(r45.config.training.removePadding).toBe(false);
    expect(r45.config.referencePolicy).toBe(true);
    expect(r45.config.gpu).toBe('h100-sxm');
    expect(r45.assumed['gpu']).toMatch(/KV cache/);
    expect(step('r42').config.training.logProbMicroBatchPerGpu).toBe(4);
  });

  it('fills a documentation table’s row from the recipe the page names, each value listed as assumed (r13)', () => {
    const r13 = step('r13');
    expect(r13.config.training).toMatchObject({ backend: 'fsdp2', ulyssesSp: 4, fsdpSize: 2, paramOffload: true, optimizerOffload: true, dynamicBatchSize: true, ppoMaxTokensPerGpu: 2 * (2048 + 28672), logProbMaxTokensPerGpu: 3 * (2048 + 28672) });
    expect(r13.config.rollout).toMatchObject({ tp: 4, gpuMemoryUtilization: 0.8, enforceEager: false, maxBatchedTokens: 2048 + 28672 });
    expect(r13.assumed['training.ulyssesSp']).toMatch(/^recipe of fully_async study/);
    expect(r13.notes.some((n) => /step/.test(n))).toBe(true); // the reader's sum finding on r13
  });

  it('packs Megatron sequences (veRL’s mcore forward) and keeps its TP × PP', () => {
    const r09 = step('r09');
    expect(r09.config.training).toMatchObject({ backend: 'megatron', tp: 2, pp: 2, removePadding: true, microBatchPerGpu: 4 });
    const r12 = step('r12');
    expect(r12.config.model).toBe('deepseek-v3');
    expect(r12.config.training).toMatchObject({ backend: 'megatron', tp: 8, pp: 12, ep: 8 });
    expect(r12.config.moe).toBe(true);
  });

  it('recomputes Megatron activations only where a recompute granularity is set: the flag alone leaves Megatron-Core’s off', () => {
    // r09: the log sets enable_gradient_checkpointing=True and prints activations_checkpoint_granularity None
    expect(step('r09').config.training.gradientCheckpointing).toBe(false);
    // r19: the runs.csv cell '~True' is the same flag, read from no log
    expect(step('r19').config.training.gradientCheckpointing).toBe(false);
    expect(step('r19').assumed['training.gradientCheckpointing']).toMatch(/recompute_granularity unset/);
    // r12: '~recompute (script)', the script sets override_transformer_config.recompute_granularity=full
    expect(step('r12').config.training.gradientCheckpointing).toBe(true);
    // FSDP keeps its flag
    expect(step('r06').config.training.gradientCheckpointing).toBe(true);
  });

  it('compares only what the source measured (r16’s page reports old_log_prob as 0: the cell is empty)', () => {
    const r16 = step('r16');
    expect(r16.measuredS).toEqual({ gen: 52.939, update_actor: 430.263, step: 484.623 });
  });
});
