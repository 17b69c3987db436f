import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseOutcome } from '../../harness/jobs/cases.js';
import { finalizeReproduce } from '../../harness/reproduce/finalize.js';
import type { ReproducePlan } from '../../harness/reproduce/plan.js';
import { scratchDir } from '../cli/run-cli.js';
import { syntheticOutcomes, syntheticPlan } from './fixtures/synthetic.js';

/** The finalize step on known (synthetic) outcomes: what it writes, that it is byte-stable, and how failures show. */
let plan: ReproducePlan;
let outcomes: CaseOutcome[];
let dir: string;

async function filesOf(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const visit = async (relative: string) => {
    for (const entry of await readdir(join(root, relative), { withFileTypes: true })) {
      const path = join(relative, entry.name);
      if (entry.isDirectory()) await visit(path);
      else out.set(path, await readFile(join(root, path), 'utf8'));
    }
  };
  await visit('');
  return out;
}

beforeAll(async () => {
  plan = await syntheticPlan();
  outcomes = syntheticOutcomes(plan);
  dir = await scratchDir('reproduce-finalize');
});

describe('finalizeReproduce', () => {
  it('writes the page, comparison.json in the issue’s shape, the summary and every table', async () => {
    const result = await finalizeReproduce(plan, outcomes, { outDir: join(dir, 'a') });
    expect(result.exitCode).toBe(0);
    const files = await filesOf(join(dir, 'a'));
    expect([...files.keys()]).toEqual(expect.arrayContaining(['index.html', 'comparison.json', 'summary.md', 'tables/comparison.csv', 'tables/metrics.csv', 'tables/metrics.json', 'tables/ratios.csv', 'tables/iterations.csv', 'tables/sensitivity.csv', 'tables/assumptions-cost.csv', 'tables/figure-rlhfuse.speedup-vs-deepspeed-chat.csv']));
    const doc = JSON.parse(files.get('comparison.json')!);
    expect(Object.keys(doc)).toEqual(['figures', 'notSimulated', 'traceChoice', 'validation']);
    // RLHFuse's system figures on the default HH-RLHF stand-in and each chat-like trace, the default first.
    expect(doc.traceChoice.length).toBeGreaterThan(0);
    for (const figure of doc.traceChoice) expect(figure.traces.map((t: { source: string }) => t.source)).toEqual(['polytrace-dapo', 'sharegpt', 'azure-conv']);
    expect(doc.traceChoice.map((f: { id: string }) => f.id)).not.toContain('rlhfuse.migration-threshold-optimum');
    for (const figure of doc.figures) {
      expect(Object.keys(figure).slice(0, 8)).toEqual(['id', 'paper', 'description', 'published', 'unit', 'reproduced', 'withinTolerance', 'dependsOn']);
      expect(Object.keys(figure.reproduced)).toEqual(['mean', 'ciLow', 'ciHigh']);
      expect(typeof figure.withinTolerance).toBe('boolean');
      if (!figure.withinTolerance) expect(figure.reason.length).toBeGreaterThan(20);
    }
    expect(doc.notSimulated.map((f: { id: string }) => f.id)).toContain('rlhfless.scheduling-overhead');
    // Units are in every machine column name of the metric tables.
    const header = files.get('tables/metrics.csv')!.split('\n')[0]!;
    expect(header).toContain('iteration_time_s_mean');
    expect(header).toContain('iteration_time_s_ci_low');
    expect(header).toContain('gpu_s_allocated_median');
    expect(files.get('tables/ratios.csv')!.split('\n')[0]).toBe('configuration,scheduler,baseline,paired_iterations,speedup_x,speedup_median_x,speedup_ci_low_x,speedup_ci_high_x,cost_reduction_pct,cost_reduction_median_pct,cost_reduction_ci_low_pct,cost_reduction_ci_high_pct');
    const html = files.get('index.html')!;
    expect(html.indexOf('id="comparison"')).toBeLessThan(html.indexOf('id="rlhfuse"'));
    expect(html.indexOf('id="assumptions"')).toBeLessThan(html.indexOf('id="provenance"'));
    expect(files.get('summary.md')).toContain('| Figure | Published |');
    expect(files.get('summary.md')).toContain('## RLHFless: billing alone against each technique');
    expect(files.get('summary.md')).toContain('## RLHFuse’s HH-RLHF stand-in: reasoning or chat lengths');
    expect([...files.keys()]).toEqual(expect.arrayContaining(['tables/decomposition.csv', 'tables/trace-choice.csv', 'tables/trace-choice-lengths.csv']));
    expect(html.indexOf('id="rlhfless-decomposition"')).toBeGreaterThan(html.indexOf('id="rlhfless"'));
  });

  it('is byte-for-byte deterministic, whatever order the outcomes arrive in', async () => {
    await finalizeReproduce(plan, outcomes, { outDir: join(dir, 'b') });
    await finalizeReproduce(plan, [...outcomes].reverse(), { outDir: join(dir, 'c') });
    const b = await filesOf(join(dir, 'b'));
    const c = await filesOf(join(dir, 'c'));
    expect([...b.keys()].sort()).toEqual([...c.keys()].sort());
    for (const [path, text] of b) expect(c.get(path), path).toBe(text);
  });

  it('a crashed case fails its figures with the reason and exits 3; --check exits 1 on a miss', async () => {
    const broken = outcomes.map((o): CaseOutcome => (o.id.startsWith('run/rlhfless/dedup/') ? { id: o.id, kind: o.kind, status: 'error', error: { message: 'boom', inputError: false } } : o));
    const result = await finalizeReproduce(plan, broken, { outDir: join(dir, 'd') });
    expect(result.exitCode).toBe(3);
    expect(result.comparison.figures.find((f) => f.id === 'rlhfless.dedup-prefill-saving')).toMatchObject({ status: 'failed', withinTolerance: false, reproduced: null });
    const checked = await finalizeReproduce(plan, outcomes, { outDir: join(dir, 'e'), check: true });
    expect(checked.comparison.figures.some((f) => f.status === 'missed')).toBe(true);
    expect(checked.exitCode).toBe(1);
  });
});
