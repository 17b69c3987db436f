import { isConfigObject, type ConfigValue } from './config-value.js';
import { parsePythonLiteral, parsePythonString } from './python-literal.js';
import { splitRayLine } from './ray-lines.js';

/**
 * The resolved configuration veRL prints at start-up (`pprint(OmegaConf.to_container(config,
 * resolve=True))` in main_ppo), read back from the console log.
 */
export interface PrintedConfig {
  /** First and last line of the dict in the log, 1-based. */
  readonly line: number;
  readonly lastLine: number;
  /** The Ray prefix of the process that printed it (`(main_task pid=54569)`), '' when none. */
  readonly prefix: string;
  readonly tree: { readonly [key: string]: ConfigValue };
  /** True when every line was read and the braces closed: no key can be missing. */
  readonly complete: boolean;
  readonly notes: readonly string[];
}

/** The first line of the dict: pprint sorts keys, so a veRL config opens with one of its sections. */
const CONFIG_START = /^\s*\{'(actor_rollout_ref|algorithm|critic|custom_reward_function|data|ray_init|reward_model|trainer)': /;
/** A value continued over more lines than this is not a config value (a damaged dict). */
const MAX_VALUE_LINES = 200;

interface Frame {
  /** Character column of this dict's keys in the printed body. */
  readonly keyColumn: number;
  readonly path: readonly string[];
}

/**
 * Reads the printed config from a log fed line by line.
 *
 * Why by columns and not as one Python literal: under Ray, other processes' output interleaves
 * with the dict's lines (those lines have another prefix, or none, and are skipped), and lines can
 * be lost outright — one public log lost four of them, leaving the braces unbalanced. pprint puts
 * every key of a dict at the same column, one per line, so a key's column names its parent even
 * when a line before it is missing: keys are placed by column, values are read as Python literals
 * (a list or string continued over several lines is joined first). A lost line loses only its own
 * keys; `complete` is false and `notes` say what was skipped.
 */
export class PrintedConfigReader {
  private state: 'searching' | 'reading' | 'done' = 'searching';
  private prefix = '';
  private firstLine = 0;
  private lastLine = 0;
  private depth = 0;
  private damaged = false;
  private frames: Frame[] = [];
  private readonly tree: Record<string, ConfigValue> = {};
  private readonly notes: string[] = [];
  private pending: { path: string[]; text: string; line: number; lines: number } | undefined;

  get done(): boolean {
    return this.state === 'done';
  }

  /** Offers one line of the log; lines of other processes are ignored. */
  feed(raw: string, line: number): void {
    if (this.state === 'done') return;
    const { prefix, body } = splitRayLine(raw);
    if (this.state === 'searching') {
      if (!CONFIG_START.test(body)) return;
      this.state = 'reading';
      this.prefix = prefix;
      this.firstLine = line;
      const open = body.indexOf('{');
      this.depth = 1;
      this.frames = [{ keyColumn: open + 1, path: [] }];
      this.readItems(body, open + 1, line);
      this.lastLine = line;
      return;
    }
    if (prefix !== this.prefix) return;
    if (this.pending) {
      this.pending.text += `\n${body}`;
      this.pending.lines++;
      this.lastLine = line;
      const parsed = parsePythonLiteral(this.pending.text);
      if (parsed.ok) {
        const { path, text } = this.pending;
        this.pending = undefined;
        this.assign(path, parsed.value);
        this.afterValue(text, parsed.end);
      } else if (!parsed.incomplete || this.pending.lines > MAX_VALUE_LINES) {
        this.skip(this.pending.line, `a value continued from this line does not parse (${parsed.reason})`);
        this.pending = undefined;
      }
      return;
    }
    const start = body.search(/\S/);
    if (start === -1 || body[start] !== "'") {
      this.finish();
      return;
    }
    this.lastLine = line;
    this.readItems(body, start, line);
  }

  /** The dict read so far, once its start was seen. */
  result(): PrintedConfig | undefined {
    if (this.state === 'searching') return undefined;
    if (this.state === 'reading') this.finish();
    return {
      line: this.firstLine,
      lastLine: this.lastLine,
      prefix: this.prefix,
      tree: this.tree,
      complete: !this.damaged,
      notes: this.notes,
    };
  }

  private finish(): void {
    if (this.state === 'done') return;
    this.state = 'done';
    if (this.pending) this.skip(this.pending.line, 'a value continued from this line never ends');
    if (this.depth !== 0) {
      this.damaged = true;
      this.notes.push(
        `the printed config (lines ${this.firstLine}–${this.lastLine}) does not close its braces: lines of it are missing from the log; keys were placed by their indentation, and keys on the missing lines stay unknown`,
      );
    }
  }

  private skip(line: number, reason: string): void {
    this.damaged = true;
    this.notes.push(`printed config, line ${line}: ${reason}; its keys stay unknown`);
  }

  /** Reads `'key': value` items from `pos` on; a dict opened and not closed on this line opens a frame. */
  private readItems(body: string, pos: number, line: number): void {
    let first = true;
    for (;;) {
      const key = parsePythonString(body, pos);
      if (!key) {
        this.skip(line, `expected a quoted key at column ${pos + 1}`);
        return;
      }
      const column = pos;
      if (first) {
        while (this.frames.length > 1 && this.frames.at(-1)!.keyColumn > column) this.frames.pop();
        if (this.frames.at(-1)!.keyColumn !== column) {
          this.skip(line, `key '${key.value}' sits at a column no open dict has`);
          return;
        }
        first = false;
      }
      const path = [...this.frames.at(-1)!.path, key.value];
      let at = key.end;
      while (body[at] === ' ') at++;
      if (body[at] !== ':') {
        this.skip(line, `expected ':' after key '${key.value}'`);
        return;
      }
      at++;
      while (body[at] === ' ') at++;
      const parsed = parsePythonLiteral(body, at);
      if (parsed.ok) {
        this.assign(path, parsed.value);
        this.afterValue(body, parsed.end);
        return;
      }
      if (!parsed.incomplete && body[at] !== '{') {
        this.skip(line, `the value of '${key.value}' does not parse (${parsed.reason})`);
        return;
      }
      const inner = body[at] === '{' ? body.slice(at + 1).search(/\S/) : -1;
      if (body[at] === '{' && inner !== -1 && body[at + 1 + inner] === "'") {
        // A dict too wide for one line: its first key follows on this line, the rest below it.
        this.assign(path, {});
        this.depth++;
        pos = at + 1 + inner;
        this.frames.push({ keyColumn: pos, path });
        continue;
      }
      this.pending = { path, text: body.slice(at), line, lines: 1 };
      return;
    }
  }

  /** After a value: closing braces end dicts; a comma ends the item; anything later on the line is another process's output. */
  private afterValue(text: string, end: number): void {
    let at = end;
    while (at < text.length && (text[at] === '}' || text[at] === ' ')) {
      if (text[at] === '}') this.depth--;
      at++;
    }
    if (this.depth <= 0) {
      this.depth = 0;
      this.finish();
    }
  }

  private assign(path: readonly string[], value: ConfigValue): void {
    let node: Record<string, ConfigValue> = this.tree;
    for (const key of path.slice(0, -1)) {
      const child = node[key];
      if (!isConfigObject(child)) {
        node[key] = {};
      }
      node = node[key] as Record<string, ConfigValue>;
    }
    node[path.at(-1)!] = value;
  }
}
