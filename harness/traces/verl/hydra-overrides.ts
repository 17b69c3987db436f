import type { ConfigValue } from './config-value.js';

/**
 * One command-line override of a Hydra application (veRL's `main_ppo` is one): `a.b.c=value`
 * sets, `+a.b=value` adds a key the config lacks, `++a.b=value` adds or sets, `~a.b` deletes.
 * https://hydra.cc/docs/advanced/override_grammar/basic/
 */
export interface HydraOverride {
  readonly op: 'set' | 'add' | 'force-add' | 'delete';
  /** Dotted key without the `+`/`++`/`~` prefix. */
  readonly key: string;
  /** The value text as the program received it (after shell quote removal). */
  readonly valueText?: string;
  readonly value?: ConfigValue;
  /** Where the word starts in the log, 1-based. */
  readonly line: number;
  readonly column: number;
}

/** `--config-path=…` / `--config-name=…` (or `-cp` / `-cn`), which pick the base config file. */
export interface HydraFlags {
  configName?: string;
  configPath?: string;
}

const KEY = /^[A-Za-z_][\w-]*(?:\.[\w-]+)*$/;

/**
 * Reads one command-line word. Returns an override, a recognised flag, or a reason the word is
 * neither (the caller reports it with its position).
 */
export function parseHydraWord(
  word: string,
  where: { line: number; column: number },
  flags: HydraFlags,
  next?: () => string | undefined,
): { override: HydraOverride } | { flag: true } | { error: string } {
  const flag = /^(--config-name|--config-path|-cn|-cp)(?:=(.*))?$/.exec(word);
  if (flag) {
    const value = flag[2] ?? next?.();
    if (value === undefined) return { error: `${flag[1]} needs a value` };
    if (flag[1] === '--config-name' || flag[1] === '-cn') flags.configName = value;
    else flags.configPath = value;
    return { flag: true };
  }
  const match = /^(~|\+\+|\+)?([^=]*)(?:=([\s\S]*))?$/.exec(word)!;
  const prefix = match[1];
  const key = match[2]!;
  const valueText = match[3];
  if (!KEY.test(key)) return { error: `is not a Hydra override: expected key=value with a dotted key (a.b.c=value, +a.b=value, ~a.b)` };
  if (prefix === '~') return { override: { op: 'delete', key, ...(valueText !== undefined ? { valueText, value: parseHydraValue(valueText) } : {}), ...where } };
  if (valueText === undefined) return { error: `is not a Hydra override: '${key}' has no '=value'` };
  const op = prefix === '++' ? 'force-add' : prefix === '+' ? 'add' : 'set';
  return { override: { op, key, valueText, value: parseHydraValue(valueText), ...where } };
}

/**
 * A Hydra override value, typed as Hydra's grammar does for the forms launch scripts use:
 * `null`; `true`/`false` (any case); integers; floats (`1e-6`, `inf`, `nan`); quoted strings;
 * lists `[a, b]` and dicts `{k: v}` of these; anything else (including `${…}` interpolations) is a
 * string.
 */
export function parseHydraValue(text: string): ConfigValue {
  const parser = new HydraValueParser(text.trim());
  const value = parser.element(false);
  return parser.atEnd() ? value : text.trim();
}

class HydraValueParser {
  pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    this.space();
    return this.pos >= this.text.length;
  }

  space(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  /** One value; `nested` when inside a list or dict, where `,`, `]`, `}` and `:` end a bare word. */
  element(nested: boolean): ConfigValue {
    this.space();
    const c = this.text[this.pos];
    if (c === '[') return this.list();
    if (c === '{') return this.dict();
    if (c === "'" || c === '"') {
      const close = this.text.indexOf(c, this.pos + 1);
      if (close !== -1) {
        const value = this.text.slice(this.pos + 1, close);
        this.pos = close + 1;
        return value;
      }
    }
    const stop = nested ? /[,\]}:]/ : /$^/;
    let end = this.pos;
    let depth = 0;
    while (end < this.text.length) {
      const d = this.text[end]!;
      if (d === '$' && this.text[end + 1] === '{') depth++;
      else if (d === '}' && depth > 0) depth--;
      else if (depth === 0 && stop.test(d)) break;
      end++;
    }
    const word = this.text.slice(this.pos, end).trim();
    this.pos = end;
    return scalar(word);
  }

  list(): ConfigValue {
    this.pos++;
    const items: ConfigValue[] = [];
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.element(true));
      this.space();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ']') return items;
      if (c !== ',') return this.text;
    }
  }

  dict(): ConfigValue {
    this.pos++;
    const out: Record<string, ConfigValue> = {};
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      const key = this.element(true);
      this.space();
      if (this.text[this.pos] !== ':') return this.text;
      this.pos++;
      out[String(key)] = this.element(true);
      this.space();
      const c = this.text[this.pos];
      this.pos++;
      if (c === '}') return out;
      if (c !== ',') return this.text;
    }
  }
}

function scalar(word: string): ConfigValue {
  const lower = word.toLowerCase();
  if (lower === 'null') return null;
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (/^[+-]?\d[\d_]*$/.test(word)) return Number(word.replace(/_/g, ''));
  if (/^[+-]?(\d[\d_]*\.\d*|\.\d+|\d[\d_]*)([eE][+-]?\d+)?$/.test(word)) return Number(word.replace(/_/g, ''));
  if (/^[+-]?inf$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
  if (lower === 'nan') return Number.NaN;
  return word;
}
