import type { ConfigValue } from './config-value.js';

/**
 * Reads a Python literal as `repr` / `pprint` print it: dicts, lists, tuples, strings (single or
 * double quoted, with escapes; adjacent strings concatenate, as pprint writes a long string),
 * ints, floats (`1e-06`, `inf`, `nan`), True / False / None. Tuples become arrays, None null.
 */
export type LiteralResult = { readonly ok: true; readonly value: ConfigValue; readonly end: number } | { readonly ok: false; readonly at: number; readonly reason: string; readonly incomplete: boolean };

export function parsePythonLiteral(text: string, start = 0): LiteralResult {
  const parser = new LiteralParser(text);
  try {
    parser.pos = start;
    parser.skipSpace();
    const value = parser.value();
    return { ok: true, value, end: parser.pos };
  } catch (error) {
    if (error instanceof LiteralSyntaxError) return { ok: false, at: error.at, reason: error.message, incomplete: error.incomplete };
    throw error;
  }
}

/** Reads a quoted Python string starting at `start` (no concatenation). */
export function parsePythonString(text: string, start: number): { value: string; end: number } | undefined {
  const parser = new LiteralParser(text);
  parser.pos = start;
  try {
    return { value: parser.singleString(), end: parser.pos };
  } catch (error) {
    if (error instanceof LiteralSyntaxError) return undefined;
    throw error;
  }
}

class LiteralSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
    /** The text ended before the literal did (a value continued on a later line). */
    readonly incomplete: boolean,
  ) {
    super(message);
  }
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' };

class LiteralParser {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(reason: string): never {
    throw new LiteralSyntaxError(reason, this.pos, this.pos >= this.text.length);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  value(): ConfigValue {
    const c = this.text[this.pos];
    if (c === undefined) this.fail('the text ends where a value should start');
    if (c === '{') return this.dict();
    if (c === '[') return this.sequence('[', ']');
    if (c === '(') return this.sequence('(', ')');
    if (c === "'" || c === '"') return this.strings();
    const word = /^[+-]?(?:\d[\d_]*\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|nan|True|False|None)(?![\w.])/.exec(this.text.slice(this.pos, this.pos + 64));
    if (!word) this.fail('is not a Python literal');
    this.pos += word[0].length;
    const token = word[0];
    if (token === 'True') return true;
    if (token === 'False') return false;
    if (token === 'None') return null;
    if (/inf$/.test(token)) return token.startsWith('-') ? -Infinity : Infinity;
    if (/nan$/.test(token)) return Number.NaN;
    return Number(token.replace(/_/g, ''));
  }

  dict(): ConfigValue {
    this.pos++;
    const out: Record<string, ConfigValue> = {};
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      const keyValue = this.value();
      if (typeof keyValue !== 'string' && typeof keyValue !== 'number') this.fail('a dict key must be a string or a number');
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail("expected ':' after a dict key");
      this.pos++;
      this.skipSpace();
      out[String(keyValue)] = this.value();
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        this.skipSpace();
        if (this.text[this.pos] === '}') {
          this.pos++;
          return out;
        }
        continue;
      }
      if (next === '}') {
        this.pos++;
        return out;
      }
      this.fail("expected ',' or '}' in a dict");
    }
  }

  sequence(open: string, close: string): ConfigValue {
    this.pos++;
    const items: ConfigValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === close) {
      this.pos++;
      return items;
    }
    for (;;) {
      this.skipSpace();
      items.push(this.value());
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        this.skipSpace();
        if (this.text[this.pos] === close) {
          this.pos++;
          return items;
        }
        continue;
      }
      if (next === close) {
        this.pos++;
        // A parenthesised single string is pprint's way of wrapping a long string, not a tuple.
        return open === '(' && items.length === 1 && typeof items[0] === 'string' ? items[0] : items;
      }
      this.fail(`expected ',' or '${close}'`);
    }
  }

  /** One or more adjacent string literals, concatenated. */
  strings(): string {
    let out = this.singleString();
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === "'" || c === '"') out += this.singleString();
      else {
        this.pos = save;
        return out;
      }
    }
  }

  singleString(): string {
    const quote = this.text[this.pos];
    if (quote !== "'" && quote !== '"') this.fail('expected a quoted string');
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n') this.fail('unterminated string');
      this.pos++;
      if (c === quote) return out;
      if (c === '\\') {
        const e = this.text[this.pos];
        if (e === undefined) this.fail('unterminated string');
        this.pos++;
        if (e === 'x' || e === 'u') {
          const digits = this.text.slice(this.pos, this.pos + (e === 'x' ? 2 : 4));
          this.pos += digits.length;
          out += String.fromCharCode(parseInt(digits, 16));
        } else out += ESCAPES[e] ?? `\\${e}`;
      } else out += c;
    }
  }
}
