import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { planHash } from '../../jobs/plan.js';
import { projectRoot } from '../../util/shared-data.js';
import type { ReproduceResults } from '../results.js';

/**
 * Where the report's numbers come from: the checkout (git commit, read from .git without running
 * git), the versions of the tools that made and draw them, the calibration, the plan's hash, and
 * per experiment which trace was replayed (recorded or generated, and why).
 */
export interface Provenance {
  readonly commit: string | null;
  readonly planHash: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly calibrations: readonly { readonly file: string; readonly sha256: string; readonly description: string }[];
  readonly costModels: readonly string[];
  readonly traces: readonly { readonly experiment: string; readonly source: string; readonly mode: string; readonly path: string; readonly why: string }[];
  readonly traceAvailability: ReproduceResults['plan']['config']['traces'];
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The commit HEAD points at, from .git (a ref file or packed-refs), or null outside a checkout. */
export async function gitCommit(root = projectRoot): Promise<string | null> {
  const head = (await readText(join(root, '.git', 'HEAD')))?.trim();
  if (!head) return null;
  if (/^[0-9a-f]{40}$/.test(head)) return head;
  const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
  if (!ref) return null;
  const direct = (await readText(join(root, '.git', ref)))?.trim();
  if (direct && /^[0-9a-f]{40}$/.test(direct)) return direct;
  const packed = await readText(join(root, '.git', 'packed-refs'));
  const line = packed?.split('\n').find((l) => l.endsWith(` ${ref}`));
  return line ? line.split(' ')[0]! : null;
}

async function packageVersion(name: string): Promise<string> {
  const text = await readText(join(projectRoot, 'node_modules', name, 'package.json'));
  if (!text) return 'not installed';
  return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
}

export async function collectProvenance(results: ReproduceResults): Promise<Provenance> {
  const project = JSON.parse((await readText(join(projectRoot, 'package.json'))) ?? '{}') as { version?: string };
  const versions: Record<string, string> = { 'rlhf-replay': project.version ?? 'unknown', node: process.version };
  for (const name of ['vega', 'vega-lite', 'vega-embed', 'tsx', 'tinypool']) versions[name] = await packageVersion(name);
  const calibrationFile = 'harness/cost/calibrations/public-profiles.json';
  const calibrationText = (await readText(join(projectRoot, calibrationFile))) ?? '';
  const calibrationDescription = calibrationText ? ((JSON.parse(calibrationText) as { description?: string }).description ?? '') : 'missing';
  const traces = new Map<string, Provenance['traces'][number]>();
  for (const config of results.configs) traces.set(config.id, { experiment: config.id, source: config.trace.source, mode: config.trace.mode, path: config.trace.path, why: config.trace.why });
  return {
    commit: await gitCommit(),
    planHash: planHash(results.plan),
    versions,
    calibrations: [{ file: calibrationFile, sha256: createHash('sha256').update(calibrationText).digest('hex'), description: calibrationDescription }],
    costModels: [...new Set(results.main.map((run) => run.result.costModel))].sort(),
    traces: [...traces.values()],
    traceAvailability: results.plan.config.traces,
  };
}
