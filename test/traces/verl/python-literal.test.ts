import { describe, expect, it } from 'vitest';
import { parsePythonLiteral } from '../../../harness/traces/verl/python-literal.js';

describe('parsePythonLiteral', () => {
  it('reads what repr and pprint print', () => {
    const text = "{'a': True, 'b': None, 'c': [1, -2.5, 1e-06], 'd': {}, 'e': 'x\\'y', \"f\": ('p',)} trailing";
    expect(parsePythonLiteral(text)).toEqual({
      ok: true,
      value: { a: true, b: null, c: [1, -2.5, 1e-6], d: {}, e: "x'y", f: ['p'] },
      end: text.indexOf(' trailing'),
    });
    expect(parsePythonLiteral('inf').ok && parsePythonLiteral('-inf')).toEqual({ ok: true, value: -Infinity, end: 4 });
  });

  it("joins pprint's wrapped strings", () => {
    expect(parsePythonLiteral("('Initial validation metrics: '\n '0.22')")).toEqual({ ok: true, value: 'Initial validation metrics: 0.22', end: 40 });
  });

  it('says when the text ends before the value does, and where it fails otherwise', () => {
    expect(parsePythonLiteral("['model',")).toMatchObject({ ok: false, incomplete: true });
    expect(parsePythonLiteral("{'a' 1}")).toMatchObject({ ok: false, at: 5, incomplete: false, reason: "expected ':' after a dict key" });
    expect(parsePythonLiteral('<object at 0x1>')).toMatchObject({ ok: false, at: 0, reason: 'is not a Python literal' });
  });
});
