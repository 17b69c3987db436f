import { describe, expect, it } from 'vitest';
import { describeValue, formatProblem, InputError, looksBinary } from '../../harness/util/input-error.js';

describe('formatProblem', () => {
  it('writes file:line:column: field and value: message', () => {
    expect(formatProblem({ file: 'a.csv', line: 3, column: 5, field: 'response_tokens', value: '-4', message: 'must be a non-negative integer' })).toBe(
      "a.csv:3:5: field 'response_tokens' value '-4': must be a non-negative integer",
    );
  });

  it('leaves out what is not known', () => {
    expect(formatProblem({ file: 'a.csv', message: 'file is empty' })).toBe('a.csv: file is empty');
    expect(formatProblem({ file: 'a.csv', line: 2, message: 'truncated JSON' })).toBe('a.csv:2: truncated JSON');
    expect(formatProblem({ file: 'a.csv', line: 2, field: 'x', message: 'missing' })).toBe("a.csv:2: field 'x': missing");
  });

  it('shows undefined, NaN and Infinity values as such', () => {
    expect(formatProblem({ file: 'f', line: 1, field: 'x', value: undefined, message: 'm' })).toBe("f:1: field 'x' value 'undefined': m");
    expect(formatProblem({ file: 'f', line: 1, field: 'x', value: Number.NaN, message: 'm' })).toBe("f:1: field 'x' value 'NaN': m");
  });
});

describe('describeValue', () => {
  it('cuts long values so a 10 MB line never floods the terminal', () => {
    const text = describeValue('x'.repeat(10_000_000));
    expect(text.length).toBeLessThan(120);
    expect(text).toContain('(10000000 chars)');
  });

  it('escapes newlines so every problem stays on one line', () => {
    expect(describeValue('a\nb\r')).toBe('a\\nb\\r');
  });

  it('escapes other control characters and undecodable bytes, and names binary data instead of showing it', () => {
    expect(describeValue('a line with red \u001b[31m text\u0007 and \ufffd')).toBe('a line with red \\x1b[31m text\\x07 and \\ufffd');
    expect(describeValue('ab\u0000cd')).toBe('binary data, 5 chars');
    const random = String.fromCharCode(...Array.from({ length: 200 }, (_, i) => (i * 37) % 32));
    expect(looksBinary(random)).toBe(true);
    expect(describeValue(random)).toBe('binary data, 200 chars');
    expect(looksBinary('tab\there, ümlaut, 中文, one \u001b')).toBe(false);
  });
});

describe('InputError', () => {
  it('joins its problems one per line', () => {
    const error = new InputError([
      { file: 'a', line: 1, message: 'one' },
      { file: 'a', line: 2, message: 'two' },
    ]);
    expect(error.message).toBe('a:1: one\na:2: two');
    expect(error.problems).toHaveLength(2);
  });
});
