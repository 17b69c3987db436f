import { describe, expect, it } from 'vitest';
import { runBenchSuites } from '../../../harness/bench/run.js';
import { ingestionSuite } from '../../../harness/bench/suites/ingestion.js';
import { memoryIo } from '../../../harness/util/cli-io.js';

describe('ingestion benchmark suite (--quick smoke run)', () => {
  it('reports CSV and JSONL rows/s and the streaming peak RSS, each with its unit', async () => {
    const result = await runBenchSuites([ingestionSuite], { quick: true, io: memoryIo() });
    const figures = result.suites[0]!.figures;
    expect(figures.map((f) => [f.name, f.unit, f.better])).toEqual([
      ['read canonical csv (20000 samples)', 'rows/s', 'higher'],
      ['read canonical jsonl (20000 samples)', 'rows/s', 'higher'],
      ['traces stats peak RSS (150000-row csv)', 'MB', 'lower'],
      ['traces stats peak heap (150000-row csv)', 'MB', 'lower'],
      ['traces stats throughput (150000-row csv)', 'rows/s', 'higher'],
    ]);
    for (const figure of figures) expect(figure.value).toBeGreaterThan(0);
    expect(figures[0]!.samples!.length).toBe(2);
  });
});
