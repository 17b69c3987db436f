import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../util/cli-io.js';
import type { BenchFigure, BenchSuite } from './types.js';
import { InputError } from '../util/input-error.js';

export interface BenchSuiteResult {
  readonly name: string;
  readonly description: string;
  readonly figures: readonly BenchFigure[];
}

/** What `rlhf-replay bench --json` prints: the figures and the machine they were measured on. */
export interface BenchRunResult {
  readonly quick: boolean;
  readonly environment: { readonly node: string; readonly platform: string; readonly arch: string; readonly cpu: string; readonly cpus: number };
  readonly suites: readonly BenchSuiteResult[];
}

/** Picks suites by name (all when none named); an unknown name is an InputError listing the known ones. */
export function selectSuites(suites: readonly BenchSuite[], names: readonly string[]): BenchSuite[] {
  if (names.length === 0) return [...suites];
  const known = new Map(suites.map((suite) => [suite.name, suite]));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new InputError({
      file: '--suite',
      field: 'suite',
      value: unknown.join(', '),
      message: `unknown benchmark suite; known suites: ${suites.map((s) => s.name).join(', ') || 'none'}`,
    });
  return [...new Set(names)].map((name) => known.get(name)!);
}

/** Runs suites one after another, each with its own scratch folder, removed afterwards. */
export async function runBenchSuites(suites: readonly BenchSuite[], options: { quick: boolean; io: CliIo }): Promise<BenchRunResult> {
  const results: BenchSuiteResult[] = [];
  for (const suite of suites) {
    const scratchDir = await mkdtemp(join(tmpdir(), `rlhf-replay-bench-${suite.name}-`));
    try {
      if (options.io.stderrIsTTY) options.io.stderr(`bench: ${suite.name}…\n`);
      const figures = await suite.run({ quick: options.quick, io: options.io, scratchDir });
      results.push({ name: suite.name, description: suite.description, figures });
    } finally {
      await rm(scratchDir, { recursive: true, force: true });
    }
  }
  const cpuList = cpus();
  return {
    quick: options.quick,
    environment: { node: process.version, platform: process.platform, arch: process.arch, cpu: cpuList[0]?.model ?? 'unknown', cpus: cpuList.length },
    suites: results,
  };
}

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude >= 1000 ? Math.round(value).toLocaleString('en-US') : magnitude >= 10 ? value.toFixed(1) : value.toPrecision(3);
}

/** A plain text table of every figure: suite, figure, value with unit, better direction, goal. */
export function benchTable(result: BenchRunResult): string {
  const rows = [['suite', 'figure', 'value', 'unit', 'better', 'goal']];
  for (const suite of result.suites)
    for (const figure of suite.figures)
      rows.push([
        suite.name,
        figure.name,
        formatValue(figure.value),
        figure.unit,
        figure.better,
        figure.goal ? `${formatValue(figure.goal.value)} ${figure.goal.met ? 'met' : 'MISSED'}` : '',
      ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => row.map((cell, i) => (i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd());
  return `${lines.join('\n')}\n\n${result.environment.node} on ${result.environment.cpu} ×${result.environment.cpus}${result.quick ? ' (--quick: small inputs)' : ''}\n`;
}
