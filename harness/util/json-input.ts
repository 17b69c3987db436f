import { readFile } from 'node:fs/promises';
import { InputError, type InputProblem } from './input-error.js';

/**
 * Helpers for JSON inputs (custom GPU and model files, calibrations, scenarios, suites):
 * read and parse with located errors, then check fields one by one, collecting every problem so
 * the user fixes a file in one pass.
 */

export interface JsonDocument {
  readonly file: string;
  readonly text: string;
  readonly value: unknown;
}

export async function readJsonFile(path: string, what: string): Promise<JsonDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code ?? String(error)})`;
    throw new InputError({ file: path, message: `${what}: ${reason}` });
  }
  return parseJsonText(path, text, what);
}

export function parseJsonText(file: string, text: string, what: string): JsonDocument {
  try {
    return { file, text, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message)?.[1];
    const where = lineColumnAt(text, position === undefined ? jsonErrorOffset(text) : Number(position));
    throw new InputError({ file, ...where, message: `${what}: not valid JSON (${message})` });
  }
}

/**
 * Where JSON.parse gave up, for engines whose message has no position: a small recursive-descent
 * scan of the JSON grammar that returns the offset of the first character it cannot accept.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail();
    i += match![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    number();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (offset) {
    return typeof offset === 'number' ? offset : 0;
  }
}

export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Line and column of the first `"key":` in the text — good enough to point at a field of a small file. */
export function locateKey(text: string, key: string): { line?: number; column?: number } {
  const match = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`).exec(text);
  return match ? lineColumnAt(text, match.index) : {};
}

/** Checks fields of one JSON object, collecting problems with their locations. */
export class FieldReader {
  constructor(
    readonly doc: JsonDocument,
    readonly object: Record<string, unknown>,
    readonly prefix = '',
    /** Shared by a reader and its children, so one throw reports every problem of the file. */
    readonly problems: InputProblem[] = [],
  ) {}

  static root(doc: JsonDocument, what: string): FieldReader {
    if (typeof doc.value !== 'object' || doc.value === null || Array.isArray(doc.value)) {
      throw new InputError({ file: doc.file, line: 1, column: 1, value: doc.value, message: `${what}: expected a JSON object` });
    }
    return new FieldReader(doc, doc.value as Record<string, unknown>);
  }

  problem(key: string, value: unknown, message: string): void {
    const field = this.prefix + key;
    this.problems.push({ file: this.doc.file, ...locateKey(this.doc.text, key), field, value, message });
  }

  has(key: string): boolean {
    return Object.hasOwn(this.object, key);
  }

  private missing(key: string, expected: string): void {
    this.problems.push({ file: this.doc.file, field: this.prefix + key, message: `is missing (expected ${expected})` });
  }

  string(key: string, options: { optional?: boolean; pattern?: RegExp; patternText?: string } = {}): string | undefined {
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, 'a string');
      return undefined;
    }
    const value = this.object[key];
    if (typeof value !== 'string' || value.trim() === '') {
      this.problem(key, value, 'must be a non-empty string');
      return undefined;
    }
    if (options.pattern && !options.pattern.test(value)) {
      this.problem(key, value, `must be ${options.patternText ?? `like ${String(options.pattern)}`}`);
      return undefined;
    }
    return value;
  }

  number(key: string, options: { optional?: boolean; integer?: boolean; min?: number; max?: number; exclusiveMin?: boolean; unit?: string } = {}): number | undefined {
    const expected = `${options.integer ? 'an integer' : 'a number'}${options.unit ? ` in ${options.unit}` : ''}`;
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, expected);
      return undefined;
    }
    const value = this.object[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.problem(key, value, `must be ${expected}`);
      return undefined;
    }
    if (options.integer && !Number.isInteger(value)) {
      this.problem(key, value, `must be ${expected}`);
      return undefined;
    }
    const min = options.min;
    if (min !== undefined && (options.exclusiveMin ? value <= min : value < min)) {
      this.problem(key, value, `must be ${options.exclusiveMin ? 'greater than' : 'at least'} ${min}${options.unit ? ` ${options.unit}` : ''}`);
      return undefined;
    }
    if (options.max !== undefined && value > options.max) {
      this.problem(key, value, `must be at most ${options.max}${options.unit ? ` ${options.unit}` : ''}`);
      return undefined;
    }
    return value;
  }

  boolean(key: string, options: { optional?: boolean } = {}): boolean | undefined {
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, 'true or false');
      return undefined;
    }
    const value = this.object[key];
    if (typeof value !== 'boolean') {
      this.problem(key, value, 'must be true or false');
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], options: { optional?: boolean } = {}): T | undefined {
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, `one of ${allowed.join(', ')}`);
      return undefined;
    }
    const value = this.object[key];
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.problem(key, value, `must be one of ${allowed.join(', ')}`);
      return undefined;
    }
    return value as T;
  }

  strings(key: string, options: { optional?: boolean } = {}): string[] | undefined {
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, 'a list of strings');
      return undefined;
    }
    const value = this.object[key];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      this.problem(key, value, 'must be a list of strings');
      return undefined;
    }
    return value as string[];
  }

  object_(key: string, options: { optional?: boolean } = {}): FieldReader | undefined {
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, 'an object');
      return undefined;
    }
    const value = this.object[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.problem(key, value, 'must be an object');
      return undefined;
    }
    return new FieldReader(this.doc, value as Record<string, unknown>, `${this.prefix}${key}.`, this.problems);
  }

  /** Flags keys the format does not know (a typo such as "memoryGib" would otherwise be ignored silently). */
  rejectUnknown(known: readonly string[]): void {
    for (const key of Object.keys(this.object).sort()) {
      if (!known.includes(key)) this.problem(key, this.object[key], `is not a known field (known: ${known.join(', ')})`);
    }
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new InputError(this.problems);
  }
}
