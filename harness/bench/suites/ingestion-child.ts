import { fileURLToPath } from 'node:url';
import { runNode } from '../child-process.js';

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
  return runNode(args).then(({ exitCode, signal, stdout, stderr }) => {
    const line = stdout.trim().split('\n').pop();
    let result: ProbeResult | undefined;
    if (exitCode === 0 && line) result = JSON.parse(line) as ProbeResult;
    return { ...(result ? { result } : {}), exitCode, signal, stderr };
  });
}
