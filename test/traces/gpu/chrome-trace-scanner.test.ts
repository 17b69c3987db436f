import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChromeTraceScanner } from '../../../harness/traces/gpu/chrome-trace-scanner.js';
import { InputError } from '../../../harness/util/input-error.js';

interface Scanned {
  events: unknown[];
  positions: { index: number; line: number; column: number }[];
  otherKeys: Record<string, unknown>;
  sawTraceEvents: boolean;
}

/** Feeds `text` to a scanner in chunks cut at `cuts` (byte offsets). */
function scan(text: string, cuts: readonly number[] = []): Scanned {
  const bytes = Buffer.from(text, 'utf8');
  const events: unknown[] = [];
  const positions: Scanned['positions'] = [];
  const scanner = new ChromeTraceScanner('trace.json', (raw) => {
    events.push(JSON.parse(raw.bytes.toString('utf8')));
    positions.push({ index: raw.index, line: raw.line, column: raw.column });
  });
  let from = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b)) {
    // Chunks are copies: the scanner must not keep references into a reused buffer.
    scanner.push(Buffer.from(bytes.subarray(from, cut)));
    from = cut;
  }
  scanner.push(Buffer.from(bytes.subarray(from)));
  const top = scanner.end();
  return { events, positions, otherKeys: { ...top.otherKeys }, sawTraceEvents: top.sawTraceEvents };
}

function scanError(text: string): InputError {
  try {
    scan(text);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('ChromeTraceScanner', () => {
  it('yields every traceEvents element and parses the other top-level keys', () => {
    const text = '{"schemaVersion": 1, "traceEvents": [{"ph":"X","name":"a"}, {"ph":"X","name":"b"}], "displayTimeUnit": "ns", "deviceProperties": [{"id": 0}]}';
    const result = scan(text);
    expect(result.events).toEqual([
      { ph: 'X', name: 'a' },
      { ph: 'X', name: 'b' },
    ]);
    expect(result.otherKeys).toEqual({ schemaVersion: 1, displayTimeUnit: 'ns', deviceProperties: [{ id: 0 }] });
    expect(result.sawTraceEvents).toBe(true);
  });

  it('is not fooled by braces, brackets, quotes and backslashes inside strings', () => {
    const tricky = { name: 'void f<{1}>]["x\\"y\\\\"]', args: { note: '}}}]]]', path: 'C:\\\\dir\\\\' } };
    const text = JSON.stringify({ traceEvents: [tricky, { name: '\\' }], tail: 'end"}' });
    expect(scan(text).events).toEqual([tricky, { name: '\\' }]);
  });

  it('reports the line and column where each event starts', () => {
    const text = '{\n  "traceEvents": [\n    {"a": 1},\n    {"b": 2}\n  ]\n}\n';
    expect(scan(text).positions).toEqual([
      { index: 0, line: 3, column: 5 },
      { index: 1, line: 4, column: 5 },
    ]);
  });

  it('reads the bare-array form of the Chrome trace format', () => {
    const result = scan('[{"name": "a"}, {"name": "b"}]');
    expect(result.events).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(result.sawTraceEvents).toBe(true);
  });

  it('says when a document has no traceEvents', () => {
    const result = scan('{"schemaVersion": 1, "other": []}');
    expect(result.sawTraceEvents).toBe(false);
    expect(result.events).toEqual([]);
  });

  it('gives the same events however the bytes are cut into chunks', () => {
    const key = fc.constantFrom('name', 'cat', 'ph', 'args', 'a"b', 'x\\y', '{', ']');
    const leaf = fc.oneof(fc.string({ unit: 'binary' }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(key, tie('node'), { maxKeys: 3 })),
    })).node;
    const event = fc.dictionary(key, value, { maxKeys: 4 });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 8 }), fc.array(fc.nat(2000), { maxLength: 12 }), fc.boolean(), (events, cuts, pretty) => {
        const text = JSON.stringify({ before: { x: [1, '2'] }, traceEvents: events, after: 'z' }, null, pretty ? 2 : undefined);
        const result = scan(text, cuts);
        expect(result.events).toEqual(JSON.parse(text).traceEvents);
        expect(result.otherKeys).toEqual({ before: { x: [1, '2'] }, after: 'z' });
      }),
      { seed: 1, numRuns: 300 },
    );
  });

  it('rejects a document that is not JSON, naming where', () => {
    const error = scanError('hello world');
    expect(error.problems[0]).toMatchObject({ file: 'trace.json', line: 1, column: 1 });
    expect(error.message).toContain("expected '{'");
  });

  it('rejects truncated documents, saying which event was cut', () => {
    const error = scanError('{"traceEvents": [{"a": 1}, {"b": [1, 2');
    expect(error.message).toContain('truncated');
    expect(error.message).toContain('traceEvents[1]');
    expect(scanError('').message).toContain('empty');
    expect(scanError('{"traceEvents": [{"a": 1},').message).toContain('after 1 events');
  });

  it('rejects trailing commas, garbage after the document and a non-array traceEvents', () => {
    expect(scanError('{"traceEvents": [{"a": 1},]}').message).toContain("found ']'");
    expect(scanError('{"a": 1,}').message).toContain('expected a key');
    expect(scanError('{"traceEvents": []} x').message).toContain('after the end of the document');
    expect(scanError('{"traceEvents": {"a": 1}}').message).toContain("'traceEvents' is not an array");
  });

  it('rejects an invalid top-level value with its key', () => {
    const error = scanError('{"deviceProperties": [1, 2,], "traceEvents": []}');
    expect(error.problems[0]).toMatchObject({ field: 'deviceProperties', line: 1, column: 22 });
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    const text = JSON.stringify({ traceEvents: [{ name: 'αβγ — 日本語 🚀' }] });
    const bytes = Buffer.byteLength(text);
    for (let cut = 1; cut < bytes; cut++) expect(scan(text, [cut]).events).toEqual([{ name: 'αβγ — 日本語 🚀' }]);
  });
});
