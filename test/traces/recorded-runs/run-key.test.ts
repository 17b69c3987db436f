import { describe, expect, it } from 'vitest';
import { isLogUrl, runKeyOf } from '../../../harness/traces/recorded-runs/run-key.js';

describe('runKeyOf', () => {
  it('keys a log by its URL alone, whatever the notes say', () => {
    const url = 'https://github.com/o/r/blob/main/run_logs/a.log';
    expect(runKeyOf({ runId: 'r1', sourceUrl: url, notes: 'gsm8k; x' })).toBe(url);
    expect(runKeyOf({ runId: 'r2', sourceUrl: url, notes: 'another note' })).toBe(url);
  });

  it('keys a documentation page by URL and the table its notes name', () => {
    const page = 'https://github.com/volcengine/verl/blob/main/docs/advance/fully_async.md';
    expect(runKeyOf({ runId: 'r13', sourceUrl: page, notes: 'doc table: per-step averages; y' })).toBe(`${page} § doc table`);
    expect(runKeyOf({ runId: 'r16', sourceUrl: page, notes: 'doc table use_trainer_do_validate experiment: colocate sync' })).toBe(`${page} § doc table use_trainer_do_validate experiment`);
    expect(runKeyOf({ runId: 'r9', sourceUrl: page })).toBe(page);
  });

  it('makes a row without a source a run of its own', () => {
    expect(runKeyOf({ runId: 'r7' })).toBe('row r7');
  });

  it('tells log files from pages by their extension', () => {
    expect(isLogUrl('https://x/y/train.log?raw=1')).toBe(true);
    expect(isLogUrl('https://x/y/out.txt')).toBe(true);
    expect(isLogUrl('https://x/docs/perf/dpsk.md')).toBe(false);
  });
});
