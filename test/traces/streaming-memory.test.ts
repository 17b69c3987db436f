import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIngestionProbe } from '../../harness/bench/suites/ingestion-child.js';
import { writeBenchLengthsCsv } from '../../harness/bench/suites/ingestion-input.js';
import { scratchDir } from '../cli/run-cli.js';

/**
 * `traces stats` streams: reading ten times more rows must not need more memory. Each read runs in
 * a child process capped at OLD_SPACE_MB of V8 heap, and measures its live heap (collected before
 * each sample). The control reads the same 1.5M rows into memory and must die under the same cap,
 * which shows the cap is tight enough to catch a reader that holds the file.
 */
const OLD_SPACE_MB = 32;
const SMALL_ROWS = 150_000;
const LARGE_ROWS = 1_500_000;

describe('streaming a 1.5M-row CSV', () => {
  let small: string;
  let large: string;
  beforeAll(async () => {
    const dir = await scratchDir('rlhf-replay-streaming');
    small = join(dir, 'small.csv');
    large = join(dir, 'large.csv');
    await writeBenchLengthsCsv(small, SMALL_ROWS);
    await writeBenchLengthsCsv(large, LARGE_ROWS);
  });

  it('keeps live heap flat from 150k to 1.5M rows under a heap cap', async () => {
    const smallRun = await runIngestionProbe(small, 'stats', { maxOldSpaceMb: OLD_SPACE_MB, liveHeap: true });
    const largeRun = await runIngestionProbe(large, 'stats', { maxOldSpaceMb: OLD_SPACE_MB, liveHeap: true });
    expect(smallRun.result, smallRun.stderr).toBeDefined();
    expect(largeRun.result, largeRun.stderr).toBeDefined();
    expect(smallRun.result!.samples).toBe(SMALL_ROWS);
    expect(largeRun.result!.samples).toBe(LARGE_ROWS);
    const growthMb = (largeRun.result!.peakHeapUsedBytes - smallRun.result!.peakHeapUsedBytes) / 2 ** 20;
    // Ten times the rows may add the distinct-length histogram entries and per-iteration summaries (< 1 MB), not the rows.
    expect(growthMb).toBeLessThan(4);
  });

  it('control: holding the same 1.5M rows in memory fails under the same cap', async () => {
    const control = await runIngestionProbe(large, 'collect', { maxOldSpaceMb: OLD_SPACE_MB });
    expect(control.result).toBeUndefined();
    expect(control.exitCode === 0 && control.signal === null).toBe(false);
    expect(control.stderr).toMatch(/heap out of memory|Allocation failed/i);
  });
});
