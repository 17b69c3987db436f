import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../harness/scenario/loader.js';
import { sharedDataPath } from '../../../harness/util/shared-data.js';
import { runCli, scratchDir } from '../run-cli.js';

const LOGS = sharedDataPath('rl-step-logs', 'logs');

async function logs(): Promise<string[]> {
  const out: string[] = [];
  for (const folder of (await readdir(LOGS)).sort()) for (const file of (await readdir(join(LOGS, folder))).sort()) if (file.endsWith('.log')) out.push(join(LOGS, folder, file));
  return out;
}

describe('rlhf-replay scenario from-verl', async () => {
  const dir = await scratchDir('from-verl');

  it('reads the launch command of every log in the shared folder into a scenario that loads', async () => {
    const all = await logs();
    expect(all).toHaveLength(7);
    for (const log of all) {
      const out = join(dir, `${log.split('/').pop()}.json`);
      // the gemma log launches from an SFT checkpoint path: the model is named on the command line
      const model = /gemma/.test(log) ? ['--model', 'gemma-2-2b-it'] : [];
      const run = await runCli(['scenario', 'from-verl', log, '--gpu', 'a100-80gb', '--out', out, ...model]);
      expect(run.code, `${log}: ${run.err}`).toBe(0);
      const scenario = await loadScenario(out);
      expect(scenario.cluster.gpu).toBe('a100-80gb');
    }
  });

  it('writes what the GPG log states (Qwen2-7B, TP 2 rollout, 8 GPUs, micro-batch 16) and marks the rest as assumptions', async () => {
    const out = join(dir, 'gpg.json');
    const run = await runCli(['scenario', 'from-verl', join(LOGS, 'verl-qwen2-7b-gpg', 'qwen2-7b_math.log'), '--gpu', 'a100-80gb', '--out', out]);
    expect(run.code).toBe(0);
    const written = JSON.parse(await readFile(out, 'utf8'));
    expect(written.models).toEqual({ actor: 'qwen2-7b-instruct', ref: 'qwen2-7b-instruct' });
    expect(written.generation).toMatchObject({ tp: 2, instances: 4, gpuMemoryUtilization: 0.6, maxConcurrentSequences: 1024 });
    expect(written.layout.actorTrain).toEqual({ tp: 1, pp: 1, dp: 8, microBatchSamples: 16 });
    expect(written.schedulerParameters.verl).toMatchObject({ 'reference-policy': false, 'remove-padding': true });
    expect(written.provenance['cluster.gpu']).toMatch(/^fact:/);
    expect(written.provenance['cluster.priceUsdPerGpuHour']).toMatch(/^assumption:/);
  });

  it('explains a checkpoint path the catalog does not know, with the fix (exit 2)', async () => {
    const run = await runCli(['scenario', 'from-verl', join(LOGS, 'verl-team-gsm8k', 'gemma-2-2b-it-ppo-bsz512_4-prompt1024-resp-512-0.640.log'), '--out', join(dir, 'x.json')]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/sft_model_path\/global_step_58.*--model <catalog id>/);
  });
});
