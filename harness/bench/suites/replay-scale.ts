import { access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../util/shared-data.js';
import { runCliProcess, runNode } from '../child-process.js';
import type { BenchFigure, BenchSuite } from '../types.js';

/** The goals for `replay` of a 1.5M-sample trace through every scheduler on the 2-core machine. */
export const REPLAY_SCALE_GOAL_S = 120;
export const REPLAY_SCALE_GOAL_MB = 600;

const PROBE = fileURLToPath(new URL('./replay-scale-probe.ts', import.meta.url));
const SCENARIO = join(projectRoot, 'harness', 'scenario', 'scenarios', 'rlhfuse-65b-33b.json');
const LENGTH_MODEL = 'traces/fitted/polytrace-dapo-32b.json';
const PROMPTS = 512;
const SAMPLES = 8;

interface ProbeResult {
  readonly iterations: number;
  readonly samples: number;
  readonly schedulers: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly maxRssBytes: number;
  readonly thirdsS: readonly number[];
  readonly firstIterationS: number;
}

/**
 * The trace, generated once with `traces generate` (DAPO-like lengths, 512 prompts × 8 samples per
 * iteration) and kept in the system's temporary folder: the same arguments give the same bytes,
 * so later runs reuse it instead of spending a minute generating it again.
 */
async function generatedTrace(iterations: number): Promise<string> {
  const path = join(tmpdir(), `rlhf-replay-bench-dapo-${iterations}x${PROMPTS}x${SAMPLES}-seed1.jsonl`);
  try {
    await access(path);
    return path;
  } catch {
    const run = await runCliProcess(['traces', 'generate', '--params', LENGTH_MODEL, '--seed', '1', '--iterations', String(iterations), '--prompts', String(PROMPTS), '--samples', String(SAMPLES), '--out', path]);
    if (run.exitCode !== 0) throw new Error(`traces generate exited ${run.exitCode}: ${run.stderr.slice(0, 2000)}`);
    return path;
  }
}

async function runProbe(trace: string): Promise<ProbeResult> {
  const run = await runNode(['--import', 'tsx', PROBE, trace, SCENARIO]);
  const line = run.stdout.trim().split('\n').pop();
  if (run.exitCode !== 0 || !line) throw new Error(`replay probe exited ${run.exitCode}: ${run.stderr.slice(0, 2000)}`);
  return JSON.parse(line) as ProbeResult;
}

/**
 * `replay` at scale: a generated trace of 1.5M samples (366 iterations of 512 prompts × 8) through
 * all schedulers on the RLHFuse 65B/33B scenario, streamed by the runner in a fresh process —
 * wall and CPU seconds, peak RSS, and the ratio of the last third's time to the first third's
 * (1 when time is linear in the trace's length). Quick mode replays 12 iterations.
 */
export const replayScaleSuite: BenchSuite = {
  name: 'replay-scale',
  description: 'replay of a 1.5M-sample generated trace through every scheduler (streamed, one process): time, peak RSS, linearity',
  async run({ quick, io }) {
    const iterations = quick ? 12 : 366;
    if (io.stderrIsTTY) io.stderr(`replay-scale: generating (or reusing) the ${iterations}-iteration trace…\n`);
    const trace = await generatedTrace(iterations);
    if (io.stderrIsTTY) io.stderr('replay-scale: replaying…\n');
    const r = await runProbe(trace);
    const label = `replay ${r.samples.toLocaleString('en-US')} samples, ${r.schedulers} schedulers`;
    const [first, , last] = r.thirdsS;
    const figures: BenchFigure[] = [
      { name: `${label}: wall time`, value: r.seconds, unit: 's', better: 'lower', ...(quick ? {} : { goal: { value: REPLAY_SCALE_GOAL_S, met: r.seconds <= REPLAY_SCALE_GOAL_S } }), note: `${r.iterations} iterations; CPU ${r.cpuSeconds.toFixed(1)} s` },
      { name: `${label}: CPU time`, value: r.cpuSeconds, unit: 's', better: 'lower', note: 'steadier than wall time on a shared machine' },
      { name: `${label}: peak RSS`, value: r.maxRssBytes / 1e6, unit: 'MB', better: 'lower', ...(quick ? {} : { goal: { value: REPLAY_SCALE_GOAL_MB, met: r.maxRssBytes / 1e6 <= REPLAY_SCALE_GOAL_MB } }) },
    ];
    if (first !== undefined && last !== undefined && first > 0) {
      figures.push({ name: `${label}: time per iteration, last third / first third`, value: last / first, unit: 'ratio', better: 'lower', note: `seconds per iteration in each third: ${r.thirdsS.map((s) => s.toFixed(3)).join(' / ')}; 1 = linear in the trace's length` });
    }
    return figures;
  },
};
