import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benchTable, runBenchSuites, selectSuites } from '../../harness/bench/run.js';
import type { BenchSuite } from '../../harness/bench/types.js';
import { memoryIo } from '../../harness/util/cli-io.js';

const seen: string[] = [];
const fake = (name: string): BenchSuite => ({
  name,
  description: `fake ${name}`,
  run: async ({ quick, scratchDir }) => {
    seen.push(scratchDir);
    expect(existsSync(scratchDir)).toBe(true);
    return [{ name: 'speed', value: quick ? 1234.5 : 2, unit: 'rows/s', better: 'higher', goal: { value: 1000, met: true } }];
  },
});

describe('bench runner', () => {
  it('selects suites by name, all by default, and rejects unknown names listing the known ones', () => {
    const suites = [fake('a'), fake('b')];
    expect(selectSuites(suites, []).map((s) => s.name)).toEqual(['a', 'b']);
    expect(selectSuites(suites, ['b', 'b']).map((s) => s.name)).toEqual(['b']);
    expect(() => selectSuites(suites, ['c'])).toThrow("--suite: field 'suite' value 'c': unknown benchmark suite; known suites: a, b");
  });

  it('runs each suite in its own scratch folder, removed afterwards, and tabulates the figures', async () => {
    const result = await runBenchSuites([fake('a')], { quick: true, io: memoryIo() });
    expect(result.suites).toEqual([{ name: 'a', description: 'fake a', figures: [{ name: 'speed', value: 1234.5, unit: 'rows/s', better: 'higher', goal: { value: 1000, met: true } }] }]);
    expect(result.environment.node).toBe(process.version);
    expect(existsSync(seen.at(-1)!)).toBe(false);
    const table = benchTable(result);
    expect(table.split('\n')[0]).toMatch(/^suite +figure +value +unit +better +goal$/);
    expect(table).toMatch(/^a +speed +1,235 +rows\/s +higher +1,000 met$/m);
  });
});
