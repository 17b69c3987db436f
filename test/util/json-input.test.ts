import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../harness/util/input-error.js';
import { FieldReader, OBJECT_SCOPED_STYLE, jsonErrorOffset, lineColumnAt, locateKey, parseJsonText, readJsonFile, type JsonDocument } from '../../harness/util/json-input.js';

function doc(value: unknown, indent = 2): JsonDocument {
  const text = JSON.stringify(value, null, indent);
  return { file: 'in.json', text, value };
}

/** The lines the CLI would print for the reader's problems. */
function printed(reader: FieldReader): string[] {
  try {
    reader.throwIfAny();
  } catch (error) {
    return (error as InputError).message.split('\n');
  }
  return [];
}

function rootError(d: JsonDocument, style?: typeof OBJECT_SCOPED_STYLE): string {
  try {
    FieldReader.root(d, 'test file', style);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe('reading and parsing', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'json-input-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file, or says why it cannot', async () => {
    const path = join(dir, 'ok.json');
    await writeFile(path, '{"a": 1}');
    expect((await readJsonFile(path, 'test file')).value).toEqual({ a: 1 });
    await expect(readJsonFile(join(dir, 'none.json'), 'test file')).rejects.toThrow(`${join(dir, 'none.json')}: test file: file not found`);
    await expect(readJsonFile(dir, 'test file')).rejects.toThrow(`${dir}: test file: is a directory, not a file`);
  });

  it('gives undefined for a missing optional file, but still rejects a directory', async () => {
    expect(await readJsonFile(join(dir, 'none.json'), 'test file', { optional: true })).toBeUndefined();
    await expect(readJsonFile(dir, 'test file', { optional: true })).rejects.toThrow('is a directory, not a file');
  });

  it('locates a syntax error by line and column', () => {
    const error = (() => {
      try {
        parseJsonText('bad.json', '{\n  "a": 1,\n  "b": ]\n}', 'test file');
      } catch (e) {
        return e as InputError;
      }
      throw new Error('no error');
    })();
    expect(error.problems[0]).toMatchObject({ file: 'bad.json', line: 3, column: 8 });
    expect(error.problems[0]!.message).toMatch(/^test file: not valid JSON \(/);
  });

  it('finds where the grammar breaks without a position from the engine', () => {
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('[1, 2')).toBe(5);
    expect(jsonErrorOffset('{"a": tru}')).toBe(6);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
  });

  it('counts lines and columns from 1', () => {
    expect(lineColumnAt('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(locateKey('{\n  "x.y": 1}', 'x.y')).toEqual({ line: 2, column: 3 });
    expect(locateKey('{"a": 1}', 'b')).toEqual({});
  });
});

describe('FieldReader, file-wide style (custom GPU and model files, calibrations)', () => {
  it('rejects a root that is not an object, showing the value', () => {
    expect(rootError(doc([1, 2]))).toBe("in.json:1:1: value '[1,2]': test file: expected a JSON object");
  });

  it('reads valid fields and collects every problem, located at the first "key": in the file', () => {
    const reader = FieldReader.root(doc({ id: 'h100', n: 2.5, flag: 'yes', kind: 'x', list: ['a', ''], link: { n: -1 }, extra: 1 }), 'test file');
    expect(reader.string('id', { pattern: /^[a-z0-9]+$/, patternText: 'lower-case' })).toBe('h100');
    expect(reader.number('n', { integer: true, unit: 'GB/s' })).toBeUndefined();
    expect(reader.boolean('flag')).toBeUndefined();
    expect(reader.oneOf('kind', ['nvlink', 'pcie'] as const)).toBeUndefined();
    expect(reader.strings('list')).toEqual(['a', '']);
    const link = reader.child('link');
    expect(link?.number('n', { min: 0, exclusiveMin: true, unit: 'GB/s' })).toBeUndefined();
    reader.string('missing');
    reader.rejectUnknown(['id', 'n', 'flag', 'kind', 'list', 'link']);
    expect(printed(reader)).toEqual([
      "in.json:3:3: field 'n' value '2.5': must be an integer in GB/s",
      "in.json:4:3: field 'flag' value 'yes': must be true or false",
      "in.json:5:3: field 'kind' value 'x': must be one of nvlink, pcie",
      // The nested "n" is reported at the root's "n": the whole-file search finds the first one.
      "in.json:3:3: field 'link.n' value '-1': must be greater than 0 GB/s",
      "in.json: field 'missing': is missing (expected a string)",
      "in.json:13:3: field 'extra' value '1': is not a known field (known: id, n, flag, kind, list, link)",
    ]);
  });

  it('words bounds with the unit and checks each option', () => {
    const reader = FieldReader.root(doc({ a: 11, b: -1, c: 0, d: '  ', e: 'B', f: 3 }), 'test file');
    expect(reader.number('a', { max: 10, unit: 's' })).toBeUndefined();
    expect(reader.number('b', { min: 0 })).toBeUndefined();
    expect(reader.number('c', { min: 0 })).toBe(0);
    expect(reader.string('d')).toBeUndefined();
    expect(reader.string('e', { pattern: /^[a-z]$/ })).toBeUndefined();
    expect(reader.number('f', { integer: true, min: 1, max: 3 })).toBe(3);
    expect(reader.number('g', { optional: true })).toBeUndefined();
    expect(reader.strings('h', { optional: true })).toBeUndefined();
    expect(printed(reader)).toEqual([
      "in.json:2:3: field 'a' value '11': must be at most 10 s",
      "in.json:3:3: field 'b' value '-1': must be at least 0",
      "in.json:5:3: field 'd' value '  ': must be a non-empty string",
      "in.json:6:3: field 'e' value 'B': must be like /^[a-z]$/",
    ]);
  });

  it('shares its problems with a hand-made reader for items of a list', () => {
    const d = doc({ sources: [{ rows: 'x' }] });
    const root = FieldReader.root(d, 'test file');
    const item = new FieldReader(d, (d.value as { sources: Record<string, unknown>[] }).sources[0]!, 'sources[0].', root.problems);
    item.number('rows', { integer: true, min: 0 });
    expect(printed(root)).toEqual(["in.json:4:7: field 'sources[0].rows' value 'x': must be an integer"]);
  });
});

describe('FieldReader, object-scoped style (nightly suite, baselines, acknowledge list)', () => {
  const suite = {
    seed: 1,
    defaults: { timing: { alpha: 0.9 } },
    cases: [
      { id: 'one', metrics: ['a'] },
      'not an object',
      { id: 'two', metrics: ['a', ''], iterations: 1.5 },
      { metrics: [] },
    ],
  };

  it('rejects a root that is not an object, without the value', () => {
    expect(rootError(doc([1, 2]), OBJECT_SCOPED_STYLE)).toBe('in.json:1:1: test file: expected a JSON object');
  });

  it("locates each case's fields at that case, and a missing field at its object", () => {
    const root = FieldReader.root(doc(suite), 'nightly suite', OBJECT_SCOPED_STYLE);
    expect(root.number('seed', { integer: true, min: 0 })).toBe(1);
    const timing = root.child('defaults')?.child('timing');
    expect(timing?.number('alpha', { min: 0, exclusiveMin: true, max: 0.5 })).toBeUndefined();
    const cases = root.children('cases') ?? [];
    expect(cases.map((c) => c.prefix)).toEqual(['cases[0].', 'cases[2].', 'cases[3].']);
    for (const entry of cases) {
      entry.string('id');
      entry.strings('metrics', { nonEmpty: true });
      entry.number('iterations', { optional: true, integer: true, min: 1 });
    }
    cases[2]!.objectProblem('needs an id');
    root.child('absent');
    expect(printed(root)).toEqual([
      "in.json:5:7: field 'defaults.timing.alpha' value '0.9': must be at most 0.5",
      // An item that is not an object is placed at the item itself.
      "in.json:15:5: field 'cases[1]' value 'not an object': must be an object",
      "in.json:18:7: field 'cases[2].metrics' value '[\"a\",\"\"]': must be a list of non-empty strings",
      "in.json:22:7: field 'cases[2].iterations' value '1.5': must be a whole number",
      "in.json:24:5: field 'cases[3].id': is missing (expected a string)",
      "in.json:25:7: field 'cases[3].metrics' value '[]': must list at least one",
      "in.json:24:5: field 'cases[3]': needs an id",
      "in.json:1:1: field 'absent': is missing (expected an object)",
    ]);
  });

  it('reports problems of the root object as (root), and a key it cannot find at its object', () => {
    const root = FieldReader.root(doc({ a: 1 }), 'x', OBJECT_SCOPED_STYLE);
    root.objectProblem('is empty');
    expect(root.locate('zzz')).toEqual({ line: 1, column: 1 });
    expect(root.get('a')).toBe(1);
    root.rejectUnknown(['b']);
    root.children('a');
    expect(printed(root)).toEqual([
      "in.json:1:1: field '(root)': is empty",
      "in.json:2:3: field 'a' value '1': is not a known field (known: b)",
      "in.json:2:3: field 'a' value '1': must be a list of objects",
    ]);
  });

  it('finds the next item after an item whose strings hold braces', () => {
    const d = doc({ list: [{ s: '}{"s": ' }, { s: 5 }] }, 0);
    const root = FieldReader.root({ ...d, text: d.text.replace('},{', '},\n{') }, 'x', OBJECT_SCOPED_STYLE);
    for (const item of root.children('list') ?? []) item.string('s');
    expect(printed(root)).toEqual(["in.json:2:2: field 'list[1].s' value '5': must be a non-empty string"]);
  });

  it('places each item that is not an object at the item, whatever it holds, and keeps finding the objects after it', () => {
    const text = '{"list": [\n  "a, {b}",\n  [1, {"c": 2}],\n  7,\n  {"s": 5}\n]}';
    const root = FieldReader.root({ file: 'in.json', text, value: JSON.parse(text) }, 'x', OBJECT_SCOPED_STYLE);
    for (const item of root.children('list') ?? []) item.string('s');
    expect(printed(root)).toEqual([
      "in.json:2:3: field 'list[0]' value 'a, {b}': must be an object",
      "in.json:3:3: field 'list[1]' value '[1,{\"c\":2}]': must be an object",
      "in.json:4:3: field 'list[2]' value '7': must be an object",
      "in.json:5:4: field 'list[3].s' value '5': must be a non-empty string",
    ]);
  });
});
