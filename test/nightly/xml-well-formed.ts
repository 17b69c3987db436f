/**
 * A small XML 1.0 well-formedness check for tests (no XML parser is installed): one root
 * element, properly nested and closed tags, quoted attributes without duplicates, only the five
 * predefined entities or character references, no raw '<' or '&' in text or attributes, no
 * characters XML forbids. Returns the element tree so tests can read what was written.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;
const FORBIDDEN = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function decode(text: string, where: string): string {
  if (/</.test(text)) throw new Error(`raw '<' in ${where}`);
  return text.replace(/&([^;]*);?/g, (match, entity: string) => {
    if (!match.endsWith(';')) throw new Error(`unterminated entity in ${where}: ${match}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity in named) return named[entity]!;
    if (/^#x[0-9A-Fa-f]+$/.test(entity)) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (/^#\d+$/.test(entity)) return String.fromCodePoint(Number(entity.slice(1)));
    throw new Error(`unknown entity &${entity}; in ${where}`);
  });
}

export function parseWellFormedXml(xml: string): XmlElement {
  if (FORBIDDEN.test(xml)) throw new Error('a character XML 1.0 forbids');
  let i = 0;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    i = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root element: ${text.trim().slice(0, 40)}`);
    if (stack.length > 0) stack[stack.length - 1]!.text += decode(text, 'text');
    else decode(text, 'text');
    if (lt < 0) break;
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new Error('unterminated tag');
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`closing </${name}> does not match <${open?.name ?? 'nothing'}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const nameMatch = /^([^\s/>]+)/.exec(body);
    if (!nameMatch || !NAME.test(nameMatch[1]!)) throw new Error(`bad tag name in <${tag.slice(0, 30)}>`);
    const attributes: Record<string, string> = {};
    const rest = body.slice(nameMatch[1]!.length);
    const attributePattern = /\s+([^\s=]+)="([^"]*)"/y;
    let position = 0;
    while (position < rest.trimEnd().length) {
      attributePattern.lastIndex = position;
      const m = attributePattern.exec(rest);
      if (!m) throw new Error(`bad attribute syntax in <${nameMatch[1]}>: ${rest.slice(position, position + 30)}`);
      if (!NAME.test(m[1]!)) throw new Error(`bad attribute name ${m[1]}`);
      if (m[1]! in attributes) throw new Error(`duplicate attribute ${m[1]}`);
      attributes[m[1]!] = decode(m[2]!, `attribute ${m[1]}`);
      position = attributePattern.lastIndex;
    }
    const element: XmlElement = { name: nameMatch[1]!, attributes, children: [], text: '' };
    if (stack.length > 0) stack[stack.length - 1]!.children.push(element);
    else if (root) throw new Error('more than one root element');
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}
