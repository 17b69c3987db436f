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

/** Reads and parses a JSON file; with `optional`, a missing file gives `undefined` instead of an InputError. */
export async function readJsonFile(path: string, what: string, options?: { optional?: false }): Promise<JsonDocument>;
export async function readJsonFile(path: string, what: string, options: { optional: boolean }): Promise<JsonDocument | undefined>;
export async function readJsonFile(path: string, what: string, options: { optional?: boolean } = {}): Promise<JsonDocument | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.optional) return undefined;
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
  const match = keyPattern(key).exec(text);
  return match ? lineColumnAt(text, match.index) : {};
}

function keyPattern(key: string, flags = ''): RegExp {
  return new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`, flags);
}

/**
 * How a reader points at fields and words what it expects. Two families of inputs use it, and each
 * keeps the messages its users already see: {@link FILE_WIDE_STYLE} and {@link OBJECT_SCOPED_STYLE}.
 */
export interface ReaderStyle {
  /**
   * 'file': a field is at the first `"key":` anywhere in the file (fine for small files whose keys
   * are unique) and a missing field has no line; 'object': keys are searched from the reader's own
   * object, and a missing field points at that object, so the 12th case's bad "metrics" is reported
   * at the 12th case's line.
   */
  readonly locate: 'file' | 'object';
  /** What `number(…, { integer: true })` expects, e.g. 'an integer'. */
  readonly integerText: string;
  /** Whether `strings` rejects empty items too (then it asks for 'a list of non-empty strings'). */
  readonly nonEmptyItems: boolean;
  /** Whether the root's "expected a JSON object" problem shows the value it found. */
  readonly rootShowsValue: boolean;
}

/** Custom GPU and model files, calibrations: the default. */
export const FILE_WIDE_STYLE: ReaderStyle = { locate: 'file', integerText: 'an integer', nonEmptyItems: false, rootShowsValue: true };

/** The nightly's suite, baselines and acknowledge list: long files with many objects of the same keys. */
export const OBJECT_SCOPED_STYLE: ReaderStyle = { locate: 'object', integerText: 'a whole number', nonEmptyItems: true, rootShowsValue: false };

/** Checks fields of one JSON object, collecting problems with their locations. */
export class FieldReader {
  constructor(
    readonly doc: JsonDocument,
    readonly object: Record<string, unknown>,
    /** Field path prefix, e.g. 'cases[3].'. */
    readonly prefix = '',
    /** Shared by a reader and its children, so one throw reports every problem of the file. */
    readonly problems: InputProblem[] = [],
    readonly style: ReaderStyle = FILE_WIDE_STYLE,
    /** Offset in doc.text where this object starts (with the 'object' style, keys are searched from here). */
    readonly startOffset = 0,
  ) {}

  static root(doc: JsonDocument, what: string, style: ReaderStyle = FILE_WIDE_STYLE): FieldReader {
    if (typeof doc.value !== 'object' || doc.value === null || Array.isArray(doc.value)) {
      const shown = style.rootShowsValue ? { value: doc.value } : {};
      throw new InputError({ file: doc.file, line: 1, column: 1, ...shown, message: `${what}: expected a JSON object` });
    }
    return new FieldReader(doc, doc.value as Record<string, unknown>, '', [], style);
  }

  /** Line and column of `"key":` as the style finds it. */
  locate(key: string): { line?: number; column?: number } {
    if (this.style.locate === 'file') return locateKey(this.doc.text, key);
    const match = this.keyMatch(key);
    return lineColumnAt(this.doc.text, match ? match.index : this.startOffset);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.object, key);
  }

  get(key: string): unknown {
    return this.object[key];
  }

  problem(key: string, value: unknown, message: string): void {
    this.problems.push({ file: this.doc.file, ...this.locate(key), field: this.prefix + key, value, message });
  }

  /** A problem about the object itself (not one of its fields). */
  objectProblem(message: string): void {
    this.problems.push({ file: this.doc.file, ...this.here(), field: this.prefix.replace(/\.$/, '') || '(root)', message });
  }

  private missing(key: string, expected: string): void {
    this.problems.push({ file: this.doc.file, ...this.here(), field: this.prefix + key, message: `is missing (expected ${expected})` });
  }

  /** Where this object starts, with the 'object' style; nothing with the 'file' style. */
  private here(): { line?: number; column?: number } {
    return this.style.locate === 'object' ? lineColumnAt(this.doc.text, this.startOffset) : {};
  }

  string(key: string, options: { optional?: boolean; pattern?: RegExp; patternText?: string } = {}): string | undefined {
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, 'a string');
      return undefined;
    }
    const value = this.object[key];
    if (typeof value !== 'string' || value.trim() === '') return void this.problem(key, value, 'must be a non-empty string');
    if (options.pattern && !options.pattern.test(value)) return void this.problem(key, value, `must be ${options.patternText ?? `like ${String(options.pattern)}`}`);
    return value;
  }

  number(key: string, options: { optional?: boolean; integer?: boolean; min?: number; max?: number; exclusiveMin?: boolean; unit?: string } = {}): number | undefined {
    const unit = options.unit ? ` ${options.unit}` : '';
    const expected = `${options.integer ? this.style.integerText : 'a number'}${options.unit ? ` in ${options.unit}` : ''}`;
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, expected);
      return undefined;
    }
    const value = this.object[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || (options.integer && !Number.isInteger(value))) return void this.problem(key, value, `must be ${expected}`);
    const min = options.min;
    if (min !== undefined && (options.exclusiveMin ? value <= min : value < min)) {
      return void this.problem(key, value, `must be ${options.exclusiveMin ? 'greater than' : 'at least'} ${min}${unit}`);
    }
    if (options.max !== undefined && value > options.max) return void this.problem(key, value, `must be at most ${options.max}${unit}`);
    return value;
  }

  boolean(key: string, options: { optional?: boolean } = {}): boolean | undefined {
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, 'true or false');
      return undefined;
    }
    const value = this.object[key];
    if (typeof value !== 'boolean') return void this.problem(key, value, 'must be true or false');
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], options: { optional?: boolean } = {}): T | undefined {
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, `one of ${allowed.join(', ')}`);
      return undefined;
    }
    const value = this.object[key];
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) return void this.problem(key, value, `must be one of ${allowed.join(', ')}`);
    return value as T;
  }

  /** A list of strings; `nonEmpty` also asks for at least one item. */
  strings(key: string, options: { optional?: boolean; nonEmpty?: boolean } = {}): string[] | undefined {
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, 'a list of strings');
      return undefined;
    }
    const value = this.object[key];
    const nonEmptyItems = this.style.nonEmptyItems;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || (nonEmptyItems && item === ''))) {
      return void this.problem(key, value, nonEmptyItems ? 'must be a list of non-empty strings' : 'must be a list of strings');
    }
    if (options.nonEmpty && value.length === 0) return void this.problem(key, value, 'must list at least one');
    return value as string[];
  }

  /** A nested object's reader (with the 'object' style, located from where its key appears). */
  child(key: string, options: { optional?: boolean } = {}): FieldReader | undefined {
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, 'an object');
      return undefined;
    }
    const value = this.object[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return void this.problem(key, value, 'must be an object');
    return new FieldReader(this.doc, value as Record<string, unknown>, `${this.prefix}${key}.`, this.problems, this.style, this.offsetAfter(key));
  }

  /** Readers for each object of an array field; items that are not objects are reported at their position. */
  children(key: string, options: { optional?: boolean } = {}): FieldReader[] | undefined {
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, 'a list of objects');
      return undefined;
    }
    const value = this.object[key];
    if (!Array.isArray(value)) return void this.problem(key, value, 'must be a list of objects');
    const readers: FieldReader[] = [];
    const text = this.doc.text;
    let from = this.offsetAfter(key);
    value.forEach((item, index) => {
      // The item itself: past the '[' (first item) or the ',' (later ones) and the spaces around it.
      const itemStart = skipSpaces(text, skipSpaces(text, from) + 1);
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        this.problems.push({ file: this.doc.file, ...lineColumnAt(text, itemStart), field: `${this.prefix}${key}[${index}]`, value: item, message: 'must be an object' });
        from = valueEnd(text, itemStart);
        return;
      }
      readers.push(new FieldReader(this.doc, item as Record<string, unknown>, `${this.prefix}${key}[${index}].`, this.problems, this.style, itemStart));
      from = matchingBrace(text, itemStart) + 1;
    });
    return readers;
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

  /** The first `"key":` at or after this object's start. */
  private keyMatch(key: string): RegExpExecArray | null {
    const pattern = keyPattern(key, 'g');
    pattern.lastIndex = this.startOffset;
    return pattern.exec(this.doc.text);
  }

  /** Offset just past `"key":` (the start of its value's text), or this object's start if not found. */
  private offsetAfter(key: string): number {
    const match = this.keyMatch(key);
    return match ? match.index + match[0].length : this.startOffset;
  }
}

/** The first offset at or after `from` that is not JSON white space. */
function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return i;
}

/** Offset just past the JSON value that starts at `start` (an object, array, string, number or literal). */
function valueEnd(text: string, start: number): number {
  const c = text[start];
  if (c === '{' || c === '[') return matchingBrace(text, start) + 1;
  let i = start;
  if (c === '"') {
    for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    return i + 1;
  }
  while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  return i;
}

/** Offset of the `}` closing the object that opens at `start` (strings and escapes skipped). */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return text.length;
}

/**
 * Offset of the value a field path names in a JSON text (`response_tokens[3]`,
 * `turns[0][1].prompt_tokens`, `stages_s.generation`), or undefined when the text has no such
 * value. Walks the text's own structure (keys compared after decoding), so it finds the value a
 * parser read, not a look-alike inside a string. For pointing problems at their column.
 */
export function locateJsonPath(text: string, path: string): number | undefined {
  const segments = [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((match) => (match[1] !== undefined ? Number(match[1]) : match[2]!));
  let at = skipSpaces(text, 0);
  for (const segment of segments) {
    const open = text[at];
    if (typeof segment === 'number') {
      if (open !== '[') return undefined;
      at = skipSpaces(text, at + 1);
      for (let index = 0; index < segment; index++) {
        if (text[at] === ']' || at >= text.length) return undefined;
        at = skipSpaces(text, valueEnd(text, at));
        if (text[at] !== ',') return undefined;
        at = skipSpaces(text, at + 1);
      }
      if (text[at] === ']' || at >= text.length) return undefined;
    } else {
      if (open !== '{') return undefined;
      at = skipSpaces(text, at + 1);
      // The last member of that name: the one JSON.parse keeps.
      let found: number | undefined;
      while (text[at] === '"') {
        const keyEnd = valueEnd(text, at);
        let key: unknown;
        try {
          key = JSON.parse(text.slice(at, keyEnd));
        } catch {
          return undefined;
        }
        at = skipSpaces(text, keyEnd);
        if (text[at] !== ':') return undefined;
        at = skipSpaces(text, at + 1);
        if (key === segment) found = at;
        at = skipSpaces(text, valueEnd(text, at));
        if (text[at] !== ',') break;
        at = skipSpaces(text, at + 1);
      }
      if (found === undefined) return undefined;
      at = found;
    }
  }
  return at < text.length ? at : undefined;
}
