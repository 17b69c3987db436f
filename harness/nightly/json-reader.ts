import { readFile } from 'node:fs/promises';
import { lineColumnAt, parseJsonText, type JsonDocument } from '../util/json-input.js';
import { InputError, type InputProblem } from '../util/input-error.js';

/**
 * Field-by-field checks of the nightly's JSON inputs (suite, baselines, acknowledge list), every
 * problem collected with its file, line, column, field and value so one run reports them all.
 * Unlike a whole-file key search, each reader locates keys after its own object's start, so the
 * 12th case's bad "metrics" is reported at the 12th case's line.
 */
export class JsonReader {
  constructor(
    readonly doc: JsonDocument,
    readonly object: Record<string, unknown>,
    /** Field path prefix, e.g. 'cases[3].'. */
    readonly prefix: string,
    /** Offset in doc.text where this object starts (keys are searched from here). */
    readonly startOffset: number,
    readonly problems: InputProblem[] = [],
  ) {}

  static root(doc: JsonDocument, what: string): JsonReader {
    if (typeof doc.value !== 'object' || doc.value === null || Array.isArray(doc.value)) {
      throw new InputError({ file: doc.file, line: 1, column: 1, message: `${what}: expected a JSON object` });
    }
    return new JsonReader(doc, doc.value as Record<string, unknown>, '', 0);
  }

  /** Line and column of `"key":` at or after this object's start. */
  locate(key: string): { line?: number; column?: number } {
    const pattern = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`, 'g');
    pattern.lastIndex = this.startOffset;
    const match = pattern.exec(this.doc.text);
    return match ? lineColumnAt(this.doc.text, match.index) : lineColumnAt(this.doc.text, this.startOffset);
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
    this.problems.push({ file: this.doc.file, ...lineColumnAt(this.doc.text, this.startOffset), field: this.prefix.replace(/\.$/, '') || '(root)', message });
  }

  private missing(key: string, expected: string): void {
    this.problems.push({ file: this.doc.file, ...lineColumnAt(this.doc.text, this.startOffset), field: this.prefix + key, message: `is missing (expected ${expected})` });
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

  number(key: string, options: { optional?: boolean; integer?: boolean; min?: number; max?: number; exclusiveMin?: boolean } = {}): number | undefined {
    const expected = options.integer ? 'a whole number' : 'a number';
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, expected);
      return undefined;
    }
    const value = this.object[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || (options.integer && !Number.isInteger(value))) return void this.problem(key, value, `must be ${expected}`);
    if (options.min !== undefined && (options.exclusiveMin ? value <= options.min : value < options.min)) {
      return void this.problem(key, value, `must be ${options.exclusiveMin ? 'greater than' : 'at least'} ${options.min}`);
    }
    if (options.max !== undefined && value > options.max) return void this.problem(key, value, `must be at most ${options.max}`);
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

  strings(key: string, options: { optional?: boolean; nonEmpty?: boolean } = {}): string[] | undefined {
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, 'a list of strings');
      return undefined;
    }
    const value = this.object[key];
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) return void this.problem(key, value, 'must be a list of non-empty strings');
    if (options.nonEmpty && value.length === 0) return void this.problem(key, value, 'must list at least one');
    return value as string[];
  }

  /** A nested object's reader (located from where its key appears). */
  child(key: string, options: { optional?: boolean } = {}): JsonReader | undefined {
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, 'an object');
      return undefined;
    }
    const value = this.object[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return void this.problem(key, value, 'must be an object');
    return new JsonReader(this.doc, value as Record<string, unknown>, `${this.prefix}${key}.`, this.offsetOf(key), this.problems);
  }

  /** Readers for each object of an array field; non-objects are reported. */
  children(key: string, options: { optional?: boolean } = {}): JsonReader[] | undefined {
    if (!this.has(key)) {
      if (!options.optional) this.missing(key, 'a list of objects');
      return undefined;
    }
    const value = this.object[key];
    if (!Array.isArray(value)) return void this.problem(key, value, 'must be a list of objects');
    const readers: JsonReader[] = [];
    let from = this.offsetOf(key);
    value.forEach((item, index) => {
      const start = this.doc.text.indexOf('{', from);
      const itemStart = start >= 0 ? start : from;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        this.problems.push({ file: this.doc.file, ...lineColumnAt(this.doc.text, itemStart), field: `${this.prefix}${key}[${index}]`, value: item, message: 'must be an object' });
        return;
      }
      readers.push(new JsonReader(this.doc, item as Record<string, unknown>, `${this.prefix}${key}[${index}].`, itemStart, this.problems));
      from = matchingBrace(this.doc.text, itemStart) + 1;
    });
    return readers;
  }

  private offsetOf(key: string): number {
    const pattern = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`, 'g');
    pattern.lastIndex = this.startOffset;
    const match = pattern.exec(this.doc.text);
    return match ? match.index + match[0].length : this.startOffset;
  }

  rejectUnknown(known: readonly string[]): void {
    for (const key of Object.keys(this.object).sort()) {
      if (!known.includes(key)) this.problem(key, this.object[key], `is not a known field (known: ${known.join(', ')})`);
    }
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new InputError(this.problems);
  }
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

/** Reads and parses a JSON file; a missing file gives `undefined` when `optional`, an InputError otherwise. */
export async function readJsonDocument(path: string, what: string, options: { optional?: boolean } = {}): Promise<JsonDocument | undefined> {
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
