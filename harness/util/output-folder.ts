import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { InputError } from './input-error.js';

/**
 * Output sets written as one transaction: a run's files (a report folder, nightly's pages with
 * its history line and baselines, a sweep's chart) appear together or not at all, and stale
 * files of an earlier run never sit beside new ones.
 *
 * How a commit works. Every file is first written into a staging folder inside the folder it
 * goes to (`<root>/.rlhf-replay-<pid>-<hex>.staging/`, on the same file system, so the moves
 * below are renames). Then one journal file is written atomically into the set's folder
 * (`<folder>/.rlhf-replay-<pid>-<hex>.commit.json`): it lists every move, every stale file to
 * delete and every staging folder. Writing it is the commit point. Then the moves are made
 * (each `rename` replaces its target atomically), stale files deleted, staging folders and the
 * journal removed.
 *
 * A kill before the journal exists leaves every visible file as it was; the staging folder is
 * removed by the next run. A kill after it is finished by the next run (`recover`, which every
 * transaction runs first on the folders it touches): it replays the journal, which is
 * idempotent, so the folder holds exactly the new set. Either way the state after the next run
 * starts is exactly the old set or exactly the new one, never a mix. (It guards against a killed
 * process, not a power cut: nothing is fsync'ed.)
 *
 * Why not swap the whole folder (old → backup, new → final)? The default report folder
 * `reports/` also holds nightly's folder and history, and a tracked README; `--out .` cannot be
 * renamed; and nightly's set spans folders (history line, baselines) that no single rename
 * covers. The journal gives the same guarantee for files wherever they live.
 *
 * What a run owns. A set folder holds a manifest, `.rlhf-replay-output.json`, listing the files
 * the last committed run wrote there (relative paths). A commit replaces the files it writes and
 * deletes only files the previous manifest lists that the new set lacks; every other file in the
 * folder (a user's notes, another command's folder such as `reports/nightly/`, files of a run
 * made before manifests existed) is left alone. Besides that, the project owns exactly the names
 * it gives its temporary files: `.rlhf-replay-<pid>-<hex>.staging` / `.commit.json`, and
 * `writeFileAtomic`'s `.<name>.tmp-<pid>-<hex>`; those of a process that is no longer running are
 * removed by the next run that writes into the same folder (those of a live process are left, so
 * two runs never delete each other's work).
 *
 * Test hooks (read from the environment, used by the kill tests): RLHF_REPLAY_KILL_AFTER_WRITE_STEP=k
 * makes the process SIGKILL itself right after its k-th file-system step (1-based, counted per
 * transaction, recovery included); RLHF_REPLAY_TRACE_WRITE_STEPS=1 prints each step on stderr.
 */

export const MANIFEST_FILE = '.rlhf-replay-output.json';
const MANIFEST_FORMAT = 'rlhf-replay-output-set';
const JOURNAL_FORMAT = 'rlhf-replay-commit';
const STAGING_FORMAT = 'rlhf-replay-staging';
const FORMAT_VERSION = 1;
/** Inside a staging folder: which journal would commit it. */
const OWNER_FILE = 'owner.json';
const TRANSACTION_NAME = /^\.rlhf-replay-(\d+)-([0-9a-f]{8})\.(staging|commit\.json)$/;
/** `writeFileAtomic`'s temporary files. */
const ATOMIC_TEMP_NAME = /^\..+\.tmp-(\d+)-[0-9a-f]{8}$/;

export const KILL_AFTER_STEP_ENV = 'RLHF_REPLAY_KILL_AFTER_WRITE_STEP';
export const TRACE_STEPS_ENV = 'RLHF_REPLAY_TRACE_WRITE_STEPS';

/** Counts file-system steps; the kill tests stop the process after a chosen one. */
class WriteSteps {
  private count = 0;
  private readonly killAfter: number | undefined;
  private readonly trace: boolean;

  constructor(env: Readonly<Record<string, string | undefined>>) {
    const kill = Number(env[KILL_AFTER_STEP_ENV]);
    this.killAfter = Number.isInteger(kill) && kill > 0 ? kill : undefined;
    this.trace = env[TRACE_STEPS_ENV] === '1';
  }

  done(label: string): void {
    this.count++;
    if (this.trace) process.stderr.write(`write step ${this.count}: ${label}\n`);
    if (this.count === this.killAfter) process.kill(process.pid, 'SIGKILL');
  }
}

function processAlive(pid: number): boolean {
  // Our own pid: a transaction of this process may be under way (another test in the same worker).
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function kindOf(path: string): Promise<'file' | 'folder' | 'other' | undefined> {
  try {
    const stats = await lstat(path);
    return stats.isFile() ? 'file' : stats.isDirectory() ? 'folder' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

async function entriesOf(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}

/** A path inside a set folder as the manifest stores it, or undefined when it would leave the folder or is reserved. */
function setRelativePath(path: string): string | undefined {
  if (path === '' || isAbsolute(path) || path.includes('\\')) return undefined;
  const normalized = normalize(path).split(sep).join('/');
  if (normalized === '.' || normalized.startsWith('../') || normalized === '..' || normalized.startsWith('/')) return undefined;
  if (normalized.split('/').some((part) => part === '' || part === '.' || part.startsWith('.rlhf-replay-'))) return undefined;
  return normalized;
}

interface Manifest {
  readonly command: string;
  readonly files: readonly string[];
}

function manifestText(command: string, files: readonly string[]): string {
  return `${JSON.stringify({ format: MANIFEST_FORMAT, version: FORMAT_VERSION, command, files: [...files].sort() }, null, 2)}\n`;
}

/**
 * The set folder's manifest; a missing one is an empty set (a new folder, or one written before
 * manifests existed). Entries that would leave the folder are ignored, never deleted.
 */
export async function readManifest(folder: string): Promise<Manifest | undefined> {
  const path = join(folder, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new InputError({ file: path, message: `output manifest: cannot be read (${code ?? String(error)})` });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError({ file: path, line: 1, column: 1, message: `output manifest: not valid JSON; delete it (the files it listed will then be kept, not cleaned)` });
  }
  const record = value as { format?: unknown; command?: unknown; files?: unknown };
  if (typeof value !== 'object' || value === null || record.format !== MANIFEST_FORMAT || !Array.isArray(record.files)) {
    throw new InputError({ file: path, field: 'format', value: record?.format, message: `output manifest: expected '${MANIFEST_FORMAT}' with a list of files; delete it (the files it listed will then be kept, not cleaned)` });
  }
  const files = record.files.filter((file): file is string => typeof file === 'string').flatMap((file) => setRelativePath(file) ?? []);
  return { command: typeof record.command === 'string' ? record.command : '', files };
}

interface Journal {
  /** [staged, final], relative to the journal's folder. */
  readonly moves: readonly (readonly [string, string])[];
  readonly deletes: readonly string[];
  /** Folders left behind by deleted files, removed when empty (deepest first). */
  readonly prune: readonly string[];
  readonly staging: readonly string[];
}

function parseJournal(text: string): Journal | undefined {
  try {
    const value = JSON.parse(text) as Partial<Journal> & { format?: unknown };
    if (value.format !== JOURNAL_FORMAT || !Array.isArray(value.moves) || !Array.isArray(value.deletes) || !Array.isArray(value.prune) || !Array.isArray(value.staging)) return undefined;
    return value as Journal;
  } catch {
    return undefined;
  }
}

/**
 * Finishes a committed transaction from its journal. Every step tolerates having been done
 * already (by a killed run, or by another process finishing the same journal), so it can be
 * replayed any number of times.
 */
async function replayJournal(folder: string, journalName: string, steps: WriteSteps): Promise<void> {
  const journalPath = join(folder, journalName);
  let text: string;
  try {
    text = await readFile(journalPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const journal = parseJournal(text);
  if (journal === undefined) throw new Error(`${journalPath}: damaged commit journal (written by this harness; a bug or a change by hand)`);
  const at = (path: string) => resolve(folder, path);
  for (const [from, to] of journal.moves) {
    if ((await kindOf(at(from))) === undefined) continue;
    await mkdir(dirname(at(to)), { recursive: true });
    try {
      await rename(at(from), at(to));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    steps.done(`move ${to}`);
  }
  for (const path of journal.deletes) {
    if ((await kindOf(at(path))) !== 'file') continue;
    await rm(at(path), { force: true });
    steps.done(`delete stale ${path}`);
  }
  for (const path of journal.prune) {
    try {
      await rmdir(at(path));
      steps.done(`remove empty folder ${path}`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    }
  }
  for (const path of journal.staging) {
    await rm(at(path), { recursive: true, force: true });
    steps.done(`remove staging ${path}`);
  }
  await rm(journalPath, { force: true });
  steps.done(`remove journal ${journalName}`);
}

/**
 * Brings a folder the project writes into back to a committed state: finishes committed
 * transactions, removes staging folders of uncommitted ones and temporary files of processes that
 * are gone. `ownedSubfolders` (from the manifest) are swept for temporary files too.
 */
async function recoverFolder(folder: string, steps: WriteSteps): Promise<void> {
  const names = await entriesOf(folder);
  for (const name of names) {
    if (TRANSACTION_NAME.exec(name)?.[3] === 'commit.json') await replayJournal(folder, name, steps);
  }
  for (const name of await entriesOf(folder)) {
    const transaction = TRANSACTION_NAME.exec(name);
    if (transaction?.[3] === 'staging' && !processAlive(Number(transaction[1]))) {
      const staging = join(folder, name);
      const owner = await readStagingOwner(staging);
      if (owner !== undefined && (await kindOf(owner)) === 'file') await replayJournal(dirname(owner), basename(owner), steps);
      else {
        await rm(staging, { recursive: true, force: true });
        steps.done(`remove uncommitted staging ${name}`);
      }
    }
    await removeDeadTemporary(folder, name, steps);
  }
}

async function removeDeadTemporary(folder: string, name: string, steps: WriteSteps): Promise<void> {
  const temporary = ATOMIC_TEMP_NAME.exec(name);
  if (temporary === null || processAlive(Number(temporary[1])) || (await kindOf(join(folder, name))) !== 'file') return;
  await rm(join(folder, name), { force: true });
  steps.done(`remove stray temporary file ${name}`);
}

/** The journal path a staging folder belongs to, if its owner file was written. */
async function readStagingOwner(staging: string): Promise<string | undefined> {
  try {
    const value = JSON.parse(await readFile(join(staging, OWNER_FILE), 'utf8')) as { format?: unknown; journal?: unknown };
    if (value.format !== STAGING_FORMAT || typeof value.journal !== 'string') return undefined;
    return resolve(staging, value.journal);
  } catch {
    return undefined;
  }
}

export interface OutputTransactionOptions {
  /**
   * The folder written as one set (created when missing): after the commit it holds exactly the
   * files written with `write`, besides files the project does not own. Omit it to only replace
   * `files`.
   */
  readonly folder?: string;
  /** The command writing the set, recorded in its manifest. */
  readonly command: string;
  /** Single files replaced in the same commit, anywhere (nightly's history, baselines, a chart page). */
  readonly files?: readonly string[];
  /** Environment for the test hooks (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface OutputTransaction {
  /** The set folder, or the folder of the first single file. */
  readonly folder: string;
  /** Stages a file of the set, at a path relative to the folder. */
  write(relativePath: string, contents: string | Uint8Array): Promise<void>;
  /** Stages one of the declared single files. */
  writeFile(path: string, contents: string | Uint8Array): Promise<void>;
  /** Makes every staged file visible at once and returns their paths (as the caller named them), in the order written. */
  commit(): Promise<readonly string[]>;
  /** Drops everything staged; the folders stay as they were. */
  abandon(): Promise<void>;
}

/**
 * Opens a transaction: first recovers the folders it will write (so an earlier killed run is
 * finished or undone, and inputs read from them next, such as nightly's history, are whole),
 * then stages nothing until `write` / `writeFile`.
 */
export async function openOutputTransaction(options: OutputTransactionOptions): Promise<OutputTransaction> {
  const steps = new WriteSteps(options.env ?? process.env);
  const singles = (options.files ?? []).map((file) => resolve(file));
  if (options.folder === undefined && singles.length === 0) throw new Error('openOutputTransaction: give a folder or files');
  const home = resolve(options.folder ?? dirname(singles[0]!));
  if (options.folder !== undefined) {
    const kind = await kindOf(home);
    if (kind !== undefined && kind !== 'folder') throw new InputError({ file: options.folder, message: 'output folder: a file is in the way (expected a folder)' });
  }
  const roots = [...new Set([home, ...singles.map((file) => dirname(file))])];
  for (const root of roots) await recoverFolder(root, steps);
  const manifest = options.folder !== undefined ? await readManifest(home) : undefined;
  if (options.folder !== undefined) {
    for (const subfolder of [...new Set((manifest?.files ?? []).map((file) => dirname(join(home, file))))].filter((path) => path !== home).sort()) {
      for (const name of await entriesOf(subfolder)) await removeDeadTemporary(subfolder, name, steps);
    }
  }

  const id = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const journalName = `.rlhf-replay-${id}.commit.json`;
  const stagingOf = new Map<string, string>();
  const staged = new Map<string, string>(); // final path → staged path, in write order
  const shown = new Map<string, string>(); // final path → as the caller named it
  const setFiles: string[] = [];
  let state: 'open' | 'committed' | 'abandoned' = 'open';

  const stagingFolder = async (root: string): Promise<string> => {
    let staging = stagingOf.get(root);
    if (staging === undefined) {
      staging = join(root, `.rlhf-replay-${id}.staging`);
      await mkdir(staging, { recursive: true });
      steps.done(`create staging ${relative(home, staging)}`);
      // Written first, so a staging folder without it is known to be uncommitted.
      await writeFile(join(staging, OWNER_FILE), `${JSON.stringify({ format: STAGING_FORMAT, version: FORMAT_VERSION, journal: relative(staging, join(home, journalName)) })}\n`);
      steps.done(`write owner of ${relative(home, staging)}`);
      stagingOf.set(root, staging);
    }
    return staging;
  };
  const stage = async (finalPath: string, stagedPath: string, contents: string | Uint8Array): Promise<void> => {
    if (state !== 'open') throw new Error(`output transaction: write after ${state}`);
    await mkdir(dirname(stagedPath), { recursive: true });
    await writeFile(stagedPath, contents);
    if (!staged.has(finalPath)) staged.set(finalPath, stagedPath);
    steps.done(`stage ${relative(home, finalPath)}`);
  };

  const transaction: OutputTransaction = {
    folder: home,
    async write(relativePath, contents) {
      if (options.folder === undefined) throw new Error('output transaction: write() needs a set folder');
      const path = setRelativePath(relativePath);
      if (path === undefined) throw new Error(`output transaction: '${relativePath}' is not a path inside the output folder`);
      const finalPath = join(home, path);
      if (singles.includes(finalPath)) throw new Error(`output transaction: '${relativePath}' is also declared as a single file`);
      if (!setFiles.includes(path)) setFiles.push(path);
      shown.set(finalPath, join(options.folder, path));
      return stage(finalPath, join(await stagingFolder(home), 'set', path), contents);
    },
    async writeFile(path, contents) {
      const finalPath = resolve(path);
      if (!singles.includes(finalPath)) throw new Error(`output transaction: '${path}' was not declared in files`);
      shown.set(finalPath, path);
      return stage(finalPath, join(await stagingFolder(dirname(finalPath)), 'files', `${singles.indexOf(finalPath)}`), contents);
    },
    async commit() {
      if (state !== 'open') throw new Error(`output transaction: commit after ${state}`);
      const deletes: string[] = [];
      const prune = new Set<string>();
      if (options.folder !== undefined) {
        // Staged last, so it is moved last: the manifest names the set once every file is there.
        await stage(join(home, MANIFEST_FILE), join(await stagingFolder(home), MANIFEST_FILE), manifestText(options.command, setFiles));
        for (const file of manifest?.files ?? []) {
          if (setFiles.includes(file)) continue;
          deletes.push(join(home, file));
          for (let parent = dirname(join(home, file)); parent !== home && parent.startsWith(home + sep); parent = dirname(parent)) prune.add(parent);
        }
      }
      const moves = [...staged.entries()].map(([finalPath, stagedPath]) => [stagedPath, finalPath] as const);
      // Checked before the commit point, so a blocked move fails with the old files intact.
      try {
        for (const [, finalPath] of moves) await checkWritable(finalPath, home);
      } catch (error) {
        await transaction.abandon();
        throw error;
      }
      const journal = {
        format: JOURNAL_FORMAT,
        version: FORMAT_VERSION,
        moves: moves.map(([from, to]) => [relative(home, from), relative(home, to)]),
        deletes: deletes.map((path) => relative(home, path)),
        prune: [...prune].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map((path) => relative(home, path)),
        staging: [...stagingOf.values()].map((path) => relative(home, path)),
      };
      await writeFileAtomic(join(home, journalName), `${JSON.stringify(journal, null, 1)}\n`);
      steps.done(`write journal ${journalName} (commit point)`);
      state = 'committed';
      await replayJournal(home, journalName, steps);
      return [...shown.values()];
    },
    async abandon() {
      if (state !== 'open') return;
      state = 'abandoned';
      for (const staging of stagingOf.values()) await rm(staging, { recursive: true, force: true });
    },
  };
  return transaction;
}

/** A move's target must be a file or nothing, and every folder above it (below `home`) a folder. */
async function checkWritable(finalPath: string, home: string): Promise<void> {
  const kind = await kindOf(finalPath);
  if (kind === 'folder' || kind === 'other') throw new InputError({ file: finalPath, message: `cannot write the output file: a ${kind === 'folder' ? 'folder' : 'non-file'} is in the way` });
  const stop = finalPath.startsWith(home + sep) ? home : dirname(finalPath);
  for (let parent = dirname(finalPath); parent !== stop && parent.startsWith(stop + sep); parent = dirname(parent)) {
    const parentKind = await kindOf(parent);
    if (parentKind !== undefined && parentKind !== 'folder') throw new InputError({ file: parent, message: 'cannot write the output files below it: a file is in the way (expected a folder)' });
  }
}

/**
 * Runs `build` in a transaction: commits when it returns, abandons (leaving every folder as it
 * was) when it throws.
 */
export async function writeOutputs<T>(options: OutputTransactionOptions, build: (transaction: OutputTransaction) => Promise<T>): Promise<{ readonly value: T; readonly written: readonly string[] }> {
  const transaction = await openOutputTransaction(options);
  let value: T;
  try {
    value = await build(transaction);
  } catch (error) {
    await transaction.abandon();
    throw error;
  }
  return { value, written: await transaction.commit() };
}

/** Replaces one file as a transaction of one (stray temporary files beside it are cleaned first). */
export async function writeOutputFile(path: string, contents: string | Uint8Array, command: string): Promise<void> {
  await writeOutputs({ command, files: [path] }, (transaction) => transaction.writeFile(path, contents));
}

/** Recovers the folders a transaction with these options would write, without writing anything (what the next run does first). */
export async function recoverOutputs(options: Omit<OutputTransactionOptions, 'command'>): Promise<void> {
  const transaction = await openOutputTransaction({ ...options, command: '' });
  await transaction.abandon();
}
