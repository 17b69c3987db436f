import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RUN_KIND, runReproduceCase, type RunCase } from '../../harness/reproduce/cases/run.js';
import type { ExperimentConfig, TraceUse } from '../../harness/reproduce/experiments/types.js';
import { EstimateBook } from '../../harness/reproduce/figures/book.js';
import { FigureData } from '../../harness/reproduce/figures/data.js';
import { findFigure } from '../../harness/reproduce/figures/index.js';
import { buildReproducePlan, type ReproducePlan } from '../../harness/reproduce/plan.js';

/**
 * The figures come out of the simulated mechanisms: change the mechanism's input in the way the
 * paper's argument says matters, and the reproduced figure moves as the mechanism predicts
 * (DESIGN.md, rules for honest reproduction, rule 3). Each case runs the real schedulers.
 */
let plan: ReproducePlan;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reproduce-mechanisms-'));
  plan = await buildReproducePlan({ papers: ['rlhfuse', 'rlhfless'], seeds: 1, quick: true }, { RLHF_REPLAY_SHARED: join(dir, 'no-shared') });
});

function mainCase(configId: string): RunCase {
  const found = plan.cases.find((c): c is RunCase => c.kind === RUN_KIND && c.role === 'main' && c.config.id === configId);
  if (!found) throw new Error(`no main case for ${configId}`);
  return found;
}

async function figure(id: string, configs: readonly ExperimentConfig[], base: RunCase): Promise<number> {
  const runs = [];
  for (const config of configs) runs.push({ config, rows: (await runReproduceCase({ ...base, config, timeline: [] })).iterations });
  const outcome = findFigure(id)!.compute(new EstimateBook(new FigureData(runs), { ci: false, resamples: 1, seed: 'mechanism' }));
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.estimate.mean;
}

/** A canonical JSONL trace of `prompts` single-response groups, every response `tokens` long. */
async function equalLengthTrace(prompts: number, tokens: number): Promise<TraceUse> {
  const lines = ['{"$meta":{"format":"rlhf-replay.lengths","version":1,"synthetic":true,"description":"every response the same length","notes":[]}}'];
  for (let i = 0; i < prompts; i++) lines.push(JSON.stringify({ iteration: 0, group_id: `g${i}`, prompt_tokens: 200, response_tokens: [tokens], truncated: [false] }));
  const text = `${lines.join('\n')}\n`;
  const path = join(dir, `equal-${tokens}.jsonl`);
  await writeFile(path, text);
  return { source: 'polytrace-dapo', mode: 'recorded', path, files: [{ path, sha256: createHash('sha256').update(text).digest('hex') }], why: 'test: equal lengths' };
}

describe('figures follow their mechanisms', () => {
  it('equal response lengths erase most of the inter-stage fusion gain (nothing to overlap with a tail)', async () => {
    const base = mainCase('rlhfuse/13b-33b/gen512');
    const tailed = await figure('rlhfuse.generation-inference-speedup', [base.config], base);
    const equalConfig = { ...base.config, trace: await equalLengthTrace(1024, 400) };
    const equal = await figure('rlhfuse.generation-inference-speedup', [equalConfig], base);
    expect(tailed).toBeGreaterThan(1.02);
    expect(equal - 1).toBeLessThan(0.5 * (tailed - 1));
  });

  it('one response per prompt erases the deduplicated-prefill saving; three give about (n − 1)/n', async () => {
    const base = mainCase('rlhfless/dedup/3b-grpo-n3-gsm8k');
    const three = await figure('rlhfless.dedup-prefill-saving', [base.config], base);
    expect(three).toBeGreaterThan(55);
    expect(three).toBeLessThan(70);
    const single: ExperimentConfig = {
      ...base.config,
      samplesPerPrompt: 1,
      scenarioPatch: { algorithm: { samplesPerPrompt: 1 }, provenance: { 'algorithm.samplesPerPrompt': 'assumption: test, one response per prompt' } },
    };
    expect(Math.abs(await figure('rlhfless.dedup-prefill-saving', [single], base))).toBeLessThan(1);
  });

  it('one response per prompt leaves veRL no prompt KV to recompute', async () => {
    const base = mainCase('rlhfless/kv/3b-grpo-gsm8k');
    const shared = mainCase('rlhfless/kv/3b-grpo-gsm8k-shared');
    const four = await figure('rlhfless.kv-recompute-share', [base.config, shared.config], base);
    expect(four).toBeGreaterThan(1);
    const patch = { algorithm: { samplesPerPrompt: 1 }, provenance: { 'algorithm.samplesPerPrompt': 'assumption: test' } };
    const one = [
      { ...base.config, samplesPerPrompt: 1, scenarioPatch: patch },
      { ...shared.config, samplesPerPrompt: 1, scenarioPatch: { ...patch, generation: { promptSharing: true }, provenance: { ...patch.provenance, 'generation.promptSharing': 'assumption: test' } } },
    ];
    expect(Math.abs(await figure('rlhfless.kv-recompute-share', one, base))).toBeLessThan(0.5);
  });
});
