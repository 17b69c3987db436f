import type { InputProblem } from '../../util/input-error.js';
import { parseHydraWord, type HydraFlags, type HydraOverride } from './hydra-overrides.js';
import { splitRayLine } from './ray-lines.js';
import { shellWords, type ShellWord } from './shell-words.js';

/**
 * How a log shows its launch command. Three forms occur in the public logs:
 * - `script`: the launch script pasted in a Markdown code fence (variables like `TP_VALUE=2`, then
 *   `python3 -m verl.trainer.main_ppo \` with one override per continued line, `$TP_VALUE` substituted);
 * - `bash-trace`: a `bash -x` trace line `++ python3 -m verl.trainer.main_ppo key=value …`, words
 *   shell-quoted for re-use (`'data.train_files=['\''/a'\'']'`);
 * - `wrapper`: veRL's Dec-2024 experiment logs: `command:` then `bash run_gemma.sh "k=v k=v …"`.
 *   The wrapper scripts pass their arguments on to main_ppo unquoted (`$@`), so one quoted argument
 *   holding several overrides reaches Hydra split at its blanks: that is how they are read. The
 *   script's own overrides are not in the log (the printed config has their effect).
 * When a log has a `script` or `bash-trace` command, that is the executed command; a `wrapper`
 * line, when also present, is kept beside it.
 */
export type LaunchForm = 'script' | 'bash-trace' | 'wrapper';

export interface VerlLaunch {
  readonly form: LaunchForm;
  /** Line of the command's first word, 1-based. */
  readonly line: number;
  /** The program and module before the overrides, e.g. `python3 -m verl.trainer.main_ppo`, or the wrapper's `bash run_gemma.sh`. */
  readonly program: string;
  /** Overrides in command order (Hydra applies them in order: a later one wins). */
  readonly overrides: readonly HydraOverride[];
  readonly configName?: string;
  readonly configPath?: string;
  /** Shell variables the pasted script defines (form `script`). */
  readonly variables: Readonly<Record<string, string>>;
  /** Variables the command uses that the log does not define; their `$NAME` is kept as written. */
  readonly unresolvedVariables: readonly string[];
  /** The `command:` wrapper line, when the log has one beside the executed command. */
  readonly wrapper?: { readonly line: number; readonly program: string; readonly overrides: readonly HydraOverride[] };
  /** The `commit:` header of veRL's Dec-2024 experiment logs. */
  readonly commit?: string;
}

/** `python3 -m verl.trainer.main_ppo`, or a recipe's entry point (`-m recipe.dapo.main_dapo`). */
const MAIN_MODULE = /(?:^|\s)-m\s+(?:verl|recipe)\.[\w.]+/;
const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

interface CommandText {
  readonly text: string;
  /** Log line and raw column of each line of `text`. */
  readonly lines: readonly { readonly line: number; readonly start: number; readonly column: number }[];
}

/**
 * Collects the launch command from the lines before the first step line. Feed lines in order;
 * `result` parses what was found. Problems (an unterminated quote, a word that is not an override)
 * name the log line and column.
 */
export class LaunchCommandReader {
  private inFence = false;
  private script: { lines: { text: string; line: number; column: number }[]; open: boolean } | undefined;
  private readonly variables: Record<string, string> = {};
  private trace: CommandText | undefined;
  private wrapper: CommandText | undefined;
  private awaiting: 'command' | 'commit' | undefined;
  private commit: string | undefined;
  readonly extraCommands: number[] = [];

  feed(raw: string, line: number): void {
    const { prefix, body, offset } = splitRayLine(raw);
    if (prefix !== '') return;
    const trimmed = body.trim();
    if (this.awaiting !== undefined && trimmed !== '') {
      if (this.awaiting === 'commit') this.commit = trimmed;
      else this.wrapper ??= single(body, line, offset);
      this.awaiting = undefined;
      return;
    }
    if ((trimmed === 'command:' && this.wrapper === undefined) || (trimmed === 'commit:' && this.commit === undefined)) {
      this.awaiting = trimmed === 'command:' ? 'command' : 'commit';
      return;
    }
    if (trimmed.startsWith('```')) {
      this.inFence = !this.inFence;
      return;
    }
    if (this.script?.open) {
      this.script.lines.push({ text: body, line, column: offset + 1 });
      this.script.open = /\\\s*$/.test(body);
      return;
    }
    const traced = /^(\++) (.*)$/.exec(body);
    if (traced) {
      if (MAIN_MODULE.test(traced[2]!)) {
        if (this.trace) this.extraCommands.push(line);
        else this.trace = single(traced[2]!, line, offset + traced[1]!.length + 1);
      }
      return;
    }
    if (MAIN_MODULE.test(body) && /^\s*(python3?|torchrun|ray)\b/.test(body)) {
      if (this.script) this.extraCommands.push(line);
      else this.script = { lines: [{ text: body, line, column: offset + 1 }], open: /\\\s*$/.test(body) };
      return;
    }
    if (this.script === undefined && (this.inFence || /^[A-Za-z_]/.test(body))) {
      const assignment = ASSIGNMENT.exec(trimmed);
      if (assignment) {
        const words = shellWords(assignment[2]!, this.variables);
        if (words.ok) this.variables[assignment[1]!] = words.words.map((w) => w.text).join(' ');
      }
    }
  }

  /** The launch command, or undefined when the log shows none. */
  result(file: string, problems: { add(problem: InputProblem): void }): VerlLaunch | undefined {
    const executed = this.trace ? { form: 'bash-trace' as const, text: this.trace } : this.script ? { form: 'script' as const, text: joinScript(this.script.lines) } : undefined;
    const wrapperText = this.wrapper;
    if (!executed && !wrapperText) return undefined;
    const main = executed ?? { form: 'wrapper' as const, text: wrapperText! };
    const variables = main.form === 'script' ? this.variables : {};
    const parsed = parseCommand(main.text, main.form, variables, file, problems);
    if (!parsed) return undefined;
    const wrapper = executed && wrapperText ? parseCommand(wrapperText, 'wrapper', {}, file, problems) : undefined;
    return {
      form: main.form,
      line: main.text.lines[0]!.line,
      program: parsed.program,
      overrides: parsed.overrides,
      ...(parsed.flags.configName !== undefined ? { configName: parsed.flags.configName } : {}),
      ...(parsed.flags.configPath !== undefined ? { configPath: parsed.flags.configPath } : {}),
      variables: main.form === 'script' ? sortedRecord(this.variables) : {},
      unresolvedVariables: parsed.unresolved,
      ...(wrapper ? { wrapper: { line: wrapperText!.lines[0]!.line, program: wrapper.program, overrides: wrapper.overrides } } : {}),
      ...(this.commit !== undefined ? { commit: this.commit } : {}),
    };
  }
}

function single(text: string, line: number, offset: number): CommandText {
  return { text, lines: [{ line, start: 0, column: offset + 1 }] };
}

function joinScript(lines: readonly { text: string; line: number; column: number }[]): CommandText {
  let text = '';
  const out: { line: number; start: number; column: number }[] = [];
  for (const piece of lines) {
    out.push({ line: piece.line, start: text.length, column: piece.column });
    text += `${piece.text}\n`;
  }
  return { text, lines: out };
}

/** Log line and column of an offset into a command's text. */
function locate(command: CommandText, offset: number): { line: number; column: number } {
  let at = command.lines[0]!;
  for (const piece of command.lines) if (piece.start <= offset) at = piece;
  return { line: at.line, column: at.column + offset - at.start };
}

function parseCommand(
  command: CommandText,
  form: LaunchForm,
  variables: Readonly<Record<string, string>>,
  file: string,
  problems: { add(problem: InputProblem): void },
): { program: string; overrides: HydraOverride[]; flags: HydraFlags; unresolved: readonly string[] } | undefined {
  const split = shellWords(command.text, variables);
  if (!split.ok) {
    problems.add({ file, ...locate(command, split.at), field: 'launch command', value: command.text.slice(split.at, split.at + 40), message: `${split.reason} in the launch command` });
    return undefined;
  }
  const words = [...split.words];
  let argsFrom: number;
  let program: string;
  if (form === 'wrapper') {
    const script = words.findIndex((w) => /\.sh$/.test(w.text));
    argsFrom = script === -1 ? 1 : script + 1;
    program = words.slice(0, argsFrom).map((w) => w.text).join(' ');
  } else {
    const module = words.findIndex((w, i) => w.text === '-m' && i + 1 < words.length);
    argsFrom = module === -1 ? 1 : module + 2;
    program = words.slice(0, argsFrom).map((w) => w.text).join(' ');
  }
  const args: ShellWord[] = [];
  // A pipe, list operator or redirection ends the command's arguments (`… 2>&1 | tee run.log`).
  const end = words.findIndex((w, i) => i >= argsFrom && /^(\|\|?|&&?|;|\d*>.*|<.*)$/.test(w.text));
  for (const word of words.slice(argsFrom, end === -1 ? undefined : end)) {
    if (form !== 'wrapper') {
      args.push(word);
      continue;
    }
    // The wrapper's `$@` reaches main_ppo unquoted: a quoted argument splits at its blanks.
    const quoted = /^["']/.test(command.text.slice(word.start)) ? 1 : 0;
    for (const match of word.text.matchAll(/\S+/g)) args.push({ text: match[0], start: word.start + quoted + match.index });
  }
  const flags: HydraFlags = {};
  const overrides: HydraOverride[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const where = locate(command, word.start);
    const result = parseHydraWord(word.text, where, flags, () => args[++i]?.text);
    if ('error' in result) problems.add({ file, ...where, field: 'launch command', value: word.text, message: result.error });
    else if ('override' in result) overrides.push(result.override);
  }
  return { program, overrides, flags, unresolved: split.unresolved };
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
