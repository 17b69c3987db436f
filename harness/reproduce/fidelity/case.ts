import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FidelityRow } from '../../fidelity/compare.js';
import { DEFAULT_FALLBACK_LENGTHS, DEFAULT_FRAMEWORK_CALIBRATION, DEFAULT_KERNEL_CALIBRATION, packagePath, readFallbackLengths, readFrameworkCalibration, readKernelCalibration } from '../../fidelity/inputs.js';
import { loadRecorded } from '../../fidelity/load-recorded.js';
import { fidelitySections } from '../../fidelity/report-page.js';
import { runFidelity } from '../../fidelity/run-fidelity.js';
import type { Case, CaseKind } from '../../jobs/cases.js';
import type { PageSection } from '../../report/page-model.js';
import { InputError } from '../../util/input-error.js';
import { portableToAbsolute, verifyHashedFiles, type HashedFile } from '../traces/resolve.js';

/**
 * The fidelity section of the reproduction: every recorded RL training step of the shared
 * rl-step-logs replayed under the shipped framework calibration and compared stage by stage,
 * out of sample (rows of runs the calibration was fitted on are predicted by the fit that left
 * their run out) — the same check as `rlhf-replay fidelity --runs …/runs.csv`. One case, plain
 * JSON in and out, so a sharded reproduction merges it like any other.
 */
export const FIDELITY_KIND = 'reproduce-fidelity';
export const FIDELITY_RUNS = 'research/data/rl-step-logs/runs.csv';

export interface FidelityCase extends Case {
  readonly kind: typeof FIDELITY_KIND;
  /** The recorded-runs table (portable path) with its hash. */
  readonly runs: HashedFile;
  /** The framework calibration the reproduction runs under (project-relative). */
  readonly calibration: string;
  readonly seed: number;
}

export interface FidelityCaseResult {
  readonly steps: number;
  readonly rows: readonly FidelityRow[];
  readonly inSampleRows: readonly FidelityRow[];
  readonly unsupported: readonly { readonly runId: string; readonly reason: string }[];
  /** The page's fidelity group, already built (charts and tables are plain JSON). */
  readonly sections: readonly PageSection[];
}

/** The case, when the shared runs table is there (its hash pins it); undefined with why otherwise. */
export async function fidelityCase(env: Readonly<Record<string, string | undefined>> = process.env): Promise<{ case?: FidelityCase; missing?: string }> {
  let text: Buffer;
  try {
    text = await readFile(portableToAbsolute(FIDELITY_RUNS, env));
  } catch {
    return { missing: `the recorded runs ${FIDELITY_RUNS} are not in the shared folder` };
  }
  return {
    case: {
      kind: FIDELITY_KIND,
      id: 'fidelity/rl-step-logs',
      runs: { path: FIDELITY_RUNS, sha256: createHash('sha256').update(text).digest('hex') },
      calibration: DEFAULT_FRAMEWORK_CALIBRATION,
      seed: 1,
    },
  };
}

export async function runFidelityCase(testCase: FidelityCase): Promise<FidelityCaseResult> {
  const mismatch = await verifyHashedFiles([testCase.runs]);
  if (mismatch) throw new InputError({ file: testCase.runs.path, message: `recorded runs of the plan: ${mismatch}; re-run the shards from one checkout with the same shared data` });
  const [kernelCalibration, framework, fallbackLengths, loaded] = await Promise.all([
    readKernelCalibration(packagePath(DEFAULT_KERNEL_CALIBRATION)),
    readFrameworkCalibration(packagePath(testCase.calibration)),
    readFallbackLengths(packagePath(DEFAULT_FALLBACK_LENGTHS)),
    loadRecorded([portableToAbsolute(testCase.runs.path)]),
  ]);
  const report = await runFidelity(loaded.sources, { kernelCalibration, ...(framework ? { framework } : {}), seed: testCase.seed, fallbackLengths });
  return {
    steps: report.steps.length,
    rows: report.rows,
    inSampleRows: report.inSampleRows,
    unsupported: report.unsupported,
    sections: fidelitySections(report, framework),
  };
}

export const fidelityKind: CaseKind<FidelityCase, FidelityCaseResult> = { kind: FIDELITY_KIND, run: (testCase) => runFidelityCase(testCase) };
