import { describe, expect, it } from 'vitest';
import { appendedHistory, historyLine, parseHistory } from '../../harness/nightly/history.js';

describe('history', () => {
  it('appends one sorted JSON line per run and reads it back', () => {
    const text = appendedHistory(appendedHistory('', { run: 'r1', commit: null, figures: { 'b:x': 2, 'a:x': 1 } }), { run: 'r2', commit: 'abc', figures: { 'a:x': 1.5 } });
    expect(text).toBe('{"run":"r1","commit":null,"figures":{"a:x":1,"b:x":2}}\n{"run":"r2","commit":"abc","figures":{"a:x":1.5}}\n');
    expect(parseHistory(text, 'h.jsonl')).toEqual([
      { run: 'r1', commit: null, figures: { 'a:x': 1, 'b:x': 2 } },
      { run: 'r2', commit: 'abc', figures: { 'a:x': 1.5 } },
    ]);
    expect(appendedHistory('{"run":"r0","figures":{}}', { run: 'r1', commit: null, figures: {} })).toBe('{"run":"r0","figures":{}}\n' + historyLine({ run: 'r1', commit: null, figures: {} }));
  });

  it('names the damaged line', () => {
    expect(() => parseHistory('{"run":"r1","figures":{}}\n{"run":"r2","figures":{"a:x":"fast"}}\n', 'h.jsonl')).toThrow("h.jsonl:2:1: field 'figures.a:x' value 'fast': history: must be a finite number");
    expect(() => parseHistory('\n{"run":\n', 'h.jsonl')).toThrow(/^h\.jsonl:2:1: history: not valid JSON/);
  });
});
