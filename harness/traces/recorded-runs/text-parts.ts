/** Small text helpers for the free-text columns of the recorded-runs table. */

/** Splits `text` at `separator` where it is not inside parentheses; pieces are trimmed, empty ones dropped. */
export function splitTopLevel(text: string, separator: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && text.startsWith(separator, i)) {
      pieces.push(text.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  pieces.push(text.slice(start));
  return pieces.map((piece) => piece.trim()).filter((piece) => piece !== '');
}

/**
 * Separates the parenthesised asides of a phrase from its head:
 * `none (ref param offload)` → head `none`, asides [`ref param offload`];
 * `False(critic)` → head `False`, asides [`critic`]. Unbalanced parentheses stay in the head.
 */
export function splitAsides(text: string): { head: string; asides: string[] } {
  const asides: string[] = [];
  let head = '';
  let depth = 0;
  let aside = '';
  for (const c of text) {
    if (c === '(') {
      if (depth > 0) aside += c;
      depth++;
    } else if (c === ')' && depth > 0) {
      depth--;
      if (depth === 0) {
        asides.push(aside.trim());
        aside = '';
      } else aside += c;
    } else if (depth > 0) aside += c;
    else head += c;
  }
  if (depth > 0) head += `(${aside}`;
  return { head: head.replace(/\s+/g, ' ').trim(), asides: asides.filter((a) => a !== '') };
}
