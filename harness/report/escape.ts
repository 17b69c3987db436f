/**
 * Escaping for the HTML report. Every string that came from a user, a trace or a spec passes
 * through one of these before it reaches the page: text and attribute values through
 * `escapeHtml`, JSON data blocks through `jsonForScriptBlock`.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML text node or a double- or single-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON for a `<script type="application/json">` data block. Inside a script element the HTML
 * parser only looks for `</script` (and `<!--`), so escaping every `<` as `\u003c` keeps any
 * string inside the JSON from ending the block; U+2028/U+2029 are escaped so the text is also
 * valid JavaScript should anyone paste it. JSON.parse gives back exactly the input value.
 */
export function jsonForScriptBlock(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('jsonForScriptBlock: value is not representable as JSON');
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
