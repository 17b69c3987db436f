import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('rlhf-replay bench', () => {
  it('exits 2 on an unknown suite, naming the known ones', async () => {
    const run = await runCli(['bench', '--suite', 'nope']);
    expect(run.code).toBe(2);
    expect(run.err).toContain("value 'nope': unknown benchmark suite; known suites: ingestion");
  });
});
