import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../../harness/util/shared-data.js';
import { runCli } from '../run-cli.js';

const GEMMA = sharedDataPath('rl-step-logs', 'logs', 'verl-team-gsm8k', 'gemma-2-2b-it-ppo-bsz512_4-prompt1024-resp-512-0.640.log');
const NO_BATCH = fileURLToPath(new URL('../../traces/fixtures/verl-console.log', import.meta.url));

describe('traces validate on a veRL log', () => {
  it('says it holds stage timings and a synthesized workload, with its counts (106 steps of 512 prompts × 1 response)', async () => {
    const run = await runCli(['traces', 'validate', GEMMA]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe(
      `${GEMMA}: ok (verl-log: 106 iterations; also response lengths synthesized from its per-step length statistics (a synthetic workload): 106 iterations, 54272 groups, 54272 samples)\n`,
    );
    const json = JSON.parse((await runCli(['traces', 'validate', GEMMA, '--json'])).out);
    expect(json.files[0]).toMatchObject({ format: 'verl-log', kind: 'stage-timings', counts: { iterations: 106 }, workload: { counts: { iterations: 106, groups: 54272, samples: 54272 } } });
    expect(json.files[0].workload.notes[0]).toMatch(/^per-sample lengths synthesized, not recorded/);
  });

  it('a log that does not state its batch is still valid stage timings, and says why it yields no workload', async () => {
    const run = await runCli(['traces', 'validate', NO_BATCH]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`: ok (verl-log: 4 iterations; no response lengths synthesized from its per-step length statistics (a synthetic workload): ${NO_BATCH}: field 'data.train_batch_size': is unknown`);
  });
});

describe('traces stats on a veRL log', () => {
  it('prints the synthesized workload, marked synthetic, with its notes and the logged means', async () => {
    const run = await runCli(['traces', 'stats', GEMMA]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^format: verl-log \(synthetic\)$/m);
    expect(run.out).toMatch(/^note: per-sample lengths synthesized, not recorded/m);
    // step:2 logs response_length/mean 129.770 and prompt_length/mean 84.656 (line 336 of the log)
    expect(run.out).toMatch(/^2\s+512\s+512\s+85\.0\s+129\.8\s/m);
    expect((await runCli(['traces', 'stats', NO_BATCH])).code).toBe(2);
  });
});
