import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScriptBlock } from '../../harness/report/escape.js';

describe('escapeHtml', () => {
  it('escapes the five characters that can change HTML structure', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('leaves other text, including non-ASCII, unchanged', () => {
    expect(escapeHtml('Qwen2.5-7B · 16× L40S — 2048 tokens')).toBe('Qwen2.5-7B · 16× L40S — 2048 tokens');
  });

  it('does not double-escape differently from escaping twice', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});

describe('jsonForScriptBlock', () => {
  it('never contains a "<" so no string can end the script element', () => {
    const value = { title: '</script><script>alert(1)</script>', comment: '<!-- x -->', line: 'a\u2028b' };
    const text = jsonForScriptBlock(value);
    expect(text).not.toMatch(/[<>\u2028\u2029]/);
    expect(text).toBe(
      '{"title":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e","comment":"\\u003c!-- x --\\u003e","line":"a\\u2028b"}',
    );
  });

  it('parses back to exactly the input', () => {
    const value = { a: ['</SCRIPT', '&', 1.5, null, true], b: { c: '\u2029' } };
    expect(JSON.parse(jsonForScriptBlock(value))).toEqual(value);
  });

  it('refuses values JSON cannot represent', () => {
    expect(() => jsonForScriptBlock(undefined)).toThrow(TypeError);
  });
});
