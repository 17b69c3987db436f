import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../util/shared-data.js';

export interface ProbeResult {
  readonly mode: 'stats' | 'collect';
  readonly groups: number;
  readonly samples: number;
  readonly seconds: number;
  readonly peakHeapUsedBytes: number;
  readonly maxRssBytes: number;
}

export interface ProbeOutcome {
  /** The probe's report, when it finished. */
  readonly result?: ProbeResult;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

const PROBE = fileURLToPath(new URL('./ingestion-probe.ts', import.meta.url));

/**
 * Runs the ingestion probe in a fresh Node process (so its peak RSS is its own), optionally with
 * a V8 old-space limit (a reader that holds the whole file then dies instead of passing) and with
 * `liveHeap` (garbage collected before each heap sample, so the figure is what is retained).
 */
export function runIngestionProbe(path: string, mode: 'stats' | 'collect', options: { maxOldSpaceMb?: number; liveHeap?: boolean } = {}): Promise<ProbeOutcome> {
  const args = [
    ...(options.maxOldSpaceMb ? [`--max-old-space-size=${options.maxOldSpaceMb}`] : []),
    ...(options.liveHeap ? ['--expose-gc'] : []),
    '--import',
    'tsx',
    PROBE,
    path,
    mode,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 1 << 16) stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      const line = stdout.trim().split('\n').pop();
      let result: ProbeResult | undefined;
      if (exitCode === 0 && line) result = JSON.parse(line) as ProbeResult;
      resolve({ ...(result ? { result } : {}), exitCode, signal, stderr });
    });
  });
}
