import { createRng, type Rng } from '../util/rng.js';
import { InputError, isInputError } from '../util/input-error.js';

/**
 * Cases: the unit of work of every command that can be sharded and run on a worker pool
 * (`nightly`, `reproduce`, `sweep`). A command enumerates its cases, runs some of them (a shard,
 * maybe on a pool), and finalizes the results of all of them. A case is plain JSON data with a
 * unique `id` and a `kind`; a kind's `run` turns a case into a JSON-serialisable result.
 *
 * Results must depend on the case alone: the random stream a case gets is derived from the plan's
 * seed and the case id, never from the order cases run in, the shard or the worker.
 */
export interface Case {
  /** Unique within a plan; letters, digits and `._/+=@-` (shard files and reports use it as a key). */
  readonly id: string;
  /** Names the CaseKind that runs it. */
  readonly kind: string;
  /**
   * Estimated seconds to run it, from the last recorded run (a case-costs file) or a static
   * estimate: what sharding balances. Part of the plan, so every shard assigns alike.
   */
  readonly costEstimateS?: number;
}

export interface CaseContext {
  /** Seeded from the plan seed and the case id only (see `caseRng`). */
  readonly rng: Rng;
  /** Folder that relative paths inside case specs are resolved against (e.g. the suite file's folder). */
  readonly baseDir: string;
}

export interface CaseKind<C extends Case = Case, R = unknown> {
  readonly kind: string;
  /**
   * Timing-sensitive kinds (micro-benchmarks) run alone: after every other case has finished and
   * the worker pool is gone, one at a time, so parallel work never disturbs a timing.
   */
  readonly exclusive?: boolean;
  run(testCase: C, context: CaseContext): R | Promise<R>;
}

/** Kinds by name. A registry lives in a module so workers can import it (functions do not cross threads). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CaseKindRegistry = Readonly<Record<string, CaseKind<any, any>>>;

/** Where a worker finds a registry: a module URL (file: URL of a .ts or .js file) and the export's name. */
export interface CaseKindsRef {
  readonly module: string;
  readonly exportName: string;
}

export interface CaseErrorInfo {
  readonly message: string;
  /** The case's input was bad (exit 2) rather than the harness failing (exit 3). */
  readonly inputError: boolean;
}

/** What running one case gave: its result, or the error it threw (other cases still run and report). */
export type CaseOutcome<R = unknown> =
  | { readonly id: string; readonly kind: string; readonly status: 'ok'; readonly result: R }
  | { readonly id: string; readonly kind: string; readonly status: 'error'; readonly error: CaseErrorInfo };

const CASE_ID_PATTERN = /^[A-Za-z0-9._/+=@-]+$/;

/** The random stream of a case: a pure function of the plan seed and the case id. */
export function caseRng(seed: number, id: string): Rng {
  return createRng(seed).fork(`case:${id}`);
}

/** Problems with a list of cases' ids: empty, badly formed or repeated ids (a bug in whoever enumerated them, or a bad suite). */
export function caseIdProblems(cases: readonly Case[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const testCase of cases) {
    if (typeof testCase.id !== 'string' || !CASE_ID_PATTERN.test(testCase.id)) problems.push(`case id '${String(testCase.id)}' must be non-empty and use only letters, digits and ._/+=@-`);
    else if (seen.has(testCase.id)) problems.push(`case id '${testCase.id}' is used twice`);
    seen.add(testCase.id);
  }
  return problems;
}

export function isValidCaseId(id: string): boolean {
  return CASE_ID_PATTERN.test(id);
}

export function byId<T extends { readonly id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Results cross threads and files as JSON: normalising here makes an in-process result byte-identical to one read back from a shard file. */
export function jsonNormalise<T>(value: T): T {
  const text = JSON.stringify(value);
  return (text === undefined ? null : JSON.parse(text)) as T;
}

function errorInfo(error: unknown): CaseErrorInfo {
  if (isInputError(error)) return { message: error.message, inputError: true };
  const message = error instanceof Error ? error.message : String(error);
  return { message, inputError: false };
}

/** Runs one case in this thread; a thrown error becomes an 'error' outcome. */
export async function runCase(registry: CaseKindRegistry, testCase: Case, seed: number, baseDir: string): Promise<CaseOutcome> {
  const kind = Object.hasOwn(registry, testCase.kind) ? registry[testCase.kind] : undefined;
  if (!kind) {
    return { id: testCase.id, kind: testCase.kind, status: 'error', error: { message: `unknown case kind '${testCase.kind}' (known: ${Object.keys(registry).sort().join(', ')})`, inputError: true } };
  }
  try {
    const result = await kind.run(testCase, { rng: caseRng(seed, testCase.id), baseDir });
    return { id: testCase.id, kind: testCase.kind, status: 'ok', result: jsonNormalise(result) };
  } catch (error) {
    return { id: testCase.id, kind: testCase.kind, status: 'error', error: errorInfo(error) };
  }
}

/** An outcome with the wall seconds its case took to run (kept out of the outcome: outcomes are the same bytes whatever the machine). */
export interface TimedOutcome {
  readonly outcome: CaseOutcome;
  readonly seconds: number;
}

export async function runTimedCase(registry: CaseKindRegistry, testCase: Case, seed: number, baseDir: string): Promise<TimedOutcome> {
  const started = performance.now();
  const outcome = await runCase(registry, testCase, seed, baseDir);
  return { outcome, seconds: (performance.now() - started) / 1000 };
}

/** Imports a registry by reference (what a worker does; the main thread does the same to learn which kinds are exclusive). */
export async function loadCaseKinds(ref: CaseKindsRef): Promise<CaseKindRegistry> {
  const module = (await import(ref.module)) as Record<string, unknown>;
  const registry = module[ref.exportName];
  if (typeof registry !== 'object' || registry === null) throw new Error(`case-kind module ${ref.module} has no export '${ref.exportName}'`);
  return registry as CaseKindRegistry;
}

/** Throws an InputError naming every bad case id (for commands that enumerate cases from a user's file). */
export function assertCaseIds(cases: readonly Case[], file: string): void {
  const problems = caseIdProblems(cases);
  if (problems.length > 0) throw new InputError(problems.map((message) => ({ file, field: 'id', message })));
}
